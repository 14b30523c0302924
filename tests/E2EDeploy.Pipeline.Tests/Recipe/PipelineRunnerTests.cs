using System.Text.Json.Nodes;
using E2EDeploy.Training.Onnx.Proto;
using Google.Protobuf;
using E2EDeploy.Pipeline.Recipe;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Tests;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Tests.Recipe;

/// <summary>
/// The pipeline with tiny networks: killed in each stage in turn and resumed, it ends with the bytes of an uninterrupted run;
/// a finished stage is not redone; an export that died after writing its version is not exported twice.
/// </summary>
[TestClass]
public sealed class PipelineRunnerTests
{
    private static readonly PipelineProfile Tiny = PipelineProfile.Release with
    {
        Sizes = new TrainingSizes(Hidden: 8, BatchSize: 32, ValidationSize: 64, EvalEvery: 5, CheckpointEvery: 5),
        Calibration = new CalibrationSettings(Steps: 100, BatchSize: 32, LearningRate: 1e-2),
    };

    private static readonly Lazy<string> Reference = new(() =>
    {
        PipelineRequest request = Request(TestRuns.NewFolder("pipeline-reference"));
        PipelineRunner.Run(request, new Display(), CancellationToken.None);
        return request.Output;
    });

    private static readonly Lazy<string> PositionReference = new(() =>
    {
        PipelineRequest request = Request(TestRuns.NewFolder("pipeline-position-reference")) with { Tasks = [TrainingTask.Position] };
        PipelineRunner.Run(request, new Display(), CancellationToken.None);
        return request.Output;
    });

    private static PipelineRequest Request(string output) => new()
    {
        Scenario = TestRuns.Small with { SnrGridDb = [0, 20], Impairments = TestRuns.Small.Impairments with { Kind = ImpairmentKind.Spacing } },
        Tasks = [TrainingTask.Aod],
        Profile = Tiny,
        Output = output,
        Registry = Path.Combine(output, "models"),
        FamilyName = "tiny",
        Trials = 40,
        Steps = 40,
    };

    [TestMethod]
    public void KilledInEveryStageInTurnItResumesToTheSameBytes()
    {
        PipelineRequest request = Request(TestRuns.NewFolder("pipeline-killed"));
        // A kill is an exception out of the progress display: no checkpoint is written on the way out, so training continues
        // from its last periodic checkpoint, as after SIGKILL.
        // Training is killed after its first periodic checkpoint (step 5), the calibration before it writes its file.
        foreach ((string stage, int report) in new[] { ("train", 8), ("lower-threshold", 8), ("calibrate", 2), ("export", 0), ("validate", 2) })
        {
            var display = new Display { KillIn = $"aod-tiny/{stage}", KillAtReport = report };
            Exception e = Assert.Throws<Exception>(() => PipelineRunner.Run(request, display, CancellationToken.None), stage);
            Assert.IsTrue(e is KilledException || e.InnerException is KilledException, e.ToString());
        }

        IReadOnlyList<FamilyResult> results = PipelineRunner.Run(request, new Display(), CancellationToken.None);
        Assert.AreEqual("v1", results[0].Version, "a resumed export makes no second version");
        Assert.IsFalse(Directory.Exists(Path.Combine(request.Registry, "aod-tiny", "v2")));
        AssertSameOutputs(Reference.Value, request.Output, "aod-tiny");
    }

    [TestMethod]
    public void BothTasksSideBySideKilledInOneAndResumedGiveTheBytesOfEachAlone()
    {
        PipelineRequest request = Request(TestRuns.NewFolder("pipeline-both")) with { Tasks = [TrainingTask.Aod, TrainingTask.Position] };
        // The AoD family dies in its first training; the position family, running beside it, is stopped by that failure.
        var killing = new Display { KillIn = "aod-tiny/train", KillAtReport = 8 };
        Exception e = Assert.Throws<Exception>(() => PipelineRunner.Run(request, killing, CancellationToken.None));
        Assert.IsTrue(e is KilledException || e.InnerException is KilledException, $"the failure that stopped the pipeline is the one reported: {e}");

        var display = new Display();
        IReadOnlyList<FamilyResult> results = PipelineRunner.Run(request, display, CancellationToken.None);
        CollectionAssert.AreEqual(new[] { TrainingTask.Aod, TrainingTask.Position }, results.Select(r => r.Task).ToArray(), "results in the request's order");
        Assert.AreEqual(10, display.Finished.Count, "five stages of each family");
        AssertSameOutputs(Reference.Value, request.Output, "aod-tiny");
        AssertSameOutputs(PositionReference.Value, request.Output, "position-tiny");
    }

    [TestMethod]
    public void AFinishedPipelineRedoesNothing()
    {
        PipelineRequest request = Request(Reference.Value);
        var display = new Display();
        PipelineRunner.Run(request, display, CancellationToken.None);
        Assert.AreEqual(5, display.Finished.Count);
        Assert.IsTrue(display.Finished.All(f => f.StartsWith("done before", StringComparison.Ordinal)), string.Join("\n", display.Finished));
        Assert.AreEqual(0, display.Updates, "no stage did any work");
    }

    [TestMethod]
    public void AnExportThatDiedAfterWritingItsVersionIsNotExportedAgain()
    {
        string output = TestRuns.NewFolder("pipeline-export-died");
        CopyFolder(Reference.Value, output);
        // The state as the export left it when killed between writing v1 and recording it: reserved, not done.
        string statePath = Path.Combine(output, "pipeline.json");
        JsonNode state = JsonNode.Parse(File.ReadAllText(statePath))!;
        state["aod-tiny/export"]!["Done"] = false;
        state.AsObject().Remove("aod-tiny/validate");
        foreach (string key in new[] { "aod-tiny/train", "aod-tiny/lower-threshold", "aod-tiny/calibrate" })
        {
            state.AsObject().Remove(key);
        }

        File.WriteAllText(statePath, state.ToJsonString());
        IReadOnlyList<FamilyResult> results = PipelineRunner.Run(Request(output), new Display(), CancellationToken.None);
        Assert.AreEqual("v1", results[0].Version);
        Assert.IsFalse(Directory.Exists(Path.Combine(output, "models", "aod-tiny", "v2")));
    }

    [TestMethod]
    public void OtherSettingsInTheSameFolderAreRefusedByNameAndNothingIsTouched()
    {
        string output = TestRuns.NewFolder("pipeline-other-settings");
        CopyFolder(Reference.Value, output);
        string state = File.ReadAllText(Path.Combine(output, "pipeline.json"));
        var e = Assert.ThrowsExactly<E2EDeploy.Shared.InvalidSettingException>(() => PipelineRunner.Run(Request(output) with { Steps = 60 }, new Display(), CancellationToken.None));
        StringAssert.Contains(e.Message, "steps");
        Assert.AreEqual(state, File.ReadAllText(Path.Combine(output, "pipeline.json")));
    }

    [TestMethod]
    public void AScenarioThePipelineCannotServeIsRefusedBeforeAnyWork()
    {
        string output = TestRuns.NewFolder("pipeline-one-bs");
        PipelineRequest request = Request(output) with
        {
            Scenario = TestRuns.Small with { BaseStations = [TestRuns.Small.BaseStations[0]] },
            Tasks = [TrainingTask.Aod, TrainingTask.Position],
        };
        ScenarioException e = Assert.ThrowsExactly<ScenarioException>(() => PipelineRunner.Run(request, new Display(), CancellationToken.None));
        Assert.AreEqual("baseStations", e.ValuePath);
        Assert.IsFalse(Directory.Exists(output), "nothing was written");
    }

    /// <summary>
    /// The models, runs and reports of <paramref name="expected"/> are in <paramref name="actual"/> byte for byte, but for the
    /// paths and times they record; <paramref name="family"/> is the family whose manifest is compared.
    /// </summary>
    private static void AssertSameOutputs(string expected, string actual, string family)
    {
        string[] files = Directory.GetFiles(expected, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(expected, f))
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal) && !f.EndsWith("checkpoint.bin", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".html", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal))
            .ToArray();
        Assert.IsTrue(files.Any(f => f.EndsWith(".onnx", StringComparison.Ordinal)) && files.Any(f => f.EndsWith("calibration.bin", StringComparison.Ordinal)), string.Join(", ", files));
        foreach (string file in files)
        {
            string a = Path.Combine(expected, file), b = Path.Combine(actual, file);
            Assert.IsTrue(File.Exists(b), $"{file} is missing after the resumed run");
            if (file.EndsWith("log.csv", StringComparison.Ordinal))
            {
                // Every column but the elapsed time.
                CollectionAssert.AreEqual(WithoutElapsed(a), WithoutElapsed(b), file);
            }
            else if (file.EndsWith(".onnx", StringComparison.Ordinal))
            {
                // Graph and weights to the byte; of the metadata, all but the export time and the run paths.
                CollectionAssert.AreEqual(ComparableOnnx(a, expected), ComparableOnnx(b, actual), file);
            }
            else if (!file.EndsWith(".png", StringComparison.Ordinal) && !file.EndsWith(".svg", StringComparison.Ordinal))
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(a), File.ReadAllBytes(b), file);
            }
        }

        // checkpoint.bin is left out: it holds the training time. The manifest: the same golden data, metrics and regression value; only the export time and the run paths differ.
        string manifest = Path.Combine("models", family, "v1", "manifest.json");
        Assert.AreEqual(Normalised(Path.Combine(expected, manifest), expected), Normalised(Path.Combine(actual, manifest), actual));
    }

    private static byte[] ComparableOnnx(string path, string root)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        StringStringEntryProto[] kept = model.MetadataProps.Where(p => p.Key != "e2e.created")
            .Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value.Replace(root, "ROOT", StringComparison.Ordinal) }).ToArray();
        model.MetadataProps.Clear();
        model.MetadataProps.Add(kept);
        return model.ToByteArray();
    }

    private static string[] WithoutElapsed(string path) =>
        File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 5))).ToArray();

    private static string Normalised(string manifestPath, string root)
    {
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(manifestPath).Replace(root, "ROOT", StringComparison.Ordinal))!.AsObject();
        manifest.Remove("created");
        foreach (JsonNode? file in manifest["files"]!.AsArray())
        {
            file!.AsObject().Remove("sha256"); // of files whose metadata hold the export time; compared above without it
        }
        return manifest.ToJsonString();
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Path.GetFileName(file) is "pipeline.json" or "config.json")
            {
                // The folder as the pipeline left it: its records name its own paths (the exported versions keep theirs).
                File.WriteAllText(target, File.ReadAllText(file).Replace(from, to, StringComparison.Ordinal));
            }
            else
            {
                File.Copy(file, target);
            }
        }
    }

    private sealed class KilledException() : Exception("killed");

    /// <summary>A display that records what it is told and, with <see cref="KillIn"/>, dies on that stage's <see cref="KillAtReport"/>-th progress report (at its start for the export, which reports none).</summary>
    private sealed class Display : IStageDisplay
    {
        public string? KillIn { get; init; }

        public int KillAtReport { get; init; }

        public List<string> Finished { get; } = [];

        public int Updates { get; private set; }

        private int reports;

        private readonly Lock gate = new(); // the families of one pipeline report from their own threads

        public void Start(string name, double total)
        {
            if (name == KillIn && name.EndsWith("/export", StringComparison.Ordinal))
            {
                throw new KilledException();
            }
        }

        public void Update(string name, double value, string? detail = null)
        {
            lock (gate)
            {
                Updates++;
                if (name == KillIn && ++reports == KillAtReport)
                {
                    throw new KilledException();
                }
            }
        }

        public void Finish(string name, string detail)
        {
            lock (gate)
            {
                Finished.Add(detail);
            }
        }
    }
}
