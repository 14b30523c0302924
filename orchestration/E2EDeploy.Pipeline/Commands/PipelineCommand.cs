using System.CommandLine;
using System.Globalization;
using E2EDeploy.Pipeline.Recipe;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>
/// `e2e-train pipeline`: the main job. For a scenario (the paper's by default; its impairment and test points included) and
/// a profile (<see cref="PipelineProfile"/>), trains, calibrates where the arrays are impaired, exports, validates and
/// reports each task's family (<see cref="PipelineRecipe"/>, <see cref="PipelineRunner"/>), with one progress display across
/// the stages and a summary that says whether the models reached their bounds. Killed, the same command resumes.
/// </summary>
public static class PipelineCommand
{
    /// <summary>The ratio to the own bound that counts as reaching it (docs/models/TARGETS.md).</summary>
    public const double BoundTarget = 1.10;

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var scenarioFile = new Option<FileInfo?>("--scenario") { Description = "Scenario JSON (default: the paper's): BSs, array, priors, SNR grid, impairments.kind and the test points." };
        var task = new Option<string>("--task") { Description = "aod, position or both (the two families side by side, each as it would be alone).", DefaultValueFactory = _ => "both" };
        var profile = new Option<string>("--profile") { Description = "quick (within 15 minutes on 2 CPU cores, one SNR), release (the released models' recipe: SNR range, lower-threshold stage, calibration, Fisher scoring) or paper (the paper's sizes, for a GPU).", DefaultValueFactory = _ => "quick" };
        var snr = new Option<double?>("--snr") { Description = "Train at one SNR, dB (quick and paper: 20 by default)." };
        var snrRange = new Option<string?>("--snr-range") { Description = "Train over MIN:MAX dB (release: the scenario's SNR grid by default), e.g. --snr-range=-5:30." };
        var output = new Option<string>("--out") { Description = "Folder for the runs (OUT/runs), the reports (OUT/reports), the state (OUT/pipeline.json) and, by default, the models (OUT/models).", DefaultValueFactory = _ => "pipeline" };
        var registry = new Option<string?>("--registry") { Description = "Registry root that receives the new versions (default: OUT/models). Releasing into the repository's models/ is an explicit choice: --registry models." };
        var family = new Option<string?>("--family") { Description = "The families are aod-NAME and position-NAME (default NAME: the impairment for the paper's scenario, the scenario file's name otherwise)." };
        var trials = new Option<int>("--trials") { Description = "Validation trials per SNR and per estimator.", DefaultValueFactory = _ => 10000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the training and of the validation draws.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int?>("--steps") { Description = "Total optimiser steps per task over its training stages, split as the recipe splits them (for a smoke run)." };
        var initFrom = new Option<string?>("--init-from") { Description = "Warm start of the first stage from another run folder's best weights (one task only; same sizes)." };
        task.AcceptOnlyFromAmong("aod", "position", "both");
        profile.AcceptOnlyFromAmong("quick", "release", "paper");
        var command = new Command("pipeline", "Trains, calibrates, exports and validates the models of a scenario, and writes the reports (the main job; resumable).");
        foreach (Option option in new Option[] { scenarioFile, task, profile, snr, snrRange, output, registry, family, trials, seed, steps, initFrom })
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
                FileInfo? file = parse.GetValue(scenarioFile);
                Scenario scenario = file is null ? Scenario.Paper : ScenarioFile.Load(file.FullName);
                TrainingTask[] tasks = parse.GetValue(task) switch
                {
                    "aod" => [TrainingTask.Aod],
                    "position" => [TrainingTask.Position],
                    _ => [TrainingTask.Aod, TrainingTask.Position],
                };
                if (parse.GetValue(initFrom) is string init && (tasks.Length > 1 || !Directory.Exists(init)))
                {
                    throw new ArgumentException(tasks.Length > 1
                        ? $"--init-from '{init}' starts one task: give --task aod or --task position with it."
                        : $"--init-from '{init}': no such run folder.");
                }

                if (parse.GetValue(snr) is not null && parse.GetValue(snrRange) is not null)
                {
                    throw new ArgumentException("--snr and --snr-range: give one of them, a fixed SNR or a range.");
                }

                if (parse.GetValue(trials) < 1 || parse.GetValue(steps) is < 2)
                {
                    throw new ArgumentException(parse.GetValue(trials) < 1 ? $"--trials {parse.GetValue(trials)}: expected an integer >= 1." : $"--steps {parse.GetValue(steps)}: expected an integer >= 2.");
                }

                string root = Path.GetFullPath(parse.GetValue(output)!);
                string name = parse.GetValue(family) ?? (file is null ? scenario.Impairments.Kind.ToString().ToLowerInvariant() : Path.GetFileNameWithoutExtension(file.Name));
                RegistryName.Check($"aod-{name}", "--family");
                var request = new PipelineRequest
                {
                    Scenario = scenario,
                    ScenarioFile = file is null ? null : parse.GetResult(scenarioFile)!.Tokens[0].Value,
                    Tasks = tasks,
                    Profile = PipelineProfile.Named(parse.GetValue(profile)!),
                    SnrDb = parse.GetValue(snr),
                    SnrRangeDb = ParseRange(parse.GetValue(snrRange)),
                    Output = root,
                    Registry = parse.GetValue(registry) ?? Path.Combine(root, "models"),
                    FamilyName = name,
                    Trials = parse.GetValue(trials),
                    Seed = parse.GetValue(seed),
                    Steps = parse.GetValue(steps),
                    InitFrom = parse.GetValue(initFrom),
                };
                IReadOnlyList<FamilyResult> results = [];
                var start = DateTime.UtcNow;
                StageDisplays.Run(console, Console.IsErrorRedirected, display => results = PipelineRunner.Run(request, display, token));
                Table summary = Summary(results, DateTime.UtcNow - start);
                console.Write(summary);
                if (Console.IsOutputRedirected || Console.IsErrorRedirected)
                {
                    // The summary also goes to stdout, for a log or a script; on a terminal stderr has shown it already.
                    IAnsiConsole stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                    stdout.Profile.Width = 220;
                    stdout.Write(summary);
                }

                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                console.MarkupLine("[yellow]interrupted[/]: the same command continues where it stopped (finished stages are kept, a training continues from its checkpoint); no model version was written for an unfinished stage.");
                return Task.FromResult(TrainingCli.Interrupted);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] an I/O operation failed, nothing half-written was kept (the same command resumes): {e.Message}");
                return Task.FromResult(TrainingCli.InputOutputFailure);
            }
            catch (Exception e) when (e is ArgumentException or ScenarioException or ModelContractException or InvalidOperationException or IOException or InvalidDataException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {CliErrors.Describe(e)}");
                return Task.FromResult(TrainingCli.BadInput);
            }
        });
        return command;
    }

    /// <summary>Reads MIN:MAX dB; throws naming the value.</summary>
    public static (double Min, double Max)? ParseRange(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split(':');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double max) && double.IsFinite(min) && double.IsFinite(max) && min < max)
        {
            return (min, max);
        }

        throw new ArgumentException($"--snr-range '{text}': expected MIN:MAX in dB with MIN < MAX, e.g. --snr-range=-5:30.");
    }

    /// <summary>The lowest SNR of the grid from which the learned RMSE is within <see cref="BoundTarget"/> of its bound at every SNR up; null if not at the highest.</summary>
    public static double? BoundReachedFrom(IReadOnlyList<ValidationSummaryRow> rows)
    {
        double? from = null;
        foreach (ValidationSummaryRow row in rows.OrderByDescending(r => r.SnrDb))
        {
            if (!(row.LearnedRatio <= BoundTarget))
            {
                break;
            }

            from = row.SnrDb;
        }

        return from;
    }

    private static Table Summary(IReadOnlyList<FamilyResult> results, TimeSpan elapsed)
    {
        var table = new Table().Title(Markup.Escape($"pipeline finished in {elapsed.TotalMinutes:0.0} min (this run)"));
        table.AddColumn("model").AddColumn(new TableColumn("learned RMSE / bound, by SNR").RightAligned()).AddColumn("reached 1.10 x bound").AddColumn(new TableColumn("learned / benchmark RMSE at top SNR").RightAligned()).AddColumn("stage minutes").AddColumn("report");
        foreach (FamilyResult r in results)
        {
            double? from = BoundReachedFrom(r.Rows);
            ValidationSummaryRow top = r.Rows.MaxBy(x => x.SnrDb)!;
            table.AddRow(
                Markup.Escape($"{r.Family}/{r.Version}"),
                Markup.Escape(string.Join(" ", r.Rows.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.SnrDb:0.#}:{x.LearnedRatio:0.000}")))),
                from is double s ? string.Create(CultureInfo.InvariantCulture, $"from {s:0.#} dB up") : "[red]no[/]",
                string.Create(CultureInfo.InvariantCulture, $"{top.LearnedRmse / top.BenchmarkRmse:0.000} at {top.SnrDb:0.#} dB"),
                Markup.Escape(string.Join(" ", r.StageSeconds.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Stage} {x.Seconds / 60:0.0}")))),
                Markup.Escape(r.Report));
        }

        return table;
    }
}
