using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Benchmark;

[TestClass]
public sealed class BenchmarkSweepTests
{
    [TestMethod]
    public void APositionSetupWithGivenRegionsDesignsEachBsCodebookForItsRegion()
    {
        Scenario s = Scenario.Paper;
        PositionPriorDraw ue = PositionPriorDraw.Draw(s, 1, seed: 9).Draws[0];
        (PositionExperiment experiment, _) = BenchmarkSweep.PositionSetup(s, ue.Position, ue.Regions);
        Assert.AreEqual(ue.Position, experiment.Position);
        for (int i = 0; i < 2; i++)
        {
            Precoder expected = BenchmarkPrecoder.Design(ue.Regions[i], s.AntennaCount, s.TransmissionCount).Precoder;
            CollectionAssert.AreEqual(expected.Values.ToArray(), experiment.Precoders[i].Values.ToArray(), $"BS {i + 1}");
            Assert.AreNotEqual(s.PositionRegions(ue.Position)[i], ue.Regions[i], "the drawn region is off the true AoD");
        }

        var e = Assert.ThrowsExactly<ArgumentException>(() => BenchmarkSweep.PositionSetup(s, ue.Position, [ue.Regions[0]]));
        StringAssert.Contains(e.Message, "1 regions: expected one per BS (2)");
    }
}
