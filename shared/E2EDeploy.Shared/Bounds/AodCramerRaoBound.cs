using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The CRB on the AoD of one BS with an unknown complex gain (docs/conventions.md point 3):
/// with b = F^T a~(theta), db = F^T d a~/d theta,
/// J(theta) = 2 SNR (||db||^2 - |b^H db|^2 / ||b||^2) and CRB(theta) = 1 / J(theta), in rad^2.
/// a~ is the TRUE steering vector, impaired or not (footnote 2 of the paper).
/// </summary>
public static class AodCramerRaoBound
{
    /// <summary>The equivalent Fisher information J(theta) of the AoD, rad^-2.</summary>
    /// <param name="precoder">F, [N_Tx, T].</param>
    /// <param name="trueArray">The true array a~.</param>
    /// <param name="thetaRad">theta, rad, |theta| &lt; pi/2.</param>
    /// <param name="snrDb">SNR = |alpha|^2 / sigma^2, dB.</param>
    public static double FisherInformation(Precoder precoder, ArrayResponse trueArray, double thetaRad, double snrDb)
    {
        Guard.Finite(snrDb);
        return Units.DecibelsToLinear(snrDb) * FisherInformationPerUnitSnr(precoder, trueArray, thetaRad);
    }

    /// <summary>CRB(theta) = 1 / J(theta), rad^2.</summary>
    public static double Compute(Precoder precoder, ArrayResponse trueArray, double thetaRad, double snrDb) =>
        1.0 / FisherInformation(precoder, trueArray, thetaRad, snrDb);

    /// <summary>The mean CRB over the angles <paramref name="thetasRad"/>, rad^2 (the bound of an RMSE over those angles is its square root).</summary>
    public static double Mean(Precoder precoder, ArrayResponse trueArray, ReadOnlySpan<double> thetasRad, double snrDb)
    {
        Guard.AtLeast(thetasRad.Length, 1, "angle count");
        double scale = 1.0 / Units.DecibelsToLinear(snrDb);
        double sum = 0;
        foreach (double theta in thetasRad)
        {
            sum += scale / FisherInformationPerUnitSnr(precoder, trueArray, theta);
        }

        return sum / thetasRad.Length;
    }

    /// <summary>J(theta) / SNR = 2 (||db||^2 - |b^H db|^2 / ||b||^2), rad^-2.</summary>
    public static double FisherInformationPerUnitSnr(Precoder precoder, ArrayResponse trueArray, double thetaRad) =>
        InformationPerUnitSnr(precoder, trueArray, thetaRad, knownMagnitude: false);

    /// <summary>
    /// J(theta) / SNR of either gain model (docs/conventions.md points 3 and 12): from b = F^T a~(theta) and db, with the
    /// complex gain unknown, 2 (||db||^2 - |b^H db|^2 / ||b||^2), or with its magnitude known, 2 (||db||^2 - (Im b^H db)^2 / ||b||^2).
    /// </summary>
    internal static double InformationPerUnitSnr(Precoder precoder, ArrayResponse trueArray, double thetaRad, bool knownMagnitude)
    {
        ArgumentNullException.ThrowIfNull(precoder);
        ArgumentNullException.ThrowIfNull(trueArray);
        Guard.AngleInsideHalfPlane(thetaRad);
        Span<Complex> b = stackalloc Complex[precoder.TransmissionCount];
        Span<Complex> db = stackalloc Complex[precoder.TransmissionCount];
        precoder.ResponseAt(trueArray, thetaRad, b, db);
        return knownMagnitude ? KnownMagnitudeCramerRaoBound.FisherPerUnitSnr(b, db) : FisherPerUnitSnr(b, db);
    }

    /// <summary>2 (||db||^2 - |b^H db|^2 / ||b||^2) for given b and db, both [T].</summary>
    internal static double FisherPerUnitSnr(ReadOnlySpan<Complex> b, ReadOnlySpan<Complex> db)
    {
        (double bb, double dd, Complex bd) = Moments(b, db);
        if (!(bb > 0))
        {
            return 0;
        }

        double magnitude2 = (bd.Real * bd.Real) + (bd.Imaginary * bd.Imaginary);
        return 2.0 * Math.Max(0.0, dd - (magnitude2 / bb));
    }

    /// <summary>||b||^2, ||db||^2 and b^H db, for b and db [T].</summary>
    internal static (double Energy, double DerivativeEnergy, Complex Cross) Moments(ReadOnlySpan<Complex> b, ReadOnlySpan<Complex> db)
    {
        double bb = 0;
        double dd = 0;
        Complex bd = Complex.Zero;
        for (int k = 0; k < b.Length; k++)
        {
            bb += (b[k].Real * b[k].Real) + (b[k].Imaginary * b[k].Imaginary);
            dd += (db[k].Real * db[k].Real) + (db[k].Imaginary * db[k].Imaginary);
            bd += Complex.Conjugate(b[k]) * db[k];
        }

        return (bb, dd, bd);
    }
}
