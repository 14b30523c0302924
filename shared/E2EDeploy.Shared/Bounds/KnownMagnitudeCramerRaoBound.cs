using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The CRB of the gain model that the simulator draws (docs/conventions.md point 12): |alpha| = sqrt(SNR) sigma known, its
/// phase unknown. With b = F^T a~(theta) and db = d b / d theta,
/// J(theta) = 2 SNR (||db||^2 - (Im b^H db)^2 / ||b||^2)   (rad^-2),
/// which is at least the J of <see cref="AodCramerRaoBound"/> (gain fully unknown): the difference,
/// 2 SNR (Re b^H db)^2 / ||b||^2, is the information in the received energy ||b(theta)||, which eq. (11) ignores. It is the
/// high-SNR limit of the Ziv-Zakai bounds (<see cref="AodZivZakaiBound"/>, <see cref="PositionZivZakaiBound"/>).
/// a~ is the TRUE array, impaired or not.
/// </summary>
public static class KnownMagnitudeCramerRaoBound
{
    /// <summary>J(theta) / SNR = 2 (||db||^2 - (Im b^H db)^2 / ||b||^2), rad^-2.</summary>
    /// <param name="precoder">F, [N_Tx, T].</param>
    /// <param name="trueArray">The true array a~.</param>
    /// <param name="thetaRad">theta, rad, |theta| &lt; pi/2.</param>
    public static double FisherInformationPerUnitSnr(Precoder precoder, ArrayResponse trueArray, double thetaRad) =>
        AodCramerRaoBound.InformationPerUnitSnr(precoder, trueArray, thetaRad, knownMagnitude: true);

    /// <summary>The mean CRB over <paramref name="thetasRad"/>, rad^2; its square root bounds an RMSE over those angles.</summary>
    public static double Mean(Precoder precoder, ArrayResponse trueArray, ReadOnlySpan<double> thetasRad, double snrDb)
    {
        Guard.AtLeast(thetasRad.Length, 1, "angle count");
        Guard.Finite(snrDb);
        double sum = 0;
        foreach (double theta in thetasRad)
        {
            sum += 1.0 / FisherInformationPerUnitSnr(precoder, trueArray, theta);
        }

        return sum / thetasRad.Length / Units.DecibelsToLinear(snrDb);
    }

    /// <summary>
    /// The position Fisher information of I BSs with independent phases, J_p = sum_i J_i g_i g_i^T (the J_i of this model),
    /// m^-2, [2, 2].
    /// </summary>
    public static double[,] PositionFisherInformation(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, PlanePoint position, double snrDb) =>
        PositionErrorBound.FisherInformation(baseStations, precoders, trueArrays, position, snrDb, FisherInformationPerUnitSnr);

    /// <summary>The PEB of this model, sqrt(trace(J_p^-1)), m; +infinity when J_p is singular.</summary>
    public static double PositionErrorBoundOf(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, PlanePoint position, double snrDb) =>
        PositionErrorBound.FromFisher(PositionFisherInformation(baseStations, precoders, trueArrays, position, snrDb));

    /// <summary>2 (||db||^2 - (Im b^H db)^2 / ||b||^2) for b and db, both [T].</summary>
    internal static double FisherPerUnitSnr(ReadOnlySpan<Complex> b, ReadOnlySpan<Complex> db)
    {
        (double bb, double dd, Complex bd) = AodCramerRaoBound.Moments(b, db);
        return bb > 0 ? 2.0 * Math.Max(0.0, dd - (bd.Imaginary * bd.Imaginary / bb)) : 2.0 * dd;
    }
}
