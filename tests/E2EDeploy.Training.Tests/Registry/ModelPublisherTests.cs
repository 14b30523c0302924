using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests.Registry;

[TestClass]
public sealed class ModelPublisherTests
{
    private static readonly Lazy<RunDirectory> AodRun = new(() => TrainedRun(TrainingTask.Aod));
    private static readonly Lazy<RunDirectory> PositionRun = new(() => TrainedRun(TrainingTask.Position));

    [TestMethod]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", DecoderInput.Raw)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", DecoderInput.Raw)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", DecoderInput.Gram)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", DecoderInput.Gram)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", DecoderInput.Raw, true)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", DecoderInput.Gram, true)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", DecoderInput.Raw, true)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", DecoderInput.Gram, true)]
    [DataRow(TrainingTask.Aod, "aod-estimator.onnx", DecoderInput.Gram, true, true)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", DecoderInput.Gram, true, true)]
    [DataRow(TrainingTask.Position, "position-estimator.onnx", DecoderInput.Raw, false, true)]
    public void ExportsEveryNetworkWithinTheParityToleranceAndAManifest(TrainingTask task, string estimator, DecoderInput input, bool region = false, bool project = false)
    {
        string registry = TestRuns.NewFolder("registry");
        RunDirectory run = (task, input, region) switch
        {
            (TrainingTask.Aod, DecoderInput.Raw, false) => AodRun.Value,
            (TrainingTask.Position, DecoderInput.Raw, false) => PositionRun.Value,
            _ => TrainedRun(task, input, region),
        };
        PublishResult result = TestRuns.Publish(run, registry, "tiny", "v1", project: project);
        CollectionAssert.AreEqual(new[] { "precoder-bs1.onnx", "precoder-bs2.onnx", estimator }, result.Manifest.Files.Select(f => f.File).ToArray());
        Assert.HasCount(3, result.Checks);
        foreach (ExportCheckResult check in result.Checks)
        {
            Assert.AreEqual(1000, check.Samples);
            Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, check.MaxAbsDifference, $"{check.Kind}: {check.MaxAbsDifference:e2}");
        }

        foreach (ManifestFile file in result.Manifest.Files)
        {
            Assert.AreEqual(file.Sha256, ModelManifest.Sha256Of(Path.Combine(result.Folder, file.File)), file.File);
        }

        ModelManifest manifest = ModelManifest.Load(Path.Combine(result.Folder, "manifest.json"));
        Assert.AreEqual(8, manifest.AntennaCount);
        Assert.AreEqual(4, manifest.TransmissionCount);
        Assert.AreEqual(2, manifest.BaseStationCount);
        Assert.AreEqual(task.ToString().ToLowerInvariant(), manifest.Task);
        Assert.AreEqual(ManifestEstimator.LearnedDecoderKind, manifest.Estimator.Kind);
        Assert.AreEqual(region, manifest.Estimator.TakesRegion);
        Assert.AreEqual(project, manifest.Estimator.ProjectsOntoPrior);
        StringAssert.Contains(File.ReadAllText(Path.Combine(result.Folder, "manifest.json")), "\"estimator\": {", "one estimator object");
        StringAssert.DoesNotMatch(File.ReadAllText(Path.Combine(result.Folder, "manifest.json")), new System.Text.RegularExpressions.Regex("\"estimator[A-Z]"), "no separate estimator* fields");
        GoldenCase golden = manifest.Golden!.Single(g => g.File == estimator);
        long width = task == TrainingTask.Position ? (2 * 2 * 4) + (region ? 2 * 3 : 0) : (2 * 4) + (region ? 3 : 0);
        CollectionAssert.AreEqual(new long[] { golden.InputShape[0], width }, golden.InputShape.ToArray(), "the estimator's input rows: y, then xi when it takes the region");
        CollectionAssert.AreEqual(Directory.GetFiles(result.Folder).Select(Path.GetFileName).Order().ToArray(), new[] { estimator, "manifest.json", "precoder-bs1.onnx", "precoder-bs2.onnx" }.Order().ToArray());
    }

    [TestMethod]
    public void AnAodRunWithoutTheRegionCannotBeProjectedOntoIt()
    {
        string registry = TestRuns.NewFolder("registry");
        var e = Assert.Throws<ArgumentException>(() => TestRuns.Publish(AodRun.Value, registry, "fam", "v1", project: true));
        StringAssert.Contains(e.Message, "ProjectOntoPrior on: expected a run whose AoD decoder takes the region (DecoderRegion)");
        Assert.IsFalse(Directory.Exists(Path.Combine(registry, "fam")), "nothing is written");
    }

    [TestMethod]
    public void NextVersionIsNumberedAndExistingVersionsAreNeverOverwritten()
    {
        string registry = TestRuns.NewFolder("registry");
        Assert.AreEqual("v1", TestRuns.Publish(AodRun.Value, registry, "fam").Manifest.Version);
        Assert.AreEqual("v2", TestRuns.Publish(AodRun.Value, registry, "fam").Manifest.Version);
        string v1 = Path.Combine(registry, "fam", "v1", "manifest.json");
        string before = File.ReadAllText(v1);
        var e = Assert.Throws<ArgumentException>(() => TestRuns.Publish(AodRun.Value, registry, "fam", "v1"));
        StringAssert.Contains(e.Message, "Version fam/v1: expected a version that is not yet in");
        Assert.AreEqual(before, File.ReadAllText(v1));
    }

    [TestMethod]
    public void AFailureAtAnyPointLeavesTheRegistryAsItWas()
    {
        string registry = TestRuns.NewFolder("registry");
        TestRuns.Publish(AodRun.Value, registry, "fam", "v1");
        string[] before = Snapshot(registry);
        for (int failAt = 1; failAt <= 4; failAt++)
        {
            int written = 0;
            int target = failAt;
            Assert.ThrowsExactly<IOException>(() => TestRuns.Publish(AodRun.Value, registry, "fam", "v2", afterFileWritten: _ =>
            {
                if (++written == target)
                {
                    throw new IOException($"disk full after file {target}");
                }
            }));
            CollectionAssert.AreEqual(before, Snapshot(registry), $"after a failure at file {failAt}");
        }
    }

    [TestMethod]
    public void BadNamesAndRunsWithoutAModelAreRejected()
    {
        string registry = TestRuns.NewFolder("registry");
        var e1 = Assert.Throws<ArgumentException>(() => TestRuns.Publish(AodRun.Value, registry, "../escape"));
        StringAssert.Contains(e1.Message, "Family '../escape': expected lower-case letters");
        var e2 = Assert.Throws<ArgumentException>(() => TestRuns.Publish(new RunDirectory(TestRuns.NewFolder("empty")), registry, "fam"));
        StringAssert.Contains(e2.Message, "model.bin");
        Assert.IsFalse(Directory.Exists(Path.Combine(registry, "fam")));
    }

    private static string[] Snapshot(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order(StringComparer.Ordinal).ToArray();

    private static RunDirectory TrainedRun(TrainingTask task, DecoderInput input = DecoderInput.Raw, bool region = false)
    {
        var run = new RunDirectory(TestRuns.NewFolder($"export-{task}-{input}-{region}"));
        Trainer.Run(run, TestRuns.Tiny(task, steps: 20) with { DecoderInput = input, DecoderRegion = region }, TestRuns.Small, resume: false);
        return run;
    }
}
