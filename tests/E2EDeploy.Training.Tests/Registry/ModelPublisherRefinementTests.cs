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
        PublishResult result = TestRuns.Publish(run, registry, "tiny", "v1", refine: 2);
        ExportCheckResult check = result.Checks[2];
        Assert.AreEqual(1000, check.Samples);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, check.MaxAbsDifference, $"{estimator}: {check.MaxAbsDifference:e2}");
        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(ManifestEstimator.FisherScoringKind, manifest.Estimator.Kind);
        Assert.AreEqual(2, manifest.Estimator.RefinementSteps);
        Assert.AreEqual(impairment == ImpairmentKind.None ? "nominal" : "learned", manifest.Estimator.Array);
        Assert.IsTrue(manifest.Estimator.TakesRegion, "a refining estimator takes the region(s) for its precoders");
        Assert.IsTrue(manifest.Estimator.ProjectsOntoPrior);
        GoldenCase golden = manifest.Golden!.Single(g => g.File == estimator);
        long width = task == TrainingTask.Position ? (2 * 2 * 8) + (2 * 3) : (2 * 8) + 3;
        Assert.AreEqual(width, golden.InputShape[1]);
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
