using System.Numerics;
using E2EDeploy.Shared.Numerics;
using MathNet.Numerics.Integration;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The minimum error probability of the binary test that the Ziv-Zakai bounds need (docs/conventions.md point 12): with equal
/// priors, H0: y_i = e^(j phi_i) b0_i + n_i against H1: y_i = e^(j phi_i) b1_i + n_i for BSs i = 1..I, independent phases phi_i
/// uniform on [0, 2 pi) and noise n_i ~ CN(0, sigma^2 I) [T]. It is a test between non-coherent signals; no closed form exists
/// when ||b0_i|| != ||b1_i||, so it is computed numerically:
/// <list type="number">
/// <item>P_min = (1/2) E_H0[min(1, exp(L))], L = sum_i L_i the log-likelihood ratio, since the density of L under H1 is e^L
/// times its density under H0. Per BS, L_i = log I0(2 |b1^H y| / sigma^2) - log I0(2 |b0^H y| / sigma^2)
/// - (||b1||^2 - ||b0||^2) / sigma^2.</item>
/// <item>Under H0 (phase 0 without loss of generality), with e0 = b0 / ||b0||, beta0 = e0^H b1 and beta1 = ||b1 - beta0 e0||:
/// r = |e0^H y| is Rice(||b0||, sigma / sqrt 2), and given r, |b1^H y| is Rice(|beta0| r, beta1 sigma / sqrt 2). L_i depends
/// on the two magnitudes only, so its distribution is a two-level Gauss-Legendre rule over the two Rice densities, the inner
/// one split where L_i = 0 (the kink of min(1, e^L) for one BS).</item>
/// <item>For I &gt; 1 the BSs' rules are combined: E[min(1, e^(u + L_I))] over the last BS's sorted nodes for every node u
/// of the sum of the others.</item>
/// </list>
/// Accuracy: with the default orders, within 0.2 % (relative) of rules six times finer, and within 3 standard errors of a
/// brute-force Monte-Carlo likelihood-ratio test of 200,000 trials (tests/E2EDeploy.Shared.Tests/Bounds).
/// </summary>
public static class MinimumErrorProbability
{
    /// <summary>Half-width of each Rice density's range, in its standard deviations (the mass beyond is below 1e-11).</summary>
    private const double RangeInDeviations = 7;

    /// <summary>Larger sums of nodes are merged onto this many bins before the last BS is added.</summary>
    private const int MaxNodes = 4096;

    /// <summary>P_min of the test between <paramref name="first"/> and <paramref name="second"/>, [I, T] each, at noise variance <paramref name="noiseVariance"/>.</summary>
    /// <param name="first">b0_i per BS, [I, T] row-major.</param>
    /// <param name="second">b1_i per BS, [I, T] row-major.</param>
    /// <param name="baseStationCount">I.</param>
    /// <param name="noiseVariance">sigma^2 &gt; 0.</param>
    /// <param name="settings">Quadrature orders (default <see cref="ZivZakaiSettings.Default"/>).</param>
    public static double Compute(ReadOnlySpan<Complex> first, ReadOnlySpan<Complex> second, int baseStationCount, double noiseVariance, ZivZakaiSettings? settings = null)
    {
        Guard.AtLeast(baseStationCount, 1);
        Guard.Positive(noiseVariance);
        if (first.Length != second.Length || first.Length % baseStationCount != 0 || first.Length == 0)
        {
            throw new ArgumentException($"first has {first.Length} and second {second.Length} values: expected [I = {baseStationCount}, T] each.", nameof(second));
        }

        var rules = new Rules(settings ?? ZivZakaiSettings.Default);
        return Compute(first, second, baseStationCount, noiseVariance, rules, new Workspace());
    }

    /// <summary>The Gauss-Legendre rules on [-1, 1] of one setting, made once per bound.</summary>
    internal sealed class Rules(ZivZakaiSettings settings)
    {
        public GaussLegendreRule Radius { get; } = new(-1, 1, settings.Validate().RadiusNodes);

        public GaussLegendreRule Inner { get; } = new(-1, 1, settings.InnerNodes);
    }

    /// <summary>Buffers reused across calls on one thread.</summary>
    internal sealed class Workspace
    {
        public List<(double Value, double Weight)> Current { get; } = [];

        public List<(double Value, double Weight)> Next { get; } = [];

        public List<(double Value, double Weight)> Last { get; } = [];
    }

    internal static double Compute(ReadOnlySpan<Complex> first, ReadOnlySpan<Complex> second, int baseStationCount, double noiseVariance, Rules rules, Workspace workspace)
    {
        int t = first.Length / baseStationCount;
        List<(double Value, double Weight)> current = workspace.Current, next = workspace.Next, last = workspace.Last;
        current.Clear();
        current.Add((0, 1));
        for (int i = 0; i < baseStationCount - 1; i++)
        {
            last.Clear();
            AddNodes(first.Slice(i * t, t), second.Slice(i * t, t), noiseVariance, rules, last);
            next.Clear();
            foreach ((double u, double wu) in current)
            {
                foreach ((double v, double wv) in last)
                {
                    next.Add((u + v, wu * wv));
                }
            }

            current.Clear();
            if (next.Count > MaxNodes)
            {
                Merge(next, current);
            }
            else
            {
                current.AddRange(next);
            }
        }

        last.Clear();
        int lastIndex = baseStationCount - 1;
        AddNodes(first.Slice(lastIndex * t, t), second.Slice(lastIndex * t, t), noiseVariance, rules, last);
        return 0.5 * ExpectedMinimum(current, last);
    }

    /// <summary>E[min(1, e^(U + V))] for independent U and V given by their nodes.</summary>
    private static double ExpectedMinimum(List<(double Value, double Weight)> u, List<(double Value, double Weight)> v)
    {
        v.Sort((a, b) => a.Value.CompareTo(b.Value));
        int n = v.Count;
        Span<double> values = n <= 2048 ? stackalloc double[n] : new double[n];
        Span<double> below = n <= 2048 ? stackalloc double[n + 1] : new double[n + 1];
        Span<double> belowExp = n <= 2048 ? stackalloc double[n + 1] : new double[n + 1];
        below[0] = 0;
        belowExp[0] = 0;
        for (int k = 0; k < n; k++)
        {
            values[k] = v[k].Value;
            below[k + 1] = below[k] + v[k].Weight;
            belowExp[k + 1] = belowExp[k] + (v[k].Weight * Math.Exp(Math.Min(v[k].Value, 300)));
        }

        double total = below[n];
        double sum = 0;
        foreach ((double value, double weight) in u)
        {
            // Nodes of V below -u count e^(u + v); the rest count 1.
            int split = LowerBound(values, -value);
            double expected = (Math.Exp(Math.Clamp(value, -745, 300)) * belowExp[split]) + (total - below[split]);
            sum += weight * Math.Min(expected, 1.0);
        }

        return sum;
    }

    private static int LowerBound(ReadOnlySpan<double> sorted, double key)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Merges nodes onto evenly spaced bins, each node split between its two neighbours so that the mean is kept.</summary>
    private static void Merge(List<(double Value, double Weight)> nodes, List<(double Value, double Weight)> merged)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach ((double value, _) in nodes)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        int bins = MaxNodes;
        double step = (max - min) / (bins - 1);
        var weights = new double[bins];
        foreach ((double value, double weight) in nodes)
        {
            double position = step > 0 ? (value - min) / step : 0;
            int low = Math.Min((int)position, bins - 2);
            double fraction = position - low;
            weights[low] += weight * (1 - fraction);
            weights[low + 1] += weight * fraction;
        }

        for (int k = 0; k < bins; k++)
        {
            if (weights[k] > 0)
            {
                merged.Add((min + (k * step), weights[k]));
            }
        }
    }

    /// <summary>Adds the nodes (L_i, weight) of one BS's log-likelihood ratio under H0; the weights sum to 1.</summary>
    internal static void AddNodes(ReadOnlySpan<Complex> b0, ReadOnlySpan<Complex> b1, double noiseVariance, Rules rules, List<(double Value, double Weight)> nodes)
    {
        double energy0 = 0, energy1 = 0;
        Complex cross = Complex.Zero;
        for (int k = 0; k < b0.Length; k++)
        {
            energy0 += (b0[k].Real * b0[k].Real) + (b0[k].Imaginary * b0[k].Imaginary);
            energy1 += (b1[k].Real * b1[k].Real) + (b1[k].Imaginary * b1[k].Imaginary);
            cross += Complex.Conjugate(b0[k]) * b1[k];
        }

        double norm0 = Math.Sqrt(energy0);

        // |beta0| and beta1: the parts of b1 along and across b0 (with b0 = 0, e0 is taken along b1).
        double along = norm0 > 0 ? cross.Magnitude / norm0 : Math.Sqrt(energy1);
        double across = Math.Sqrt(Math.Max(0, energy1 - (along * along)));
        double offset = (energy1 - energy0) / noiseVariance;
        double scale = 2 / noiseVariance;
        double deviation = Math.Sqrt(noiseVariance / 2);
        ReadOnlySpan<double> radiusX = rules.Radius.Abscissas, radiusW = rules.Radius.Weights;
        (double radiusLow, double radiusHigh) = Range(norm0, deviation);
        double radiusHalf = 0.5 * (radiusHigh - radiusLow), radiusMid = 0.5 * (radiusHigh + radiusLow);
        double radiusTotal = 0;
        Span<double> outerWeights = stackalloc double[radiusX.Length];
        for (int k = 0; k < radiusX.Length; k++)
        {
            double r = radiusMid + (radiusHalf * radiusX[k]);
            outerWeights[k] = radiusW[k] * RiceDensity(r, norm0, deviation);
            radiusTotal += outerWeights[k];
        }

        for (int k = 0; k < radiusX.Length; k++)
        {
            double r = radiusMid + (radiusHalf * radiusX[k]);
            double outer = outerWeights[k] / radiusTotal;
            if (!(outer > 0))
            {
                continue;
            }

            double threshold = ModifiedBessel.LogI0(scale * norm0 * r) + offset;
            double centre = along * r, spread = across * deviation;
            if (spread <= 1e-12 * Math.Max(centre, 1e-300))
            {
                nodes.Add((Ratio(centre, threshold, scale), outer));
                continue;
            }

            // The kink: L_i = 0 where log I0(scale rho) = threshold.
            double kink = ModifiedBessel.InverseLogI0(threshold) / scale;
            (double low, double high) = Range(centre, spread);
            int innerStart = nodes.Count;
            double innerTotal = 0;
            innerTotal += AddInner(low, Math.Min(kink, high), centre, spread, threshold, scale, outer, rules, nodes);
            innerTotal += AddInner(Math.Max(kink, low), high, centre, spread, threshold, scale, outer, rules, nodes);
            for (int n = innerStart; n < nodes.Count; n++)
            {
                nodes[n] = (nodes[n].Value, nodes[n].Weight / innerTotal);
            }
        }

    }

    private static double AddInner(double low, double high, double centre, double spread, double threshold, double scale, double outer, Rules rules, List<(double Value, double Weight)> nodes)
    {
        if (!(high > low))
        {
            return 0;
        }

        ReadOnlySpan<double> x = rules.Inner.Abscissas, w = rules.Inner.Weights;
        double half = 0.5 * (high - low), mid = 0.5 * (high + low), total = 0;
        for (int k = 0; k < x.Length; k++)
        {
            double rho = mid + (half * x[k]);
            double weight = w[k] * half * RiceDensity(rho, centre, spread);
            total += weight;
            nodes.Add((Ratio(rho, threshold, scale), outer * weight));
        }

        return total;
    }

    /// <summary>L_i = log I0(scale rho) - threshold, kept within [-745, 300].</summary>
    private static double Ratio(double rho, double threshold, double scale) => Math.Clamp(ModifiedBessel.LogI0(scale * rho) - threshold, -745, 300);

    /// <summary>The range of a Rice(centre, spread) variable that holds all but 1e-17 of its mass.</summary>
    private static (double Low, double High) Range(double centre, double spread) =>
        (Math.Max(0, centre - (RangeInDeviations * spread)), centre + (RangeInDeviations * spread));

    /// <summary>The Rice density (x / s^2) exp(-(x - nu)^2 / (2 s^2)) e^(-x nu / s^2) I0(x nu / s^2).</summary>
    private static double RiceDensity(double x, double nu, double s)
    {
        if (x <= 0)
        {
            return 0;
        }

        double s2 = s * s;
        double d = x - nu;
        return x / s2 * Math.Exp(-(d * d) / (2 * s2)) * ModifiedBessel.ScaledI0(x * nu / s2);
    }
}
