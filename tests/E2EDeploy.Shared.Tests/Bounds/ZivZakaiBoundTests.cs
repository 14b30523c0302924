using System.Diagnostics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Bounds;

/// <summary>
/// The Ziv-Zakai bounds at their two limits, computed independently: at -30 dB the prior's standard deviation (W / sqrt(12)
/// for the AoD, sqrt((W^2 + H^2) / 12) for a rectangular area), at 40 dB the known-magnitude CRB / PEB averaged over the
/// prior (docs/conventions.md point 12).
/// </summary>
[TestClass]
public sealed class ZivZakaiBoundTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly AngularRegion Region = AngularRegion.FromDegrees(40, 60);

    public static IEnumerable<object[]> Arrays()
    {
        yield return ["nominal", ArrayResponse.Nominal(32)];
        yield return ["coupling", ArrayResponse.WithCoupling(MutualCoupling.Default(32))];
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void AodBoundIsThePriorsDeviationAtMinus30Db(string name, ArrayResponse array)
    {
        Precoder precoder = BenchmarkPrecoder.Design(Region, 32, 20).Precoder;
        double bound = AodZivZakaiBound.Compute(precoder, array, Region, -30);
        double deviation = Region.WidthRad / Math.Sqrt(12);
        TestContext.WriteLine($"{name}: ZZB {bound:E4} rad, W / sqrt(12) {deviation:E4} rad, ratio {bound / deviation:F4}");
        Assert.AreEqual(1.0, bound / deviation, 0.01);
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void AodBoundIsTheKnownMagnitudeCrbAt40Db(string name, ArrayResponse array)
    {
        Precoder precoder = BenchmarkPrecoder.Design(Region, 32, 20).Precoder;
        var watch = Stopwatch.StartNew();
        double bound = AodZivZakaiBound.Compute(precoder, array, Region, 40);
        watch.Stop();

        // sqrt(mean CRB) over theta uniform on U by a 2001-point trapezoid rule.
        double[] thetas = Region.EvenGrid(2001);
        double sum = 0;
        for (int k = 0; k < thetas.Length; k++)
        {
            double weight = k == 0 || k == thetas.Length - 1 ? 0.5 : 1;
            sum += weight / (Units.DecibelsToLinear(40) * KnownMagnitudeCramerRaoBound.FisherInformationPerUnitSnr(precoder, array, thetas[k]));
        }

        double crb = Math.Sqrt(sum / (thetas.Length - 1));
        TestContext.WriteLine($"{name}: ZZB {bound:E4} rad, sqrt(mean CRB) {crb:E4} rad, ratio {bound / crb:F4}, {watch.ElapsedMilliseconds} ms");
        Assert.AreEqual(1.0, bound / crb, 0.03);
    }

    [TestMethod]
    public void AodBoundGrowsAsTheSnrFalls()
    {
        Precoder precoder = BenchmarkPrecoder.Design(Region, 32, 20).Precoder;
        ArrayResponse array = ArrayResponse.Nominal(32);
        double[] bounds = [.. new[] { -10.0, 0, 10, 20, 30 }.Select(snr => AodZivZakaiBound.Compute(precoder, array, Region, snr))];
        TestContext.WriteLine(string.Join(", ", bounds.Select(b => Units.RadiansToDegrees(b).ToString("E3"))));
        for (int k = 1; k < bounds.Length; k++)
        {
            Assert.IsLessThan(bounds[k - 1], bounds[k]);
        }
    }

    [TestMethod]
    public void PositionBoundIsTheAreasSpreadAtMinus30Db()
    {
        // Regions wide enough that every cone covers P: the support is the rectangle P.
        Scenario scenario = Scenario.Paper;
        PositionPrior area = scenario.PositionPrior;
        AngularRegion[] regions = scenario.BaseStations.Select(bs => AngularRegion.Around(bs.AodOf(area.Center), Units.DegreesToRadians(40))).ToArray();
        ConvexPolygon support = PositionPriorSupport.Of(scenario.BaseStations, regions, area);
        Assert.AreEqual(area.WidthM * area.HeightM, support.Area, 1e-9);
        Precoder[] precoders = regions.Select(r => BenchmarkPrecoder.Design(r, 32, 20).Precoder).ToArray();
        ArrayResponse[] arrays = [ArrayResponse.Nominal(32), ArrayResponse.Nominal(32)];
        var watch = Stopwatch.StartNew();
        double bound = PositionZivZakaiBound.Compute(scenario.BaseStations, precoders, arrays, support, -30);
        double spread = Math.Sqrt(((area.WidthM * area.WidthM) + (area.HeightM * area.HeightM)) / 12);
        TestContext.WriteLine($"ZZB {bound:E4} m, spread {spread:E4} m, ratio {bound / spread:F4}, {watch.ElapsedMilliseconds} ms");
        Assert.AreEqual(1.0, bound / spread, 0.01);
    }

    [TestMethod]
    public void PositionBoundIsTheKnownMagnitudePebAt40DbOnASmallArea()
    {
        // A 0.2 m square around the test point, so that J_p varies little over it.
        Scenario scenario = Scenario.Paper;
        var area = scenario.PositionPrior with { WidthM = 0.2, HeightM = 0.2 };
        AngularRegion[] regions = scenario.PositionRegions(area.Center);
        ConvexPolygon support = PositionPriorSupport.Of(scenario.BaseStations, regions, area);
        Precoder[] precoders = regions.Select(r => BenchmarkPrecoder.Design(r, 32, 20).Precoder).ToArray();
        ArrayResponse[] arrays = [ArrayResponse.Nominal(32), ArrayResponse.WithCoupling(MutualCoupling.Default(32))];
        var watch = Stopwatch.StartNew();
        double bound = PositionZivZakaiBound.Compute(scenario.BaseStations, precoders, arrays, support, 40);
        watch.Stop();

        // sqrt(mean PEB^2) over the square by a 41 x 41 midpoint rule.
        double sum = 0;
        const int n = 41;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var p = new PlanePoint(area.MinX + ((i + 0.5) * area.WidthM / n), area.MinY + ((j + 0.5) * area.HeightM / n));
                double peb = KnownMagnitudeCramerRaoBound.PositionErrorBoundOf(scenario.BaseStations, precoders, arrays, p, 40);
                sum += peb * peb;
            }
        }

        double rms = Math.Sqrt(sum / (n * n));
        TestContext.WriteLine($"ZZB {bound:E4} m, RMS known-magnitude PEB {rms:E4} m, ratio {bound / rms:F4}, {watch.ElapsedMilliseconds} ms");
        Assert.AreEqual(1.0, bound / rms, 0.03);
    }
}
