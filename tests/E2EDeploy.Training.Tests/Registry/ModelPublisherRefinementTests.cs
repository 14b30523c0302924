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
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", ImpairmentKind.None)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", ImpairmentKind.None)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", ImpairmentKind.Coupling)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", ImpairmentKind.Spacing)]
    public void ARefiningEstimatorMatchesTorchSharpAndTakesTheRegions(TrainingTask task, string estimator, ImpairmentKind impairment)
    {
        RunDirectory run = TrainedRun(task, impairment);
        if (impairment != ImpairmentKind.None)
        {
            Calibrate(run, task);
        }

        string registry = TestRuns.NewFolder("registry");
        PublishResult result = ModelPublisher.Publish(run, registry, "tiny", "v1", refinementSteps: 2);
        ExportCheckResult check = result.Checks[2];
        Assert.AreEqual(1000, check.Samples);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, check.MaxAbsDifference, $"{estimator}: {check.MaxAbsDifference:e2}");
        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(2, manifest.EstimatorRefinementSteps);
        Assert.AreEqual(impairment == ImpairmentKind.None ? "nominal" : "learned", manifest.EstimatorArray);
        Assert.IsTrue(manifest.EstimatorTakesRegion, "a refining estimator takes the region(s) for its precoders");
        Assert.IsTrue(manifest.EstimatorProjectsOntoPrior);
        GoldenCase golden = manifest.Golden!.Single(g => g.File == estimator);
        long width = task == TrainingTask.Position ? (2 * 2 * 8) + (2 * 3) : (2 * 8) + 3;
        Assert.AreEqual(width, golden.InputShape[1]);
    }

    [TestMethod]
    public void AnImpairedRunWithoutLearnedArraysIsRefused()
    {
        RunDirectory run = TrainedRun(TrainingTask.Aod, ImpairmentKind.Spacing);
        string registry = TestRuns.NewFolder("registry");
        var e = Assert.ThrowsExactly<ArgumentException>(() => ModelPublisher.Publish(run, registry, "fam", "v1", refinementSteps: 2));
        StringAssert.Contains(e.Message, "e2e-train calibrate");
        Assert.IsFalse(Directory.Exists(Path.Combine(registry, "fam")), "nothing is written");
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(11)]
    public void StepsOutsideTheRangeAreNamed(int steps)
    {
        RunDirectory run = TrainedRun(TrainingTask.Aod, ImpairmentKind.None);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ModelPublisher.Publish(run, TestRuns.NewFolder("registry"), "fam", "v1", refinementSteps: steps));
        StringAssert.Contains(e.Message, $"--refine-steps {steps}");
    }

    [TestMethod]
    public void APosteriorMeanEstimatorMatchesTorchSharpAndIsRecorded()
    {
        RunDirectory run = TrainedRun(TrainingTask.Position, ImpairmentKind.None);
        string registry = TestRuns.NewFolder("registry");
        PublishResult result = ModelPublisher.Publish(run, registry, "tiny", "v1", posteriorGridPoints: 24);
        ExportCheckResult check = result.Checks[2];
        Assert.AreEqual(1000, check.Samples);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, check.MaxAbsDifference, $"{check.MaxAbsDifference:e2}");
        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(24, manifest.EstimatorPosteriorGrid);
        Assert.AreEqual(0, manifest.EstimatorRefinementSteps);
        Assert.AreEqual("nominal", manifest.EstimatorArray);
        Assert.IsTrue(manifest.EstimatorTakesRegion, "the posterior mean takes the regions for its precoders and its grid");
        Assert.AreEqual((2 * 2 * 8) + (2 * 3), manifest.Golden!.Single(g => g.File == "position-estimator.onnx").InputShape[1]);
    }

    [TestMethod]
    public void APosteriorMeanForAnAodRunIsRefused()
    {
        RunDirectory run = TrainedRun(TrainingTask.Aod, ImpairmentKind.None);
        string registry = TestRuns.NewFolder("registry");
        var e = Assert.ThrowsExactly<ArgumentException>(() => ModelPublisher.Publish(run, registry, "fam", "v1", posteriorGridPoints: 24));
        StringAssert.Contains(e.Message, "--posterior-grid 24");
        Assert.IsFalse(Directory.Exists(Path.Combine(registry, "fam")), "nothing is written");
    }

    private static void Calibrate(RunDirectory run, TrainingTask task)
    {
        (TrainingConfig config, Scenario scenario) = run.ReadConfig();
        using var model = Autoencoder.Create(task, scenario, config.Hidden, CPU, config.DecoderInput);
        model.load(run.ModelPath);
        using var arrays = ArrayCalibration.Nominal(scenario);
        ArrayCalibration.Run(model, task, arrays, new CalibrationSettings(Steps: 20, BatchSize: 64));
        ArrayCalibration.Save(arrays, Path.Combine(run.FullPath, ArrayCalibration.FileName));
    }

    private static RunDirectory TrainedRun(TrainingTask task, ImpairmentKind impairment)
    {
        var run = new RunDirectory(TestRuns.NewFolder($"refine-{task}-{impairment}"));
        // T = 8 rather than TestRuns.Small's 4: with 20 training steps the precoders are nearly random, and with 4
        // transmissions many draws are near-unidentifiable, where any two float32 implementations of a scoring step part.
        Scenario scenario = TestRuns.Small with { TransmissionCount = 8, Impairments = TestRuns.Small.Impairments with { Kind = impairment } };
        Trainer.Run(run, TestRuns.Tiny(task, steps: 20) with { Impairment = impairment }, scenario, resume: false);
        return run;
    }
}
