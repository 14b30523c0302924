using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The position error bound for I BSs (docs/conventions.md point 3):
/// J_p = sum_i J_i(theta_i(p)) g_i g_i^T, g_i = d theta_i / d p, PEB = sqrt(trace(J_p^-1)), in m.
/// Each J_i is the AoD Fisher information of <see cref="AodCramerRaoBound"/> with BS i's precoder and TRUE array.
/// </summary>
public static class PositionErrorBound
{
    /// <summary>The 2 x 2 position Fisher information J_p, m^-2.</summary>
    /// <param name="baseStations">The BSs, [I].</param>
    /// <param name="precoders">F_i per BS, [I].</param>
    /// <param name="trueArrays">a~_i per BS, [I].</param>
    /// <param name="position">p, m.</param>
    /// <param name="snrDb">SNR of every BS, dB.</param>
    public static double[,] FisherInformation(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, PlanePoint position, double snrDb) =>
        FisherInformation(baseStations, precoders, trueArrays, position, snrDb, AodCramerRaoBound.FisherInformationPerUnitSnr);

    /// <summary>J_p for a given per-BS AoD information per unit SNR (that of one gain model), m^-2.</summary>
    internal static double[,] FisherInformation(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, PlanePoint position, double snrDb, Func<Precoder, ArrayResponse, double, double> informationPerUnitSnr)
    {
        ArgumentNullException.ThrowIfNull(baseStations);
        ArgumentNullException.ThrowIfNull(precoders);
        ArgumentNullException.ThrowIfNull(trueArrays);
        if (precoders.Count != baseStations.Count || trueArrays.Count != baseStations.Count)
        {
            throw new ArgumentException($"{baseStations.Count} BSs, {precoders.Count} precoders and {trueArrays.Count} arrays: expected one precoder and one array per BS.", nameof(precoders));
        }

        Guard.Finite(position.X, "position.X");
        Guard.Finite(position.Y, "position.Y");
        double snr = Units.DecibelsToLinear(snrDb);
        var fisher = new double[2, 2];
        for (int i = 0; i < baseStations.Count; i++)
        {
            double theta = baseStations[i].AodOf(position);
            if (Math.Abs(theta) >= Math.PI / 2)
            {
                throw new ArgumentException($"position ({position.X}, {position.Y}) m is at AoD {Units.RadiansToDegrees(theta):0.##} deg from BS {i + 1}: expected |theta| < 90 deg (in front of every BS).", nameof(position));
            }

            double j = snr * informationPerUnitSnr(precoders[i], trueArrays[i], theta);
            (double gx, double gy) = AngleOfDeparture.Gradient(position, baseStations[i].Position);
            fisher[0, 0] += j * gx * gx;
            fisher[0, 1] += j * gx * gy;
            fisher[1, 0] += j * gy * gx;
            fisher[1, 1] += j * gy * gy;
        }

        return fisher;
    }

    /// <summary>PEB = sqrt(trace(J_p^-1)), m; +infinity when J_p is singular (for instance a single BS).</summary>
    public static double Compute(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, PlanePoint position, double snrDb) =>
        FromFisher(FisherInformation(baseStations, precoders, trueArrays, position, snrDb));

    /// <summary>sqrt(trace(J^-1)) of a 2 x 2 Fisher information, m; +infinity when it is singular.</summary>
    internal static double FromFisher(double[,] j)
    {
        double determinant = (j[0, 0] * j[1, 1]) - (j[0, 1] * j[1, 0]);
        double trace = j[0, 0] + j[1, 1];
        if (!(determinant > 1e-14 * trace * trace))
        {
            return double.PositiveInfinity;
        }

        return Math.Sqrt(trace / determinant);
    }
}
