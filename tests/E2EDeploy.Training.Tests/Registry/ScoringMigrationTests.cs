using E2EDeploy.Pipeline;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests.Registry;

/// <summary>
/// e2e-train move-scoring's library part: a version with the scoring steps in its graph becomes the next version with the
/// steps in the runtime, the same estimates within float32 rounding, and nothing appears when it is refused.
/// </summary>
[TestClass]
public sealed class ScoringMigrationTests
{
    [TestMethod]
    [DataRow(TrainingTask.Aod, ImpairmentKind.Coupling)]
    [DataRow(TrainingTask.Position, ImpairmentKind.None)]
    public void TheNextVersionScoresInTheRuntimeWithTheSameEstimates(TrainingTask task, ImpairmentKind impairment)
    {
        string registry = TestRuns.NewFolder("migration");
        string source = Publish(task, impairment, registry);
        ScoringComparison? comparison = null;
        ScoringMigrationResult result = ScoringMigration.Migrate(source, (staging, _) => comparison = ScoringMigrationCheck.Compare(source, staging, trials: 100, seed: 1));

        Assert.AreEqual(Path.Combine(Path.GetDirectoryName(source)!, "v2"), result.Folder);
        ModelManifest old = ModelManifest.Load(Path.Combine(source, "manifest.json"));
        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(ManifestEstimator.RuntimeFisherScoringKind, manifest.Estimator.Kind);
        Assert.AreEqual(impairment != ImpairmentKind.None, manifest.Estimator.Arrays is not null);
        Assert.AreEqual(old.Estimator.RefinementSteps, manifest.Estimator.RefinementSteps);
        StringAssert.StartsWith(manifest.DerivedFrom, $"{old.Family}/v1: the same weights");
        Assert.IsLessThan(result.NodesBefore / 3, result.NodesAfter, $"{result.NodesBefore} -> {result.NodesAfter} nodes");
        CollectionAssert.AreEqual(old.Golden!.SelectMany(g => g.Output).ToArray(), manifest.Golden!.SelectMany(g => g.Output).ToArray(), "the golden cases are the source's");

        Assert.IsNotNull(comparison);
        Assert.IsLessThanOrEqualTo(ScoringComparison.GoldenTolerance, comparison.Golden);
        Assert.IsNull(comparison.Refusal(ModelPublisher.RegressionTolerance), comparison.Refusal(ModelPublisher.RegressionTolerance));
        Assert.HasCount(manifest.Scenario.SnrGridDb.Count, comparison.Rows);
    }

    [TestMethod]
    public void AVersionWithoutScoringInItsGraphIsRefusedAndNothingIsWritten()
    {
        string registry = TestRuns.NewFolder("migration-refused");
        var run = new RunDirectory(TestRuns.NewFolder("plain"));
        Trainer.Run(run, TestRuns.Tiny(TrainingTask.Aod, steps: 10), TestRuns.Small, resume: false);
        string source = TestRuns.Publish(run, registry, "plain", "v1").Folder;
        var e = Assert.Throws<InvalidSettingException>(() => ScoringMigration.Migrate(source, (_, _) => Assert.Fail("no check without a version")));
        StringAssert.Contains(e.Message, "estimator kind 'fisher-scoring'); this one is 'learned-decoder'");
        CollectionAssert.AreEqual(new[] { "v1" }, Directory.GetDirectories(Path.GetDirectoryName(source)!).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void ARefusedCheckLeavesNoVersionAndNoStaging()
    {
        string registry = TestRuns.NewFolder("migration-check");
        string source = Publish(TrainingTask.Aod, ImpairmentKind.None, registry);
        Assert.Throws<InvalidOperationException>(() => ScoringMigration.Migrate(source, (_, _) => throw new InvalidOperationException("refused")));
        CollectionAssert.AreEqual(new[] { "v1" }, Directory.GetFileSystemEntries(Path.GetDirectoryName(source)!).Select(Path.GetFileName).ToArray());
    }

    /// <summary>A tiny refined version with the steps in its graph (the released versions' form), family "tiny", v1.</summary>
    private static string Publish(TrainingTask task, ImpairmentKind impairment, string registry)
    {
        var run = new RunDirectory(TestRuns.NewFolder($"migrate-{task}-{impairment}"));
        Scenario scenario = TestRuns.Small with { TransmissionCount = 8, Impairments = TestRuns.Small.Impairments with { Kind = impairment } };
        Trainer.Run(run, TestRuns.Tiny(task, steps: 20) with { Impairment = impairment }, scenario, resume: false);
        if (impairment != ImpairmentKind.None)
        {
            TestRuns.Calibrate(run);
        }

        return TestRuns.Publish(run, registry, "tiny", "v1", refine: 2, scoringInGraph: true).Folder;
    }
}
