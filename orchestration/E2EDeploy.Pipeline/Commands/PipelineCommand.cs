using System.CommandLine;
using System.Globalization;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training;
using E2EDeploy.Training.Estimators;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;
using E2EDeploy.Validation;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>
/// `e2e-train pipeline`: the main job. Trains the AoD and position autoencoders for the default scenario at 20 dB,
/// exports them as new versions into the run's own registry (OUT/models unless --registry says otherwise), validates the deployed models (ONNX Runtime) against CRB/PEB and
/// the benchmark, and writes the reports, with one progress display across the stages.
/// </summary>
public static class PipelineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var profile = new Option<string>("--profile") { Description = "quick (within 15 minutes on 2 CPU cores) or paper (for a GPU workstation).", DefaultValueFactory = _ => "quick" };
        var output = new Option<string>("--out") { Description = "Folder for the training runs, the new model versions (OUT/models) and the reports (OUT/reports).", DefaultValueFactory = _ => "pipeline" };
        var registry = new Option<string?>("--registry") { Description = "Registry root that receives the new model versions (default: OUT/models). Releasing into the repository's models/ is an explicit choice: --registry models." };
        var snr = new Option<double>("--snr") { Description = "Training SNR, dB.", DefaultValueFactory = _ => 20 };
        var steps = new Option<int?>("--steps") { Description = "Override the profile's training steps (for a smoke run)." };
        var trials = new Option<int>("--trials") { Description = "Validation trials per SNR and per estimator.", DefaultValueFactory = _ => 10000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the training and of the validation draws.", DefaultValueFactory = _ => 1 };
        profile.AcceptOnlyFromAmong("quick", "paper");
        var command = new Command("pipeline", "Trains, exports and validates the AoD and position autoencoders, and writes the reports (the main job).");
        foreach (Option option in new Option[] { profile, output, registry, snr, steps, trials, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            if (Console.IsErrorRedirected)
            {
                console.Profile.Width = 160;
            }

            try
            {
                string root = Path.GetFullPath(parse.GetValue(output)!);
                string registryRoot = parse.GetValue(registry) ?? Path.Combine(root, "models");
                double snrDb = parse.GetValue(snr);
                string snrName = snrDb.ToString("0.##", CultureInfo.InvariantCulture).Replace('-', 'm');
                var results = new List<(string Family, ValidationOutcome Validation, string Report)>();
                TrainingTask[] tasks = [TrainingTask.Aod, TrainingTask.Position];
                var configs = tasks.Select(task =>
                {
                    TrainingConfig c = TrainingConfig.ForProfile(parse.GetValue(profile)!, task) with { SnrDb = snrDb, Seed = parse.GetValue(seed) };
                    return (c with { Steps = parse.GetValue(steps) ?? c.Steps }).Validate();
                }).ToArray();
                ValidationReport.PrepareOutput(Path.Combine(root, "reports"));
                var start = DateTime.UtcNow;
                StageDisplays.Run(console, Console.IsErrorRedirected, display =>
                {
                    for (int k = 0; k < tasks.Length; k++)
                    {
                        string name = tasks[k].ToString().ToLowerInvariant();
                        string trainStage = $"train {name}", exportStage = $"export {name}", validateStage = $"validate {name}";
                        var run = new RunDirectory(Path.Combine(root, "runs", $"{name}-{snrName}db-none-{DateTime.UtcNow:yyyyMMddHHmmss}"));
                        display.Start(trainStage, configs[k].Steps);
                        TrainingResult trained = Trainer.Run(run, configs[k], Scenario.Paper, resume: false, progress: new Reporter<TrainingProgress>(p =>
                            display.Update(trainStage, p.Step, string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps}, val {p.ValidationRmse:0.0000} {p.Unit}"))), cancellationToken: token);
                        if (trained.Interrupted)
                        {
                            throw new OperationCanceledException();
                        }

                        display.Finish(trainStage, string.Create(CultureInfo.InvariantCulture, $"{trained.Steps} steps, best validation RMSE {trained.ValidationRmse:0.0000} {trained.Unit}, run {run.FullPath}"));
                        display.Start(exportStage, 1);
                        string family = $"{name}-{snrName}db-none";
                        PublishResult published = ModelPublisher.Publish(run, new PublishTarget(registryRoot, family), new EstimatorSettings(), DeployedRegression.Measure);
                        display.Finish(exportStage, $"{family}/{published.Manifest.Version} in {registryRoot}");
                        int points = 8;
                        display.Start(validateStage, 2.0 * points * parse.GetValue(trials));
                        var request = new ValidationRequest(registryRoot, family, published.Manifest.Version, null, parse.GetValue(trials), parse.GetValue(seed));
                        long done = 0;
                        ValidationOutcome validation = ModelValidator.Run(request, new Reporter<int>(n => display.Update(validateStage, Interlocked.Add(ref done, n))), token);
                        string reportFolder = Path.Combine(root, "reports", name);
                        ValidationReport.Write(validation, reportFolder,
                            $"e2e validate --family {family}/{published.Manifest.Version} --registry {registryRoot} --trials {request.Trials} --seed {request.Seed} --out {reportFolder}");
                        display.Finish(validateStage, $"report {Path.Combine(reportFolder, "report.html")}");
                        results.Add((family + "/" + published.Manifest.Version, validation, Path.Combine(reportFolder, "report.html")));
                    }
                });
                Table summary = Summary(results, DateTime.UtcNow - start);
                console.Write(summary);
                if (Console.IsOutputRedirected || Console.IsErrorRedirected)
                {
                    // The summary also goes to stdout, for a log or a script; on a terminal stderr has shown it already.
                    IAnsiConsole stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                    stdout.Profile.Width = 200;
                    stdout.Write(summary);
                }
                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                console.MarkupLine("[yellow]interrupted[/]: training runs keep their checkpoints (e2e-train train --resume); no model version was written for an unfinished stage.");
                return Task.FromResult(TrainingCli.Interrupted);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] an I/O operation failed, nothing half-written was kept (training runs keep their checkpoints): {e.Message}");
                return Task.FromResult(TrainingCli.InputOutputFailure);
            }
            catch (Exception e) when (e is ArgumentException or ModelContractException or InvalidOperationException or IOException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {CliErrors.Describe(e)}");
                return Task.FromResult(TrainingCli.BadInput);
            }
        });
        return command;
    }

    private static Table Summary(List<(string Family, ValidationOutcome Validation, string Report)> results, TimeSpan elapsed)
    {
        var table = new Table().Title(Markup.Escape($"pipeline finished in {elapsed.TotalMinutes:0.0} min"));
        table.AddColumn("model").AddColumn(new TableColumn("trained at").RightAligned()).AddColumn(new TableColumn("learned RMSE / bound").RightAligned()).AddColumn(new TableColumn("benchmark RMSE / bound").RightAligned()).AddColumn("report");
        foreach ((string family, ValidationOutcome v, string report) in results)
        {
            ValidationRow row = v.Rows.MinBy(r => Math.Abs(r.SnrDb - v.Manifest.SnrDb))!;
            table.AddRow(
                Markup.Escape(family),
                $"{v.Manifest.SnrDb.ToString("0.##", CultureInfo.InvariantCulture)} dB",
                $"{row.LearnedRatio.ToString("0.000", CultureInfo.InvariantCulture)} ({row.LearnedRmse.ToString("0.0000", CultureInfo.InvariantCulture)} {v.Unit})",
                $"{row.BenchmarkRatio.ToString("0.000", CultureInfo.InvariantCulture)} ({row.BenchmarkRmse.ToString("0.0000", CultureInfo.InvariantCulture)} {v.Unit})",
                Markup.Escape(report));
        }

        return table;
    }

    private sealed class Reporter<T>(Action<T> action) : IProgress<T>
    {
        private readonly Lock gate = new();

        public void Report(T value)
        {
            lock (gate)
            {
                action(value);
            }
        }
    }
}
