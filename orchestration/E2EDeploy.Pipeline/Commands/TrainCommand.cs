using System.CommandLine;
using System.Globalization;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>`e2e-train train`: trains one autoencoder into a run folder, or resumes one.</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var task = new Option<string>("--task") { Description = "aod (Fig. 2) or position (Fig. 3).", DefaultValueFactory = _ => "aod" };
        var snr = new Option<double>("--snr") { Description = "The fixed training SNR, dB, or the lowest of the range with --snr-max.", DefaultValueFactory = _ => 20 };
        var snrMax = new Option<double?>("--snr-max") { Description = "Train one model over [--snr, --snr-max] dB: every sample draws its SNR, loss weighted by 10^((SNR-20)/10), steeper below --snr-knee (default: the fixed --snr)." };
        var snrKnee = new Option<double?>("--snr-knee") { Description = "With --snr-max: below this SNR, dB, sample weights fall 20 dB per 10 dB instead of 10 (default: the profile's; release 10)." };
        var decoderInput = new Option<string>("--decoder-input") { Description = "raw (the paper's y) or gram (gain-phase-invariant y y^H inside the graph).", DefaultValueFactory = _ => "raw" };
        var decoderRegion = new Option<bool>("--decoder-region") { Description = "The UE decoder also sees the a-priori region xi_i (eq. 5) that each precoder sees, as the ML estimators eq. (11, 12) do (default: off, the paper's decoder). A warm start from a run without it keeps that run's function: the new inputs start at zero weight." };
        var initFrom = new Option<string?>("--init-from") { Description = "Warm start from another run folder's best weights (same task, sizes and decoder input)." };
        var boundWeight = new Option<double?>("--bound-weight") { Description = "Weight of the learned precoders' mean CRB (rad^2) or PEB^2 (m^2) added to the MSE loss; 0 is the paper's loss (default: the profile's)." };
        var learningRate = new Option<double?>("--learning-rate") { Description = "Adam's starting learning rate (default 1e-3, the paper's); lower for a fine-tune from --init-from." };
        var impairment = new Option<string>("--impairment") { Description = "none, spacing or coupling.", DefaultValueFactory = _ => "none" };
        var profile = new Option<string>("--profile") { Description = "quick (minutes on 2 CPU cores), release (the released models' recipe, docs/research-log.md) or paper (the paper's sizes, for a GPU).", DefaultValueFactory = _ => "quick" };
        var steps = new Option<int?>("--steps") { Description = "Maximum optimiser steps (default: the profile's)." };
        var batch = new Option<int?>("--batch") { Description = "Mini-batch size (default: the profile's; paper 10,000)." };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden width H (default 256)." };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Steps between validations (default: the profile's)." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Steps between checkpoints (default: the profile's)." };
        var validationSize = new Option<int?>("--validation-size") { Description = "Size of the held-out validation set (default: the profile's)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and batches.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var scenarioFile = new Option<FileInfo?>("--scenario") { Description = "Scenario JSON (default: the paper's)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint." };
        var output = new Option<string>("--out") { Description = "Run folder, e.g. runs/aod-20db.", Required = true };
        task.AcceptOnlyFromAmong("aod", "position");
        impairment.AcceptOnlyFromAmong("none", "spacing", "coupling");
        profile.AcceptOnlyFromAmong("quick", "paper", "release");
        decoderInput.AcceptOnlyFromAmong("raw", "gram");

        var command = new Command("train", "Trains an AoD or position autoencoder at a fixed SNR or over an SNR range, with checkpoints, a CSV log and a live progress bar.");
        foreach (Option option in new Option[] { task, snr, snrMax, snrKnee, decoderInput, decoderRegion, boundWeight, learningRate, initFrom, impairment, profile, steps, batch, hidden, evalEvery, checkpointEvery, validationSize, seed, device, scenarioFile, resume, output })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            try
            {
                TrainingTask trainingTask = parse.GetValue(task) == "position" ? TrainingTask.Position : TrainingTask.Aod;
                TrainingConfig config = TrainingConfig.ForProfile(parse.GetValue(profile)!, trainingTask) with
                {
                    InitFrom = parse.GetValue(initFrom),
                    Impairment = Enum.Parse<ImpairmentKind>(parse.GetValue(impairment)!, ignoreCase: true),
                    Seed = parse.GetValue(seed),
                    Device = parse.GetValue(device)!,
                };
                config = config with
                {
                    Steps = parse.GetValue(steps) ?? config.Steps,
                    BatchSize = parse.GetValue(batch) ?? config.BatchSize,
                    Hidden = parse.GetValue(hidden) ?? config.Hidden,
                    BoundWeight = parse.GetValue(boundWeight) ?? config.BoundWeight,
                    LearningRate = parse.GetValue(learningRate) ?? config.LearningRate,
                    DecoderRegion = parse.GetValue(decoderRegion),
                    EvalEvery = parse.GetValue(evalEvery) ?? config.EvalEvery,
                    CheckpointEvery = parse.GetValue(checkpointEvery) ?? config.CheckpointEvery,
                    ValidationSize = parse.GetValue(validationSize) ?? config.ValidationSize,
                };
                if (parse.GetResult(snr) is { Implicit: false } || parse.GetResult(snrMax) is { Implicit: false })
                {
                    // An explicit --snr alone means the paper's fixed SNR; --snr-max makes it a range.
                    config = config with { SnrDb = parse.GetValue(snr), SnrMaxDb = parse.GetValue(snrMax) };
                }

                if (parse.GetResult(snrKnee) is { Implicit: false })
                {
                    config = config with { SnrKneeDb = parse.GetValue(snrKnee) };
                }

                if (parse.GetResult(decoderInput) is { Implicit: false })
                {
                    config = config with
                    {
                        DecoderInput = parse.GetValue(decoderInput) switch
                        {
                            "gram" => DecoderInput.Gram,
                            _ => DecoderInput.Raw,
                        },
                    };
                }
                bool isResume = parse.GetValue(resume);
                if (!isResume)
                {
                    config.Validate();
                    TorchDevices.Resolve(config.Device);
                    if (config.InitFrom is string init && !Directory.Exists(init) && !File.Exists(init))
                    {
                        throw new ArgumentException($"--init-from '{init}': no such run folder or model.bin.");
                    }
                }

                FileInfo? file = parse.GetValue(scenarioFile);
                Scenario scenario = file is null ? Scenario.Paper : ScenarioFile.Load(file.FullName);
                var run = new RunDirectory(parse.GetValue(output)!);
                if (isResume && run.HasCheckpoint)
                {
                    // --resume continues the run as it was configured: an option given now must agree with it.
                    (TrainingConfig stored, Scenario storedScenario) = run.ReadConfig();
                    var settings = new (Option Option, Func<TrainingConfig, object?> Value)[]
                    {
                        (task, c => c.Task), (snr, c => c.SnrDb), (snrMax, c => c.SnrMaxDb), (snrKnee, c => c.SnrKneeDb), (decoderInput, c => c.DecoderInput),
                        (decoderRegion, c => c.DecoderRegion), (boundWeight, c => c.BoundWeight), (learningRate, c => c.LearningRate), (initFrom, c => c.InitFrom),
                        (impairment, c => c.Impairment), (profile, c => c.Profile), (batch, c => c.BatchSize), (hidden, c => c.Hidden), (evalEvery, c => c.EvalEvery),
                        (checkpointEvery, c => c.CheckpointEvery), (validationSize, c => c.ValidationSize), (seed, c => c.Seed), (device, c => c.Device),
                    };
                    string[] contradictions = settings
                        .Where(o => parse.GetResult(o.Option) is { Implicit: false } && !Equals(o.Value(config), o.Value(stored)))
                        .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Option.Name} {o.Value(config)} (the run has {o.Value(stored) ?? "none"})"))
                        .ToArray();
                    if (file is not null && ScenarioFile.ToJson(scenario with { Impairments = scenario.Impairments with { Kind = stored.Impairment } }) != ScenarioFile.ToJson(storedScenario))
                    {
                        contradictions = [.. contradictions, $"--scenario {file.Name} (the run has its own scenario in config.json)"];
                    }

                    if (contradictions.Length > 0)
                    {
                        throw new ArgumentException($"--resume continues the run in '{run.FullPath}' as it was configured; these options contradict it: {string.Join(", ", contradictions)}. Give only --out, --resume and --steps, or start a new run.");
                    }
                }

                TrainingResult result = Train(console, run, config, scenario, isResume, isResume ? parse.GetValue(steps) : null, token);
                WriteSummary(console, run, result);
                return Task.FromResult(result.Interrupted ? TrainingCli.Interrupted : 0);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] an I/O operation failed, nothing half-written was kept (continue with --resume where a checkpoint exists): {e.Message}");
                return Task.FromResult(TrainingCli.InputOutputFailure);
            }
            catch (Exception e) when (e is ArgumentException or ScenarioException or FileNotFoundException or InvalidDataException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {CliErrors.Describe(e, "--out")}");
                return Task.FromResult(TrainingCli.BadInput);
            }
        });
        return command;
    }

    private static TrainingResult Train(IAnsiConsole console, RunDirectory run, TrainingConfig config, Scenario scenario, bool resume, int? stepsOverride, CancellationToken token)
    {
        TrainingResult? result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask bar = context.AddTask("starting", maxValue: stepsOverride ?? config.Steps);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    bar.MaxValue = p.TotalSteps;
                    bar.Value = p.Step;
                    string validation = double.IsNaN(p.ValidationRmse) ? "-" : p.ValidationRmse.ToString("0.0000", CultureInfo.InvariantCulture);
                    bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:0.000e+0}  val {validation} {p.Unit}  lr {p.LearningRate:0.0e+0}"));
                });
                result = Trainer.Run(run, config, scenario, resume, stepsOverride, progress, token);
            });
        return result!;
    }

    private static void WriteSummary(IAnsiConsole console, RunDirectory run, TrainingResult result)
    {
        var table = new Table().Title(Markup.Escape(result.Interrupted ? "interrupted: checkpoint written, continue with --resume" : "training finished"));
        table.AddColumn("").AddColumn("");
        table.AddRow("run", Markup.Escape(run.FullPath));
        table.AddRow("steps", result.Steps.ToString(CultureInfo.InvariantCulture) + (result.EarlyStopped ? " (early stop on plateau)" : string.Empty));
        table.AddRow($"best validation RMSE [[{result.Unit}]] (model.bin)", $"{result.ValidationRmse.ToString("0.00000", CultureInfo.InvariantCulture)} at step {result.BestStep}");
        table.AddRow(result.Unit == "deg" ? "RMSE on U1 = [[40, 60]] deg" : "RMSE at p = [[0.5, 5]] m", result.ReferenceRmse.ToString("0.00000", CultureInfo.InvariantCulture));
        table.AddRow("training time", $"{result.ElapsedSeconds:0.0} s");
        table.AddRow("steps/s (this invocation)", result.StepsPerSecond.ToString("0.00", CultureInfo.InvariantCulture));
        console.Write(table);
    }
}
