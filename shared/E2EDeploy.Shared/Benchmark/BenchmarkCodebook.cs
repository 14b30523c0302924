using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Benchmark;

/// <summary>
/// The directional-plus-derivative codebook of eqs. (8)-(10), with the conjugate of docs/conventions.md point 2:
/// F_heur = [conj a(theta_1) .. conj a(theta_{T/2}), conj a'(theta_1) .. conj a'(theta_{T/2})], where the
/// theta_g are T/2 angles evenly spaced over U (both ends included) and every column has unit norm.
/// </summary>
public static class BenchmarkCodebook
{
    /// <summary>Builds F_heur [N_Tx, T] for region <paramref name="region"/> with the model array <paramref name="designArray"/>.</summary>
    /// <param name="region">U, rad.</param>
    /// <param name="designArray">The array model the benchmark believes in (nominal in the paper).</param>
    /// <param name="transmissionCount">T, even, &gt;= 2.</param>
    public static Precoder Build(AngularRegion region, ArrayResponse designArray, int transmissionCount)
    {
        ArgumentNullException.ThrowIfNull(designArray);
        if (transmissionCount < 2 || transmissionCount % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(transmissionCount), transmissionCount, $"transmissionCount = {transmissionCount}: expected an even T >= 2 (T/2 directional and T/2 derivative beams, eq. 8).");
        }

        int n = designArray.ElementCount;
        int half = transmissionCount / 2;
        double[] angles = region.EvenGrid(half);
        var columns = new Complex[transmissionCount][];
        for (int g = 0; g < half; g++)
        {
            var a = new Complex[n];
            var da = new Complex[n];
            designArray.Evaluate(angles[g], a, da, default);
            columns[g] = UnitConjugate(a, $"directional beam {g}");
            columns[half + g] = UnitConjugate(da, $"derivative beam {g}");
        }

        return Precoder.FromColumns(columns);
    }

    private static Complex[] UnitConjugate(Complex[] v, string what)
    {
        double norm = 0;
        foreach (Complex x in v)
        {
            norm += (x.Real * x.Real) + (x.Imaginary * x.Imaginary);
        }

        norm = Math.Sqrt(norm);
        if (!(norm > 0))
        {
            throw new InvalidOperationException($"the {what} is all zeros and cannot be normalised.");
        }

        for (int k = 0; k < v.Length; k++)
        {
            v[k] = Complex.Conjugate(v[k]) / norm;
        }

        return v;
    }
}
