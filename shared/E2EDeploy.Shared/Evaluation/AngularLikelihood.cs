using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Evaluation;

/// <summary>
/// The log-likelihood of one BS's AoD with the gain as the simulator draws it (docs/conventions.md point 12), on an even grid
/// over the region U: l(theta) = log I0(2 |b(theta)^H y| / sigma^2) - ||b(theta)||^2 / sigma^2, b = F^T a~(theta) with the
/// TRUE array. The grid step is half the smallest known-magnitude sqrt(CRB) over U at the SNR (at most W / 512), so that the
/// posterior is resolved at every SNR (the trapezoid rule's error on a Gaussian of that width is below 1e-30). Immutable and thread-safe; b(theta) is computed once.
/// </summary>
public sealed class AngularLikelihood
{
    /// <summary>The most grid points.</summary>
    public const int MaxGridPoints = 1 << 16;

    private readonly Complex[] responses;
    private readonly double[] energies;

    /// <summary>Creates the likelihood of BS precoder <paramref name="precoder"/> seen through <paramref name="trueArray"/> on <paramref name="region"/> at <paramref name="snrDb"/>.</summary>
    public AngularLikelihood(Precoder precoder, ArrayResponse trueArray, AngularRegion region, double snrDb)
    {
        ArgumentNullException.ThrowIfNull(precoder);
        ArgumentNullException.ThrowIfNull(trueArray);
        Guard.Finite(snrDb);
        if (!(region.WidthRad > 0) || !(Math.Abs(region.MinRad) < Math.PI / 2) || !(Math.Abs(region.MaxRad) < Math.PI / 2))
        {
            throw new ArgumentException($"region U = {region}: expected a region of positive width inside (-90, 90) deg.", nameof(region));
        }

        Region = region;
        TransmissionCount = precoder.TransmissionCount;
        NoiseVariance = ChannelSimulator.NoiseVariance(snrDb);
        double smallest = double.PositiveInfinity;
        foreach (double theta in region.EvenGrid(64))
        {
            double information = KnownMagnitudeCramerRaoBound.FisherInformationPerUnitSnr(precoder, trueArray, theta) / NoiseVariance;
            smallest = Math.Min(smallest, 1 / Math.Sqrt(Math.Max(information, 1e-300)));
        }

        double step = Math.Min(0.5 * smallest, region.WidthRad / 512);
        int points = (int)Math.Min(MaxGridPoints, Math.Ceiling(region.WidthRad / step) + 1);
        Grid = region.EvenGrid(points);
        Step = region.WidthRad / (points - 1);
        responses = new Complex[points * TransmissionCount];
        energies = new double[points];
        for (int g = 0; g < points; g++)
        {
            Span<Complex> b = responses.AsSpan(g * TransmissionCount, TransmissionCount);
            precoder.ResponseAt(trueArray, Grid[g], b);
            double energy = 0;
            foreach (Complex v in b)
            {
                energy += (v.Real * v.Real) + (v.Imaginary * v.Imaginary);
            }

            energies[g] = energy;
        }
    }

    /// <summary>U, rad.</summary>
    public AngularRegion Region { get; }

    /// <summary>T.</summary>
    public int TransmissionCount { get; }

    /// <summary>sigma^2 of the SNR.</summary>
    public double NoiseVariance { get; }

    /// <summary>The grid theta_g over U, ends included, rad.</summary>
    public IReadOnlyList<double> Grid { get; }

    /// <summary>The grid step, rad.</summary>
    public double Step { get; }

    /// <summary>l(theta_g) for one observation y [T]; <paramref name="logLikelihood"/> [G].</summary>
    public void Evaluate(ReadOnlySpan<Complex> observation, Span<double> logLikelihood)
    {
        Guard.Length(observation, TransmissionCount, "[T]");
        Guard.Length(logLikelihood, Grid.Count, "[G]");
        int t = TransmissionCount;
        double scale = 2 / NoiseVariance;
        for (int g = 0; g < energies.Length; g++)
        {
            ReadOnlySpan<Complex> b = responses.AsSpan(g * t, t);
            double re = 0, im = 0;
            for (int k = 0; k < t; k++)
            {
                // b^H y
                re += (b[k].Real * observation[k].Real) + (b[k].Imaginary * observation[k].Imaginary);
                im += (b[k].Real * observation[k].Imaginary) - (b[k].Imaginary * observation[k].Real);
            }

            logLikelihood[g] = ModifiedBessel.LogI0(scale * Math.Sqrt((re * re) + (im * im))) - (energies[g] / NoiseVariance);
        }
    }

    /// <summary>l(theta) between grid points by cubic (Catmull-Rom) interpolation of <paramref name="logLikelihood"/>; theta inside U.</summary>
    public double Interpolate(ReadOnlySpan<double> logLikelihood, double thetaRad) => InterpolateAt(logLikelihood, GridPosition(thetaRad));

    /// <summary>Where <paramref name="thetaRad"/> falls on the grid, in steps from its start (clamped to the grid).</summary>
    public double GridPosition(double thetaRad) => Math.Clamp((thetaRad - Region.MinRad) / Step, 0, Grid.Count - 1);

    /// <summary>l at grid position <paramref name="position"/> (<see cref="GridPosition"/>) by cubic (Catmull-Rom) interpolation.</summary>
    public static double InterpolateAt(ReadOnlySpan<double> logLikelihood, double position)
    {
        int k = Math.Min((int)position, logLikelihood.Length - 2);
        double s = position - k;
        double p0 = logLikelihood[Math.Max(k - 1, 0)], p1 = logLikelihood[k], p2 = logLikelihood[k + 1], p3 = logLikelihood[Math.Min(k + 2, logLikelihood.Length - 1)];
        return p1 + (0.5 * s * (p2 - p0 + (s * ((2 * p0) - (5 * p1) + (4 * p2) - p3 + (s * ((3 * (p1 - p2)) + p3 - p0))))));
    }
}
