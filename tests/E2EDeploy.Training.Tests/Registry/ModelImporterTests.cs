using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace E2EDeploy.Training.Tests.Registry;

[TestClass]
public sealed class ModelImporterTests
{
    [TestMethod]
    [DataRow(TrainingTask.Aod)]
    [DataRow(TrainingTask.Position)]
    public void AnImportedVersionExportsToGraphsThatReproduceItsGoldenOutputs(TrainingTask task)
    {
        string registry = TestRuns.NewFolder("registry");
        var run = new RunDirectory(TestRuns.NewFolder($"import-source-{task}"));
        Trainer.Run(run, TestRuns.Tiny(task, steps: 20) with { DecoderInput = DecoderInput.Gram, DecoderRegion = true }, TestRuns.Small, resume: false);
        PublishResult original = TestRuns.Publish(run, registry, "tiny", "v1", project: true);

        string imported = TestRuns.NewFolder($"import-{task}");
        int count = ModelImporter.Import(original.Folder, imported);
        Assert.AreEqual(2 * 7 * 3, count, "weight and bias of 7 Linear layers, in each precoder and in the decoder");
        PublishResult again = TestRuns.Publish(new RunDirectory(imported), registry, "tiny", "v2", project: true);
        Assert.AreEqual(original.Manifest.Metrics, again.Manifest.Metrics, "the imported run's log carries the original's metrics");

        // The original's golden outputs came from ONNX Runtime at its export; the re-export of the imported weights
        // must give the same numbers on the same inputs.
        foreach (GoldenCase golden in original.Manifest.Golden!)
        {
            using var session = new InferenceSession(Path.Combine(again.Folder, golden.File));
            string input = session.InputMetadata.Keys.Single();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(golden.Input, golden.InputShape.Select(d => (int)d).ToArray()))]);
            float[] output = results.Single().AsEnumerable<float>().ToArray();
            CollectionAssert.AreEqual(golden.Output, output, golden.File);
        }
    }

    [TestMethod]
    public void BadVersionsAndOccupiedRunFoldersAreRefusedAndNothingIsWritten()
    {
        string registry = TestRuns.NewFolder("registry");
        var run = new RunDirectory(TestRuns.NewFolder("import-bad-source"));
        Trainer.Run(run, TestRuns.Tiny(TrainingTask.Aod, steps: 10), TestRuns.Small, resume: false);
        PublishResult original = TestRuns.Publish(run, registry, "tiny", "v1");

        string target = TestRuns.NewFolder("import-bad");
        var noManifest = Assert.Throws<ArgumentException>(() => ModelImporter.Import(registry, target));
        StringAssert.Contains(noManifest.Message, "expected a model version folder with a manifest.json");

        var occupied = Assert.Throws<ArgumentException>(() => ModelImporter.Import(original.Folder, run.FullPath));
        StringAssert.Contains(occupied.Message, "expected a new or empty run folder");

        string tampered = Path.Combine(original.Folder, "precoder-bs2.onnx");
        byte[] bytes = File.ReadAllBytes(tampered);
        bytes[^1] ^= 0x5a;
        File.WriteAllBytes(tampered, bytes);
        var changed = Assert.Throws<ArgumentException>(() => ModelImporter.Import(original.Folder, target));
        StringAssert.Contains(changed.Message, "precoder-bs2.onnx is missing or its SHA-256 differs");
        Assert.IsFalse(Directory.Exists(target), "no run folder is created for a refused import");
    }
}
