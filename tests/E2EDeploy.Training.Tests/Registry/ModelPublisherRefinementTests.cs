using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Registry;

/// <summary>Export with Fisher-scoring refinement (export --refine-steps): parity, manifest, refusals.</summary>
[TestClass]
public sealed class ModelPublisherRefinementTests
{
    [TestMethod]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", ImpairmentKind.None, true)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", ImpairmentKind.None, true)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", ImpairmentKind.Coupling, true)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", ImpairmentKind.Spacing, true)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", ImpairmentKind.None, false)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", ImpairmentKind.None, false)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", ImpairmentKind.Coupling, false)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", ImpairmentKind.Spacing, false)]
    public void ARefiningEstimatorMatchesTorchSharpAndTakesTheRegions(TrainingTask task, string estimator, ImpairmentKind impairment, bool scoringInGraph)
    {
        RunDirectory run = TrainedRun(task, impairment, decoderRegion: !scoringInGraph);
        if (impairment != ImpairmentKind.None)
        {
            TestRuns.Calibrate(run);
        }

        string registry = TestRuns.NewFolder("registry");
        PublishResult result = TestRuns.Publish(run, registry, "tiny", "v1", refine: 2, scoringInGraph: scoringInGraph);
        ExportCheckResult check = result.Checks[2];
        Assert.AreEqual(1000, check.Samples);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, check.MaxAbsDifference, $"{estimator}: {check.MaxAbsDifference:e2}");
        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(scoringInGraph ? ManifestEstimator.FisherScoringKind : ManifestEstimator.RuntimeFisherScoringKind, manifest.Estimator.Kind);
        Assert.AreEqual(!scoringInGraph && impairment != ImpairmentKind.None, manifest.Estimator.Arrays is not null, "the manifest holds the learned arrays that the runtime scores with");
        Assert.AreEqual(2, manifest.Estimator.RefinementSteps);
        Assert.AreEqual(impairment == ImpairmentKind.None ? "nominal" : "learned", manifest.Estimator.Array);
        Assert.IsTrue(manifest.Estimator.TakesRegion, "a refining estimator takes the region(s) for its precoders");
        Assert.IsTrue(manifest.Estimator.ProjectsOntoPrior);
        GoldenCase golden = manifest.Golden!.Single(g => g.File == estimator);
        long width = task == TrainingTask.Position ? (2 * 2 * 8) + (2 * 3) : (2 * 8) + 3;
        Assert.AreEqual(width, golden.InputShape[1]);

        // Through the runtime, one row at a time, the golden outputs (TorchSharp's refined estimates) come back within the
        // regression suite's 1e-5, whether the steps run in the graph or in the runtime after it.
        double worst = RuntimeGoldenDifference(result.Folder, manifest, golden);
        Assert.IsLessThanOrEqualTo(1e-5, worst, $"{estimator}: max |runtime - golden| = {worst:e2}");
    }

    [TestMethod]
    [DataRow(TrainingTask.Aod)]
    [DataRow(TrainingTask.Position)]
    public void ADecoderThatSeesYOnlyIsRefinedByTheRuntimeToo(TrainingTask task)
    {
        // The released position recipe trains its decoder on y only; the estimator's graph still takes y_xi (the runtime
        // needs the regions for the precoders) and hands the decoder y.
        RunDirectory run = TrainedRun(task, ImpairmentKind.None);
        PublishResult result = TestRuns.Publish(run, TestRuns.NewFolder("registry"), "tiny", "v1", refine: 2);
        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(ManifestEstimator.RuntimeFisherScoringKind, manifest.Estimator.Kind);
        Assert.IsTrue(manifest.Estimator.TakesRegion);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, result.Checks[2].MaxAbsDifference);
        GoldenCase golden = manifest.Golden!.Single(g => g.File.EndsWith("estimator.onnx", StringComparison.Ordinal));
        double worst = RuntimeGoldenDifference(result.Folder, manifest, golden);
        Assert.IsLessThanOrEqualTo(1e-5, worst, $"max |runtime - golden| = {worst:e2}");
        Assert.IsNotNull(golden.GraphOutput, "the graph's own output (the decoder's estimate) for cross-checks of the file alone");
    }

    private static double RuntimeGoldenDifference(string folder, ModelManifest manifest, GoldenCase golden)
    {
        float[] replayed = E2EDeploy.Validation.GoldenReplay.Run(folder, manifest.Files.Single(f => f.File == golden.File), manifest, golden);
        return replayed.Zip(golden.Output, (a, e) => Math.Abs(a - e)).Max();
    }

    [TestMethod]
    public void AnImpairedRunWithoutLearnedArraysIsRefused()
    {
        RunDirectory run = TrainedRun(TrainingTask.Aod, ImpairmentKind.Spacing);
        string registry = TestRuns.NewFolder("registry");
        var e = Assert.Throws<ArgumentException>(() => TestRuns.Publish(run, registry, "fam", "v1", refine: 2));
        StringAssert.Contains(e.Message, "RefinementSteps 2: expected a calibrated run for impaired arrays (spacing)");
        Assert.IsFalse(Directory.Exists(Path.Combine(registry, "fam")), "nothing is written");
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(11)]
    public void StepsOutsideTheRangeAreNamed(int steps)
    {
        RunDirectory run = TrainedRun(TrainingTask.Aod, ImpairmentKind.None);
        var e = Assert.Throws<ArgumentException>(() => TestRuns.Publish(run, TestRuns.NewFolder("registry"), "fam", "v1", refine: steps));
        StringAssert.Contains(e.Message, $"RefinementSteps {steps}: expected an integer within [0, 10]");
    }

    private static RunDirectory TrainedRun(TrainingTask task, ImpairmentKind impairment, bool decoderRegion = false)
    {
        var run = new RunDirectory(TestRuns.NewFolder($"refine-{task}-{impairment}"));
        // T = 8 rather than TestRuns.Small's 4: with 20 training steps the precoders are nearly random, and with 4
        // transmissions many draws are near-unidentifiable, where any two float32 implementations of a scoring step part.
        Scenario scenario = TestRuns.Small with { TransmissionCount = 8, Impairments = TestRuns.Small.Impairments with { Kind = impairment } };
        // Scoring in the runtime needs a decoder that takes the regions (the released models' Gram decoder); in the graph, any.
        TrainingConfig config = TestRuns.Tiny(task, steps: 20) with { Impairment = impairment };
        config = decoderRegion ? config with { DecoderInput = E2EDeploy.Training.Networks.DecoderInput.Gram, DecoderRegion = true } : config;
        Trainer.Run(run, config, scenario, resume: false);
        return run;
    }
}
