using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using E2EDeploy.Shared;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;
using E2EDeploy.Validation;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>The outcome of one family: its version, report, validation rows and the time of each stage (s).</summary>
public sealed record FamilyResult(string Family, TrainingTask Task, string Version, string Report, IReadOnlyList<ValidationSummaryRow> Rows, IReadOnlyList<(string Stage, double Seconds)> StageSeconds, bool Impaired);

/// <summary>
/// Runs the stages of <see cref="PipelineRecipe"/> for every task of a request, the tasks' families side by side,
/// resumable by stage (OUT/pipeline.json, <see cref="PipelineState"/>): a finished stage is skipped, a training stage
/// killed midway continues from its checkpoint, a killed calibration or validation runs again (both are deterministic),
/// and an export reserves its version in the state before it writes, so a resumed export never makes a second version.
/// Killed at any point, the same request ends with the same models as an uninterrupted run, byte for byte on the CPU.
/// </summary>
public static class PipelineRunner
{
    /// <summary>Runs <paramref name="request"/>; cancelled, it throws <see cref="OperationCanceledException"/> after the current stage saved what it could.</summary>
    /// <exception cref="ScenarioException">The scenario cannot be served (before any work).</exception>
    /// <exception cref="InvalidSettingException">A stage's folder holds the work of other settings, or another pipeline writes OUT.</exception>
    public static IReadOnlyList<FamilyResult> Run(PipelineRequest request, IStageDisplay display, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(display);
        ScenarioRequirements.Check(request.Scenario, request.Tasks);
        var recipes = request.Tasks.Select(task => (Task: task, Stages: PipelineRecipe.For(request, task))).ToArray();
        string output = Path.GetFullPath(request.Output);
        Directory.CreateDirectory(output);
        using FolderLock writer = FolderLock.TryAcquire(Path.Combine(output, ".pipeline.lock"))
            ?? throw new InvalidSettingException("--out", $"'{output}'", "a pipeline folder that no other pipeline is running in (it holds .pipeline.lock)");
        PipelineState state = PipelineState.Open(output);
        foreach ((_, IReadOnlyList<RecipeStage> stages) in recipes)
        {
            CheckAgainstState(state, stages);
        }

        if (recipes.Length == 1)
        {
            return [RunFamily(request, recipes[0].Task, recipes[0].Stages, state, display, cancellationToken)];
        }

        // The families side by side: one libtorch training keeps about 1.3 of 2 cores busy, and AoD and position side by side
        // ran at 0.77 and 0.67 x their speed alone, 1.44 x the throughput (docs/research-log.md, "Every family through the
        // recipe"). Each family's stages stay in order and its outputs are those of a run alone (its own seeds and files);
        // the first family to fail stops the others, whose finished stages are kept for the next run.
        var results = new FamilyResult[recipes.Length];
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] families = recipes.Select((recipe, i) => Task.Factory.StartNew(() =>
        {
            try
            {
                results[i] = RunFamily(request, recipe.Task, recipe.Stages, state, display, failed.Token);
            }
            catch
            {
                failed.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Task.WaitAll(families);
        }
        catch (AggregateException e)
        {
            // The failure that stopped the pipeline, not the cancellation it caused in the other families.
            Exception first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }

        return results;
    }

    /// <summary>The stages of one family in order: a finished stage is skipped, the others run and are recorded in <paramref name="state"/>.</summary>
    private static FamilyResult RunFamily(PipelineRequest request, TrainingTask task, IReadOnlyList<RecipeStage> stages, PipelineState state, IStageDisplay display, CancellationToken cancellationToken)
    {
        foreach (RecipeStage stage in stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (state.IsDone(stage))
            {
                display.Start(stage.Key, 1);
                display.Finish(stage.Key, $"done before: {state.Get(stage)!.Detail}");
                continue;
            }

            StageRecord? previous = state.Get(stage);
            var clock = Stopwatch.StartNew();
            double before = previous?.Seconds ?? 0;
            StageRecord record = stage switch
            {
                TrainStage t => Train(t, display, cancellationToken),
                CalibrateStage c => Calibrate(c, display, cancellationToken),
                ExportStage e => Export(e, state, display, before),
                ValidateStage v => Validate(v, VersionOf(state, stages), display, cancellationToken),
                _ => throw new InvalidOperationException($"unknown stage {stage.GetType().Name}"),
            };
            // A training stage counts its run's training time over all resumptions (also of a run started outside the pipeline).
            record = record with { Seconds = stage is TrainStage ? record.Seconds : before + clock.Elapsed.TotalSeconds };
            state.Set(stage, record);
            display.Finish(stage.Key, record.Detail);
        }

        ValidateStage validate = stages.OfType<ValidateStage>().Single();
        return new FamilyResult(validate.Family, task, VersionOf(state, stages), Path.Combine(validate.ReportFolder, "report.html"), state.Get(validate)!.Rows!,
            stages.Select(s => (s.Name, state.Get(s)!.Seconds)).ToArray(), request.Scenario.Impairments.Kind != ImpairmentKind.None);
    }

    /// <summary>Refuses, before any work, a folder whose earlier stages were made with other settings (nothing there is touched).</summary>
    private static void CheckAgainstState(PipelineState state, IReadOnlyList<RecipeStage> stages)
    {
        foreach (RecipeStage stage in stages)
        {
            if (state.Get(stage) is StageRecord record && record.Definition != stage.Definition)
            {
                throw new InvalidSettingException("--out", $"'{Path.GetDirectoryName(state.Path)}'",
                    $"a pipeline folder of these settings, or a new one: its stage {stage.Key} was made with {Difference(record.Definition, stage.Definition)}; give the same options as before to resume, or another --out");
            }

            if (stage is TrainStage train && File.Exists(Path.Combine(train.RunFolder, "config.json")) && new RunDirectory(train.RunFolder).HasCheckpoint)
            {
                (TrainingConfig stored, Scenario storedScenario) = new RunDirectory(train.RunFolder).ReadConfig();
                string storedDefinition = new TrainStage(train.Family, train.Name, train.RunFolder, stored, storedScenario).Definition;
                if (storedDefinition != train.Definition)
                {
                    throw new InvalidSettingException("--out", $"'{train.RunFolder}'",
                        $"a run of the recipe's settings to resume: it was trained with {Difference(storedDefinition, train.Definition)}; give the same options as before, or another --out");
                }
            }
        }
    }

    /// <summary>The first value that differs between two stage definitions, as "name X (the recipe asks Y)".</summary>
    private static string Difference(string stored, string wanted)
    {
        static IEnumerable<(string Path, string Value)> Leaves(JsonNode? node, string path) => node switch
        {
            JsonObject o => o.SelectMany(p => Leaves(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
            JsonArray a => a.SelectMany((v, i) => Leaves(v, $"{path}[{i}]")),
            _ => [(path, node?.ToJsonString() ?? "null")],
        };
        var old = Leaves(JsonNode.Parse(stored), string.Empty).ToDictionary(l => l.Path, l => l.Value);
        var now = Leaves(JsonNode.Parse(wanted), string.Empty).ToDictionary(l => l.Path, l => l.Value);
        foreach (string key in old.Keys.Union(now.Keys))
        {
            string a = old.GetValueOrDefault(key, "(none)"), b = now.GetValueOrDefault(key, "(none)");
            if (a != b)
            {
                return $"{key} {a} (the recipe asks {b})";
            }
        }

        return "other settings";
    }

    private static StageRecord Train(TrainStage stage, IStageDisplay display, CancellationToken token)
    {
        var run = new RunDirectory(stage.RunFolder);
        display.Start(stage.Key, stage.Config.Steps);
        TrainingResult result = Trainer.Run(run, stage.Config, stage.Scenario, resume: run.HasCheckpoint, progress: new SynchronousProgress<TrainingProgress>(p =>
            display.Update(stage.Key, p.Step, string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps}, val {p.ValidationRmse:0.0000} {p.Unit}, lr {p.LearningRate:0.0e+0}"))), cancellationToken: token);
        if (result.Interrupted)
        {
            throw new OperationCanceledException(token);
        }

        return new StageRecord(stage.Definition, true, result.ElapsedSeconds, string.Create(CultureInfo.InvariantCulture,
            $"{result.Steps} steps{(result.EarlyStopped ? " (early stop)" : string.Empty)}, best validation RMSE {result.ValidationRmse:0.00000} {result.Unit} at step {result.BestStep}, run {stage.RunFolder}"));
    }

    private static StageRecord Calibrate(CalibrateStage stage, IStageDisplay display, CancellationToken token)
    {
        display.Start(stage.Key, stage.Settings.Steps);
        CalibrationResult result = ArrayCalibration.CalibrateRun(new RunDirectory(stage.RunFolder), stage.Settings,
            (step, loss) => display.Update(stage.Key, step, string.Create(CultureInfo.InvariantCulture, $"loss {loss:0.0000e+0}")), token);
        return new StageRecord(stage.Definition, true, 0, string.Create(CultureInfo.InvariantCulture, $"loss {result.InitialLoss:0.0000e+0} -> {result.FinalLoss:0.0000e+0}"));
    }

    private static StageRecord Export(ExportStage stage, PipelineState state, IStageDisplay display, double secondsBefore)
    {
        display.Start(stage.Key, 1);
        string familyFolder = Path.Combine(stage.Registry, stage.Family);
        string version = state.Get(stage)?.Version ?? NextVersion(familyFolder);
        string folder = Path.Combine(familyFolder, version);
        string manifestPath = Path.Combine(folder, "manifest.json");
        if (File.Exists(manifestPath))
        {
            // Reserved by an earlier run of this stage, which published it and was killed before it could say so.
            ModelManifest written = ModelManifest.Load(manifestPath);
            if (written.ReproducingCommand != stage.ReproducingCommand)
            {
                throw new InvalidSettingException("--registry", $"'{stage.Registry}'", $"a registry where {stage.Family}/{version}, reserved by this pipeline, is its own export; it holds another ({written.ReproducingCommand ?? "no command recorded"})");
            }

            return new StageRecord(stage.Definition, true, 0, $"{stage.Family}/{version} in {stage.Registry}", version);
        }

        state.Set(stage, new StageRecord(stage.Definition, false, secondsBefore, $"{stage.Family}/{version} reserved", version));
        PublishResult published = ModelPublisher.Publish(new RunDirectory(stage.RunFolder), new PublishTarget(stage.Registry, stage.Family, version, stage.ReproducingCommand), stage.Estimator, DeployedRegression.Measure);
        return new StageRecord(stage.Definition, true, 0, $"{stage.Family}/{published.Manifest.Version} in {stage.Registry}", published.Manifest.Version);
    }

    private static StageRecord Validate(ValidateStage stage, string version, IStageDisplay display, CancellationToken token)
    {
        var request = new ValidationRequest(stage.Registry, stage.Family, version, null, stage.Trials, stage.Seed);
        ValidationReport.PrepareOutput(stage.ReportFolder);
        long done = 0;
        // Progress counts trials: the learned model and the benchmark, each with its Bayesian reference, at every SNR of the grid.
        int snrs = ModelManifest.Load(Path.Combine(stage.Registry, stage.Family, version, "manifest.json")).Scenario.SnrGridDb.Count;
        display.Start(stage.Key, 4.0 * stage.Trials * snrs);
        ValidationOutcome outcome = ModelValidator.Run(request, new SynchronousProgress<int>(n => display.Update(stage.Key, Interlocked.Add(ref done, n))), token);
        ValidationReport.Write(outcome, stage.ReportFolder, CommandLineText.Of("e2e", ["validate", "--family", $"{stage.Family}/{version}", "--registry", stage.Registry, "--trials", stage.Trials.ToString(CultureInfo.InvariantCulture), "--seed", stage.Seed.ToString(CultureInfo.InvariantCulture), "--out", stage.ReportFolder]));
        ValidationSummaryRow[] rows = outcome.Rows.Select(r => new ValidationSummaryRow(r.SnrDb, r.LearnedRmse, r.LearnedBound, r.BenchmarkRmse, r.BenchmarkBound)).ToArray();
        return new StageRecord(stage.Definition, true, 0, $"report {Path.Combine(stage.ReportFolder, "report.html")}", version, rows);
    }

    private static string VersionOf(PipelineState state, IReadOnlyList<RecipeStage> stages) =>
        state.Get(stages.OfType<ExportStage>().Single())?.Version ?? throw new InvalidOperationException("the export stage has not run");

    private static string NextVersion(string familyFolder)
    {
        int highest = Directory.Exists(familyFolder)
            ? Directory.GetDirectories(familyFolder).Select(Path.GetFileName)
                .Select(n => n is { Length: > 1 } && n[0] == 'v' && int.TryParse(n.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) ? k : 0).DefaultIfEmpty(0).Max()
            : 0;
        return string.Create(CultureInfo.InvariantCulture, $"v{highest + 1}");
    }
}
