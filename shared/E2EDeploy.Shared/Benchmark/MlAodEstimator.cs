using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Benchmark;

/// <summary>
/// The ML AoD estimator of eq. (11), read as an argmax (docs/conventions.md point 5):
/// theta_hat = argmax over theta in U of |y^H F^T a(theta)|^2 / ||F^T a(theta)||^2,
/// with the model array a (nominal for the paper's benchmark). A grid search over U is refined by a
/// safeguarded Newton iteration on the derivative of the objective (analytic first and second
/// derivatives), so the grid step does not limit the accuracy. Immutable and thread-safe.
/// </summary>
public sealed class MlAodEstimator : IAodEstimator
{
    /// <summary>Default grid step, rad (0.1 deg).</summary>
    public static readonly double DefaultGridStepRad = Units.DegreesToRadians(0.1);

    private const int MaxRefinementSteps = 60;
    private readonly double[] grid;
    private readonly Complex[] normalizedGridResponses;

    /// <summary>Creates the estimator for precoder <paramref name="precoder"/> and region <paramref name="region"/>.</summary>
    /// <param name="precoder">F used by the BS, [N_Tx, T].</param>
    /// <param name="region">U, rad: the search range.</param>
    /// <param name="modelArray">The array model the estimator assumes.</param>
    /// <param name="gridStepRad">Step of the initial grid search, rad, &gt; 0.</param>
    public MlAodEstimator(Precoder precoder, AngularRegion region, ArrayResponse modelArray, double? gridStepRad = null)
    {
        Precoder = precoder ?? throw new ArgumentNullException(nameof(precoder));
        ModelArray = modelArray ?? throw new ArgumentNullException(nameof(modelArray));
        if (precoder.AntennaCount != modelArray.ElementCount)
        {
            throw new ArgumentException($"the precoder has N_Tx = {precoder.AntennaCount} rows: expected {modelArray.ElementCount}, the array size.", nameof(precoder));
        }

        double step = gridStepRad ?? DefaultGridStepRad;
        Guard.Positive(step, nameof(gridStepRad));
        Region = region;
        grid = region.EvenGrid(Math.Max(2, (int)Math.Ceiling(region.WidthRad / step) + 1));
        int t = precoder.TransmissionCount;
        normalizedGridResponses = new Complex[grid.Length * t];
        for (int g = 0; g < grid.Length; g++)
        {
            Span<Complex> b = normalizedGridResponses.AsSpan(g * t, t);
            precoder.ResponseAt(modelArray, grid[g], b);
            double norm = 0;
            foreach (Complex v in b)
            {
                norm += (v.Real * v.Real) + (v.Imaginary * v.Imaginary);
            }

            norm = Math.Sqrt(norm);
            for (int k = 0; k < t; k++)
            {
                b[k] = norm > 0 ? b[k] / norm : Complex.Zero;
            }
        }
    }

    /// <summary>F, [N_Tx, T].</summary>
    public Precoder Precoder { get; }

    /// <summary>U, rad.</summary>
    public AngularRegion Region { get; }

    /// <summary>The array model assumed by the estimator.</summary>
    public ArrayResponse ModelArray { get; }

    /// <inheritdoc />
    public int TransmissionCount => Precoder.TransmissionCount;

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad)
    {
        int t = TransmissionCount;
        if (observations.Length != aodRad.Length * t)
        {
            throw new ArgumentException($"observations has length {observations.Length}: expected {aodRad.Length * t} ([B = {aodRad.Length}, T = {t}]).", nameof(observations));
        }

        for (int b = 0; b < aodRad.Length; b++)
        {
            aodRad[b] = Estimate(observations.Slice(b * t, t));
        }
    }

    /// <summary>theta_hat for one observation y [T], rad.</summary>
    public double Estimate(ReadOnlySpan<Complex> observation)
    {
        int t = TransmissionCount;
        Guard.Length(observation, t, "[T]");
        Guard.AllFinite(observation);

        int best = 0;
        double bestValue = -1;
        for (int g = 0; g < grid.Length; g++)
        {
            ReadOnlySpan<Complex> b = normalizedGridResponses.AsSpan(g * t, t);
            double re = 0, im = 0;
            for (int k = 0; k < t; k++)
            {
                // conj(y) * b
                re += (observation[k].Real * b[k].Real) + (observation[k].Imaginary * b[k].Imaginary);
                im += (observation[k].Real * b[k].Imaginary) - (observation[k].Imaginary * b[k].Real);
            }

            double value = (re * re) + (im * im);
            if (value > bestValue)
            {
                bestValue = value;
                best = g;
            }
        }

        return Refine(observation, best);
    }

    /// <summary>Safeguarded Newton on f'(theta) = 0 inside the grid cell next to the grid maximum.</summary>
    private double Refine(ReadOnlySpan<Complex> y, int best)
    {
        double center = grid[best];
        (double fCenter, double slope, _) = Objective(y, center);
        double lo, hi;
        if (slope >= 0)
        {
            if (best == grid.Length - 1)
            {
                return center; // the maximum is on the upper edge of U
            }

            (lo, hi) = (center, grid[best + 1]);
        }
        else
        {
            if (best == 0)
            {
                return center; // the maximum is on the lower edge of U
            }

            (lo, hi) = (grid[best - 1], center);
        }

        double x = center;
        for (int iteration = 0; iteration < MaxRefinementSteps && hi - lo > 1e-13; iteration++)
        {
            (_, double d1, double d2) = Objective(y, x);
            if (d1 > 0)
            {
                lo = Math.Max(lo, x);
            }
            else
            {
                hi = Math.Min(hi, x);
            }

            double next = d2 < 0 ? x - (d1 / d2) : double.NaN;
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }

            if (Math.Abs(next - x) < 1e-13)
            {
                x = next;
                break;
            }

            x = next;
        }

        return Objective(y, x).Value >= fCenter ? x : center;
    }

    /// <summary>f(theta) = |y^H b|^2 / ||b||^2 with b = F^T a(theta), and its first two derivatives.</summary>
    private (double Value, double First, double Second) Objective(ReadOnlySpan<Complex> y, double theta)
    {
        int t = TransmissionCount;
        Span<Complex> b = stackalloc Complex[t];
        Span<Complex> b1 = stackalloc Complex[t];
        Span<Complex> b2 = stackalloc Complex[t];
        Precoder.ResponseAt(ModelArray, theta, b, b1, b2);
        Complex z = Complex.Zero, z1 = Complex.Zero, z2 = Complex.Zero, bb1 = Complex.Zero, bb2 = Complex.Zero;
        double norm = 0, norm1 = 0;
        for (int k = 0; k < t; k++)
        {
            Complex cy = Complex.Conjugate(y[k]);
            Complex cb = Complex.Conjugate(b[k]);
            z += cy * b[k];
            z1 += cy * b1[k];
            z2 += cy * b2[k];
            norm += (b[k].Real * b[k].Real) + (b[k].Imaginary * b[k].Imaginary);
            norm1 += (b1[k].Real * b1[k].Real) + (b1[k].Imaginary * b1[k].Imaginary);
            bb1 += cb * b1[k];
            bb2 += cb * b2[k];
        }

        double g = (z.Real * z.Real) + (z.Imaginary * z.Imaginary);
        double g1 = 2.0 * (Complex.Conjugate(z) * z1).Real;
        double g2 = 2.0 * (((z1.Real * z1.Real) + (z1.Imaginary * z1.Imaginary)) + (Complex.Conjugate(z) * z2).Real);
        double d = norm;
        double d1 = 2.0 * bb1.Real;
        double d2 = 2.0 * (norm1 + bb2.Real);
        double numerator1 = (g1 * d) - (g * d1);
        double first = numerator1 / (d * d);
        double second = (((g2 * d) - (g * d2)) / (d * d)) - (2.0 * d1 * numerator1 / (d * d * d));
        return (g / d, first, second);
    }
}
