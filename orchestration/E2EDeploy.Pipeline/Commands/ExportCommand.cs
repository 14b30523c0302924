using System.CommandLine;
using System.Globalization;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training;
using E2EDeploy.Training.Estimators;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>`e2e-train export`: exports a trained run to ONNX into the model registry, each file checked against TorchSharp.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var run = new Option<string>("--run") { Description = "The training run folder (with model.bin).", Required = true };
        var family = new Option<string>("--family") { Description = "Model family, e.g. aod-20db-none.", Required = true };
        var version = new Option<string?>("--version") { Description = "Version (default: the next vN). Existing versions are never overwritten." };
        var registry = new Option<string>("--registry") { Description = "Registry root.", DefaultValueFactory = _ => "models" };
        var command = new Command("export", "Exports a trained run as ONNX models (IR 8, opset 17) with a manifest into models/<family>/<version>/.");
        var project = new Option<bool>("--project-onto-prior") { Description = "The estimator's graph ends by projecting its estimate onto the prior's support, U (AoD, needs --decoder-region) or the area P (position), as the ML estimators do. Recorded in the manifest." };
        var refine = new Option<int>("--refine-steps") { Description = "Fisher-scoring steps of the likelihood after the learned decoder (beyond the paper; 0, the default, for none). The estimator then takes the region(s) and projects onto U or P. Uses the run's learned arrays (e2e-train calibrate), the nominal array without them. The runtime runs the steps (the graph is the decoder, the arrays go into the manifest) unless --scoring-in-graph.", DefaultValueFactory = _ => 0 };
        var inGraph = new Option<bool>("--scoring-in-graph") { Description = "With --refine-steps: unroll the steps and copies of the precoders into the estimator's graph, a self-contained ONNX file for other runtimes (hundreds of nodes, about 10 x slower at batch 1)." };
        foreach (Option option in new Option[] { run, family, version, registry, project, refine, inGraph })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            try
            {
                string runPath = parse.GetValue(run)!;
                if (!Directory.Exists(runPath))
                {
                    throw new ArgumentException($"--run '{runPath}' does not exist.");
                }

                var target = new PublishTarget(parse.GetValue(registry)!, parse.GetValue(family)!, parse.GetValue(version), CommandLineText.Of("e2e-train", Environment.GetCommandLineArgs().Skip(1)));
                var estimator = new EstimatorSettings(parse.GetValue(project), parse.GetValue(refine), parse.GetValue(inGraph));
                PublishResult result = ModelPublisher.Publish(new RunDirectory(runPath), target, estimator, DeployedRegression.Measure);
                var table = new Table().Title(Markup.Escape($"exported {result.Manifest.Family}/{result.Manifest.Version} to {result.Folder}"));
                table.AddColumn("file").AddColumn("kind").AddColumn(new TableColumn("max |ORT - TorchSharp|").RightAligned()).AddColumn("sha256");
                for (int i = 0; i < result.Manifest.Files.Count; i++)
                {
                    var file = result.Manifest.Files[i];
                    table.AddRow(file.File, file.Kind, result.Checks[i].MaxAbsDifference.ToString("0.00e+0", CultureInfo.InvariantCulture) + $" ({result.Checks[i].Samples} inputs)", file.Sha256[..16] + "...");
                }

                console.Write(table);
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
