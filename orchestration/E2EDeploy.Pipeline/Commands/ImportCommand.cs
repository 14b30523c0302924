using System.CommandLine;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training;
using E2EDeploy.Training.Registry;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>`e2e-train import`: turns a released model version back into a training run, for a fine-tune or a re-export.</summary>
public static class ImportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "The model version folder, e.g. models/aod-none/v9 (checked against its manifest).", Required = true };
        var output = new Option<string>("--out") { Description = "A new run folder, e.g. runs/import/aod-none-v9; then train --init-from it.", Required = true };
        var command = new Command("import", "Reads a released version's precoder and decoder weights from its ONNX files into a new run folder (config.json, model.bin, log.csv), so that it can be fine-tuned with train --init-from or exported again.");
        command.Options.Add(model);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            try
            {
                string from = parse.GetValue(model)!, to = parse.GetValue(output)!;
                int count = ModelImporter.Import(from, to);
                console.MarkupLineInterpolated($"imported {count} parameter tensors of {from} into {to}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or ScenarioException or InvalidOperationException or IOException or InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or System.Text.Json.JsonException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {CliErrors.Describe(e)}");
                return TrainingCli.BadInput;
            }
        });
        return command;
    }
}
