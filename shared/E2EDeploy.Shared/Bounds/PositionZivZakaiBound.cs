using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The Ziv-Zakai bound on the position (docs/conventions.md point 12): the vector form of Bell, Steinberg, Ephraim and Van
/// Trees (IEEE Trans. IT 43(2), 1997, eq. 34) for the trace of the error covariance, with p uniform on a convex support S
/// (<see cref="PositionPriorSupport"/>: the area P inside every BS's region) and I BSs with independent gains:
/// for each axis a in {x, y},
/// a^T R a &gt;= (1/2) int_0^inf h V{ max over d in D_a of A_d(h) } dh,  A_d(h) = (2 / |S|) int over S n (S - h d) of P_min(phi, phi + h d) dphi,
/// with a^T d = 1 for every d in D_a, so that each d is an admissible choice of the 1997 paper's delta / h. D_a holds a itself
/// (which attains the prior's spread at low SNR) and the d that maximises the high-SNR limit mean over S of 1 / (d^T J(p) d)
/// (which attains the known-magnitude PEB when J varies little over S). The bound on the RMSE is sqrt(x^T R x + y^T R y).
/// Assumptions: any precoders, the TRUE arrays, each gain of known magnitude and uniform phase, independent across BSs.
/// </summary>
public static class PositionZivZakaiBound
{
    /// <summary>Gauss-Legendre order per triangle side of the integral over S (9 nodes per triangle).</summary>
    private const int TriangleOrder = 3;

    /// <summary>The bound on the RMSE of the position, m.</summary>
    /// <param name="baseStations">The BSs, [I].</param>
    /// <param name="precoders">F_i, [I].</param>
    /// <param name="trueArrays">a~_i, [I].</param>
    /// <param name="support">S: p is uniform on it; every point of it must be in front of every BS.</param>
    /// <param name="snrDb">SNR of every BS, dB.</param>
    /// <param name="settings">Quadrature (default <see cref="ZivZakaiSettings.Default"/>).</param>
    public static double Compute(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, ConvexPolygon support, double snrDb, ZivZakaiSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(baseStations);
        ArgumentNullException.ThrowIfNull(precoders);
        ArgumentNullException.ThrowIfNull(trueArrays);
        ArgumentNullException.ThrowIfNull(support);
        Guard.Finite(snrDb);
        settings = (settings ?? ZivZakaiSettings.Default).Validate();
        int bsCount = baseStations.Count;
        if (bsCount < 1 || precoders.Count != bsCount || trueArrays.Count != bsCount)
        {
            throw new ArgumentException($"{bsCount} BSs, {precoders.Count} precoders and {trueArrays.Count} arrays: expected one of each per BS.", nameof(precoders));
        }

        if (support.IsEmpty)
        {
            throw new ArgumentException("the support S is empty: expected a polygon of positive area.", nameof(support));
        }

        var problem = new Problem(baseStations, precoders, trueArrays, support, ChannelSimulator.NoiseVariance(snrDb), settings);
        double total = 0;
        foreach ((double ax, double ay) in new[] { (1.0, 0.0), (0.0, 1.0) })
        {
            total += problem.AxisBound(ax, ay, Units.DecibelsToLinear(snrDb));
        }

        return Math.Sqrt(total);
    }

    /// <summary>One bound's inputs and reusable buffers.</summary>
    private sealed class Problem(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, ConvexPolygon support, double noiseVariance, ZivZakaiSettings settings)
    {
        private readonly MinimumErrorProbability.Rules rules = new(settings);
        private readonly MinimumErrorProbability.Workspace workspace = new();
        private readonly int t = precoders[0].TransmissionCount;
        private readonly (PlanePoint Point, double Weight)[] priorNodes = support.Quadrature(TriangleOrder);

        /// <summary>a^T R a &gt;= ..., m^2, for the axis (ax, ay).</summary>
        public double AxisBound(double ax, double ay, double snr)
        {
            (double X, double Y)[] directions = [(ax, ay), HighSnrDirection(ax, ay)];
            double smallest = double.PositiveInfinity, largest = 0;
            foreach ((double dx, double dy) in directions)
            {
                foreach ((PlanePoint p, _) in priorNodes)
                {
                    double[,] j = KnownMagnitudeCramerRaoBound.PositionFisherInformation(baseStations, precoders, trueArrays, p, 10 * Math.Log10(snr));
                    double along = (dx * dx * j[0, 0]) + (2 * dx * dy * j[0, 1]) + (dy * dy * j[1, 1]);
                    smallest = Math.Min(smallest, 1 / Math.Sqrt(Math.Max(along, 1e-300)));
                }

                largest = Math.Max(largest, Reach(dx, dy));
            }

            double[] distances = AodZivZakaiBound.LogSpaced(Math.Min(0.01 * smallest, largest / 1000), largest, settings.DistanceNodes);
            var area = new double[distances.Length];
            for (int k = 0; k < distances.Length; k++)
            {
                foreach ((double dx, double dy) in directions)
                {
                    area[k] = Math.Max(area[k], Overlap(distances[k] * dx, distances[k] * dy));
                }
            }

            return AodZivZakaiBound.Integrate(distances, area);
        }

        /// <summary>A_d(h) for the shift delta = h d.</summary>
        private double Overlap(double shiftX, double shiftY)
        {
            ConvexPolygon overlap = support.Intersect(support.Translate(-shiftX, -shiftY));
            if (overlap.IsEmpty)
            {
                return 0;
            }

            int bsCount = baseStations.Count;
            Span<Complex> first = stackalloc Complex[bsCount * t];
            Span<Complex> second = stackalloc Complex[bsCount * t];
            double sum = 0;
            foreach ((PlanePoint p, double weight) in overlap.Quadrature(TriangleOrder))
            {
                var shifted = new PlanePoint(p.X + shiftX, p.Y + shiftY);
                for (int i = 0; i < bsCount; i++)
                {
                    precoders[i].ResponseAt(trueArrays[i], baseStations[i].AodOf(p), first.Slice(i * t, t));
                    precoders[i].ResponseAt(trueArrays[i], baseStations[i].AodOf(shifted), second.Slice(i * t, t));
                }

                sum += weight * MinimumErrorProbability.Compute(first, second, bsCount, noiseVariance, rules, workspace);
            }

            return 2 * sum / support.Area;
        }

        /// <summary>The largest h with S n (S - h d) not empty, by bisection.</summary>
        private double Reach(double dx, double dy)
        {
            double high = 0;
            foreach (PlanePoint a in support.Vertices)
            {
                foreach (PlanePoint b in support.Vertices)
                {
                    high = Math.Max(high, Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y))));
                }
            }

            high /= Math.Sqrt((dx * dx) + (dy * dy));
            double low = 0;
            for (int iteration = 0; iteration < 50; iteration++)
            {
                double middle = 0.5 * (low + high);
                if (support.Intersect(support.Translate(-middle * dx, -middle * dy)).IsEmpty)
                {
                    high = middle;
                }
                else
                {
                    low = middle;
                }
            }

            return high;
        }

        /// <summary>
        /// d = a + eta a_perp maximising the mean over S of 1 / (d^T J(p) d), J of one unit of SNR: the high-SNR limit of the
        /// axis bound for a fixed direction (golden-section search over eta in [-4, 4]).
        /// </summary>
        private (double X, double Y) HighSnrDirection(double ax, double ay)
        {
            var fishers = priorNodes.Select(node => KnownMagnitudeCramerRaoBound.PositionFisherInformation(baseStations, precoders, trueArrays, node.Point, 0)).ToArray();
            double totalWeight = priorNodes.Sum(node => node.Weight);
            (double px, double py) = (-ay, ax);
            double Limit(double eta)
            {
                double dx = ax + (eta * px), dy = ay + (eta * py), sum = 0;
                for (int n = 0; n < fishers.Length; n++)
                {
                    double[,] j = fishers[n];
                    double along = (dx * dx * j[0, 0]) + (2 * dx * dy * j[0, 1]) + (dy * dy * j[1, 1]);
                    sum += priorNodes[n].Weight / Math.Max(along, 1e-300);
                }

                return sum / totalWeight;
            }

            double low = -4, high = 4;
            double golden = (Math.Sqrt(5) - 1) / 2;
            double c = high - (golden * (high - low)), d = low + (golden * (high - low));
            double fc = Limit(c), fd = Limit(d);
            for (int iteration = 0; iteration < 60; iteration++)
            {
                if (fc > fd)
                {
                    (high, d, fd) = (d, c, fc);
                    c = high - (golden * (high - low));
                    fc = Limit(c);
                }
                else
                {
                    (low, c, fc) = (c, d, fd);
                    d = low + (golden * (high - low));
                    fd = Limit(d);
                }
            }

            double best = 0.5 * (low + high);
            return (ax + (best * px), ay + (best * py));
        }
    }
}
