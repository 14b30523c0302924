using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Tests.Benchmark;

/// <summary>
/// Optimality of the CRB-optimal power allocation (docs/conventions.md point 4), proven here with quantities the
/// test computes itself: J_k(rho) from the CRB module on F(rho) = F_heur diag(sqrt rho), its gradient by
/// finite differences, and the concavity bound max over rho' of sum_k w_k J_k(rho') &lt;= sum_k w_k J_k(rho) +
/// max_t G_t - rho^T G, which holds for ANY weights w on the simplex.
/// </summary>
[TestClass]
public sealed class PowerAllocationTests
{
    private const int N = 32;
    private const int T = 20;

    public static IEnumerable<object[]> Regions()
    {
        yield return [40.0, 60.0];
        yield return [-30.0, -20.0];
        yield return [-10.0, 10.0];
        yield return [32.73, 62.73];
        yield return [-60.0, -45.0];
    }

    [TestMethod]
    [DynamicData(nameof(Regions))]
    public void DualityGapCertificateProvesTheWorstCaseFisherOptimal(double minDeg, double maxDeg)
    {
        AngularRegion region = AngularRegion.FromDegrees(minDeg, maxDeg);
        ArrayResponse nominal = ArrayResponse.Nominal(N);
        Precoder codebook = BenchmarkCodebook.Build(region, nominal, T);
        PowerAllocationResult result = PowerAllocation.Solve(codebook, nominal, region);

        Assert.AreEqual(1.0, result.Powers.Sum(), 1e-12);
        Assert.IsTrue(result.Powers.All(r => r >= 0), "powers are non-negative");
        Assert.AreEqual(1.0, result.DualWeights.Sum(), 1e-9);

        double[] grid = result.GridRad;
        double[] values = grid.Select(theta => Fisher(codebook, nominal, result.Powers, theta)).ToArray();
        double lower = values.Min();
        Assert.AreEqual(1, result.WorstCaseFisherPerUnitSnr / lower, 1e-9, "the reported worst case is the CRB module's");

        var combined = new double[T];
        double weighted = 0;
        for (int k = 0; k < grid.Length; k++)
        {
            double[] gradient = FiniteDifferenceGradient(codebook, nominal, result.Powers, grid[k]);
            weighted += result.DualWeights[k] * values[k];
            for (int t = 0; t < T; t++)
            {
                combined[t] += result.DualWeights[k] * gradient[t];
            }
        }

        double upper = weighted + combined.Max() - combined.Select((g, t) => g * result.Powers[t]).Sum();
        Assert.IsLessThanOrEqualTo(PowerAllocation.DefaultRelativeTolerance, (upper - lower) / lower, $"relative duality gap: upper {upper}, lower {lower}");
    }

    [TestMethod]
    public void NoFeasiblePerturbationImprovesTheWorstCase()
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        ArrayResponse nominal = ArrayResponse.Nominal(N);
        Precoder codebook = BenchmarkCodebook.Build(region, nominal, T);
        PowerAllocationResult result = PowerAllocation.Solve(codebook, nominal, region);
        double optimum = WorstCase(codebook, nominal, result.Powers, result.GridRad);
        double uniform = WorstCase(codebook, nominal, Enumerable.Repeat(1.0 / T, T).ToArray(), result.GridRad);
        Assert.IsGreaterThan(uniform, optimum, "better than uniform");

        Random random = RandomSources.Create(31);
        foreach (double scale in new[] { 1e-1, 1e-2, 1e-3 })
        {
            for (int trial = 0; trial < 100; trial++)
            {
                double[] candidate = result.Powers.Select(r => Math.Max(0, r + (scale * (random.NextDouble() - 0.5)))).ToArray();
                double sum = candidate.Sum();
                candidate = candidate.Select(r => r / sum).ToArray();
                Assert.IsLessThanOrEqualTo(optimum * (1 + 1e-9), WorstCase(codebook, nominal, candidate, result.GridRad), $"perturbation of size {scale}");
            }
        }
    }

    [TestMethod]
    public void BenchmarkPrecoderHasUnitFrobeniusNorm()
    {
        BenchmarkPrecoderDesign design = BenchmarkPrecoder.Design(AngularRegion.FromDegrees(40, 60), N, T);
        Assert.AreEqual(1.0, design.Precoder.FrobeniusNorm, 1e-12);
        Assert.IsLessThanOrEqualTo(PowerAllocation.DefaultRelativeTolerance, design.Allocation.RelativeDualityGap);
    }

    private static double Fisher(Precoder codebook, ArrayResponse array, double[] powers, double theta) =>
        AodCramerRaoBound.FisherInformationPerUnitSnr(codebook.ScaleColumns(powers.Select(Math.Sqrt).ToArray()), array, theta);

    private static double WorstCase(Precoder codebook, ArrayResponse array, double[] powers, double[] grid) =>
        grid.Min(theta => Fisher(codebook, array, powers, theta));

    /// <summary>
    /// d J / d rho_t by central differences of J(rho) = 2 (sum rho |r'|^2 - |sum rho conj(r) r'|^2 / sum rho |r|^2), with r and r'
    /// the codebook responses (this expression extends J smoothly to rho_t slightly below 0).
    /// </summary>
    private static double[] FiniteDifferenceGradient(Precoder codebook, ArrayResponse array, double[] powers, double theta)
    {
        var a = new Complex[N];
        var da = new Complex[N];
        array.Evaluate(theta, a, da, default);
        var r = new Complex[T];
        var dr = new Complex[T];
        codebook.Response(a, r);
        codebook.Response(da, dr);
        double J(double[] rho)
        {
            double linear = 0, denominator = 0;
            Complex cross = 0;
            for (int t = 0; t < T; t++)
            {
                linear += rho[t] * dr[t].Magnitude * dr[t].Magnitude;
                denominator += rho[t] * r[t].Magnitude * r[t].Magnitude;
                cross += rho[t] * Complex.Conjugate(r[t]) * dr[t];
            }

            return 2 * (linear - (cross.Magnitude * cross.Magnitude / denominator));
        }

        Assert.AreEqual(1, J(powers) / Fisher(codebook, array, powers, theta), 1e-9, "the test's J agrees with the CRB module");
        var gradient = new double[T];
        const double h = 1e-7;
        for (int t = 0; t < T; t++)
        {
            double[] plus = (double[])powers.Clone();
            double[] minus = (double[])powers.Clone();
            plus[t] += h;
            minus[t] -= h;
            gradient[t] = (J(plus) - J(minus)) / (2 * h);
        }

        return gradient;
    }
}
