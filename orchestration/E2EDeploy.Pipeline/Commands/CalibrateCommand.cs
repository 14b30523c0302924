using System.CommandLine;
using System.Globalization;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training;
using E2EDeploy.Training.Training;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>`e2e-train calibrate`: learns the UE's array model of every BS from a trained run's data (<see cref="ArrayCalibration"/>).</summary>
public static class CalibrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var run = new Option<string>("--run") { Description = "The trained run folder (with model.bin); calibration.bin is written into it.", Required = true };
        var steps = new Option<int>("--steps") { Description = "Adam steps.", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Draws per step.", DefaultValueFactory = _ => 1000 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's starting rate, cosine-decayed to 1 % of it.", DefaultValueFactory = _ => 1e-3 };
        var snr = new Option<double>("--snr") { Description = "SNR of the draws, dB.", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws.", DefaultValueFactory = _ => 1 };
        var command = new Command("calibrate", "Learns the UE's model of each BS's array (element positions and coupling) from a trained run's training data, with its precoders fixed, for the estimator's Fisher-scoring refinement (export --refine-steps).");
        foreach (Option option in new Option[] { run, steps, batch, learningRate, snr, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            try
            {
                string runPath = parse.GetValue(run)!;
                var folder = new RunDirectory(runPath);
                if (!Directory.Exists(runPath) || !File.Exists(folder.ModelPath))
                {
                    throw new ArgumentException($"--run '{runPath}': expected a trained run folder with model.bin.");
                }

                var settings = new CalibrationSettings(parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(learningRate), parse.GetValue(snr), parse.GetValue(seed)).Validate();
                CalibrationResult? result = null;
                console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        ProgressTask bar = context.AddTask("calibrating", maxValue: settings.Steps);
                        result = ArrayCalibration.CalibrateRun(folder, settings, (step, loss) =>
                        {
                            bar.Value = step;
                            bar.Description = Markup.Escape($"calibrating, loss {loss.ToString("0.0000e+0", CultureInfo.InvariantCulture)}");
                        });
                    });
                string path = Path.Combine(folder.FullPath, ArrayCalibration.FileName);
                console.MarkupLineInterpolated($"wrote {path}: loss {result!.InitialLoss:0.0000e+0} -> {result.FinalLoss:0.0000e+0} in {result.Seconds:0} s ({settings.Steps} steps, batch {settings.BatchSize}, {settings.SnrDb} dB).");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or ScenarioException or InvalidOperationException or IOException or InvalidDataException)
            {
                return CliErrors.Report(console, e);
            }
        });
        return command;
    }
}
