using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Inference.Tests;

/// <summary>
/// The released refined estimators, whose runtime runs the scoring steps after the graph (RuntimeScoring): the per-thread
/// precoders follow the call's regions, steady-state calls allocate nothing, threads share one instance, and a manifest
/// without its arrays is refused at load.
/// </summary>
[TestClass]
public sealed class RuntimeScoringTests
{
    private static readonly string Models = Path.Combine(FixtureRegistry.RepositoryRoot(), "models");

    [TestMethod]
    public void AChangeOfRegionGivesTheEstimatesOfAFreshInstance()
    {
        AngularRegion a = AngularRegion.FromDegrees(40, 60), b = AngularRegion.FromDegrees(-25, -10);
        Complex[] ya = Observations(a, 16, seed: 1), yb = Observations(b, 16, seed: 2);
        using UeAodEstimator shared = UeAodEstimator.Load(ModelReference.Registry(Models, "aod-none/v13"));
        var first = new double[16];
        var second = new double[16];
        var again = new double[16];
        shared.Estimate(ya, a, first);
        shared.Estimate(yb, b, second);
        shared.Estimate(ya, a, again);
        CollectionAssert.AreEqual(first, again, "back to the first region");
        using UeAodEstimator fresh = UeAodEstimator.Load(ModelReference.Registry(Models, "aod-none/v13"));
        var expected = new double[16];
        fresh.Estimate(yb, b, expected);
        CollectionAssert.AreEqual(expected, second, "the second region, as a fresh instance sees it");
        for (int k = 0; k < 16; k++)
        {
            Assert.IsTrue(b.Contains(second[k]), $"estimate {k} = {second[k]} rad outside U");
        }
    }

    [TestMethod]
    public void SteadyStateBatchOneCallsAllocateNothing()
    {
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(Models, "aod-none/v13"));
        using UeAodEstimator coupled = UeAodEstimator.Load(ModelReference.Registry(Models, "aod-coupling/v9"));
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(Models, "position-coupling/v4"));
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        Complex[] y = Observations(region, 1, seed: 3);
        IReadOnlyList<AngularRegion> regions = Scenario.Paper.PositionRegions(PaperTestPoints.Position);
        AngularRegion[] bsRegions = [.. regions];
        Complex[] both = [.. Observations(regions[0], 1, seed: 4), .. Observations(regions[1], 1, seed: 5)];
        var batch = new double[2];
        (string Name, Action Call)[] calls =
        [
            ("aod-none v13, single", () => aod.Estimate(y, region)),
            ("aod-coupling v9, single", () => coupled.Estimate(y, region)),
            ("position-coupling v4, single", () => position.Estimate(both, bsRegions)),
            ("position-coupling v4, batch 1", () => position.Estimate(both, bsRegions, batch)),
        ];
        foreach ((string name, Action call) in calls)
        {
            Assert.AreEqual(0, AllocationProbe.BytesPerCall(call), $"{name}: bytes allocated per call");
        }
    }

    [TestMethod]
    public void ThreadsWithRegionsOfTheirOwnMatchOneThread()
    {
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(Models, "aod-none/v13"));
        AngularRegion[] regions = [AngularRegion.FromDegrees(40, 60), AngularRegion.FromDegrees(-25, -10), AngularRegion.FromDegrees(0, 15), AngularRegion.FromDegrees(-60, -45)];
        Complex[][] ys = regions.Select((r, i) => Observations(r, 32, seed: 10 + i)).ToArray();
        double[][] reference = regions.Select((r, i) =>
        {
            var estimates = new double[32];
            aod.Estimate(ys[i], r, estimates);
            return estimates;
        }).ToArray();
        var mismatches = new int[regions.Length];
        Parallel.For(0, regions.Length, new ParallelOptions { MaxDegreeOfParallelism = regions.Length }, i =>
        {
            var estimate = new double[32];
            for (int round = 0; round < 50; round++)
            {
                AngularRegion r = regions[(i + round) % regions.Length];
                aod.Estimate(ys[(i + round) % regions.Length], r, estimate);
                mismatches[i] += estimate.SequenceEqual(reference[(i + round) % regions.Length]) ? 0 : 1;
            }
        });
        CollectionAssert.AreEqual(new int[regions.Length], mismatches);
    }

    [TestMethod]
    public void AManifestWithoutItsLearnedArraysIsRefusedAtLoad()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"runtime-scoring-{Guid.NewGuid():N}", "aod-coupling", "v9");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string file in Directory.GetFiles(Path.Combine(Models, "aod-coupling", "v9")))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            string manifestPath = Path.Combine(folder, "manifest.json");
            ModelManifest manifest = ModelManifest.Load(manifestPath);
            (manifest with { Estimator = manifest.Estimator with { Arrays = [manifest.Estimator.Arrays![0]] } }).Save(manifestPath);
            var e = Assert.Throws<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Version(folder)));
            StringAssert.Contains(e.Message, "estimator.arrays has 1 entries (array 'learned'): expected one array model per BS, I = 2");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(folder))!, recursive: true);
        }
    }

    /// <summary>Observations of BS 1's released v13 precoder at 20 dB, theta uniform on <paramref name="region"/>, [count, T].</summary>
    private static Complex[] Observations(AngularRegion region, int count, int seed)
    {
        using BsPrecoder bs = BsPrecoder.Load(ModelReference.Registry(Models, "aod-none/v13"));
        Precoder precoder = bs.Compute(region);
        Random random = RandomSources.Create(seed);
        double[] thetas = Enumerable.Range(0, count).Select(_ => region.MinRad + (region.WidthRad * random.NextDouble())).ToArray();
        var observations = new Complex[count * precoder.TransmissionCount];
        new ChannelSimulator(ArrayResponse.Nominal(precoder.AntennaCount)).Simulate(thetas, precoder, 20, random, observations);
        return observations;
    }
}
