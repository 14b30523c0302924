using System.CommandLine;
using System.Globalization;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Registry;
using Spectre.Console;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>
/// `e2e-train move-scoring`: the next version of a family whose estimator graph holds the Fisher-scoring steps, with the same
/// weights and the steps run by the runtime (<see cref="ScoringMigration"/>), published only when its estimates match the
/// source's within the tolerance (<see cref="ScoringMigrationCheck"/>).
/// </summary>
public static class MoveScoringCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var model = new Option<string>("--model") { Description = "The version whose estimator graph holds the scoring steps, e.g. models/aod-none/v12 (only read).", Required = true };
        var trials = new Option<int>("--trials") { Description = "Draws per SNR of the scenario's grid at the test point, on which both versions must agree.", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws.", DefaultValueFactory = _ => 1 };
        var command = new Command("move-scoring", "Writes the next version of a family whose estimator graph holds the Fisher-scoring steps: the same weights, the graph cut to its learned decoder, the steps run by the runtime (about 10 x faster at batch 1). Published only if it reproduces the golden cases within 1e-5 and the source's RMSE on --trials draws per SNR within the registry's regression tolerance (1e-3 relative); the largest per-estimate difference is printed beside the source graph's own float32 rounding.");
        command.Options.Add(model);
        command.Options.Add(trials);
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            try
            {
                string from = parse.GetValue(model)!;
                ScoringComparison? comparison = null;
                ScoringMigrationResult result = ScoringMigration.Migrate(from, (staging, manifest) =>
                {
                    console.MarkupLineInterpolated($"comparing {manifest.Family}/{manifest.Version} (scoring in the runtime) with {from} (scoring in the graph) ...");
                    comparison = ScoringMigrationCheck.Compare(from, staging, parse.GetValue(trials), parse.GetValue(seed));
                    var table = new Table().AddColumns("SNR (dB)", $"largest |difference| ({comparison.Unit})", $"source's own float32 rounding ({comparison.Unit})", $"RMSE source ({comparison.Unit})", $"RMSE new ({comparison.Unit})", "draws");
                    foreach (ScoringComparisonRow row in comparison.Rows)
                    {
                        table.AddRow([.. new[] { row.SnrDb.ToString("0.#", CultureInfo.InvariantCulture), Scientific(row.Largest), Scientific(row.SourceNoise), row.SourceRmse.ToString("g6", CultureInfo.InvariantCulture), row.CandidateRmse.ToString("g6", CultureInfo.InvariantCulture), row.Draws.ToString(CultureInfo.InvariantCulture) }.Select(Markup.Escape)]);
                    }

                    console.Write(table);
                    console.MarkupLineInterpolated($"golden cases: largest |difference| {Scientific(comparison.Golden)} {comparison.Unit}");
                    if (comparison.Refusal(ModelPublisher.RegressionTolerance) is string refusal)
                    {
                        throw new InvalidOperationException($"{refusal}; nothing was published.");
                    }
                });
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"[green]published[/] {result.Folder}: estimator graph {result.NodesBefore} -> {result.NodesAfter} nodes, largest |difference| {Scientific(comparison!.Largest)} {comparison.Unit}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or ScenarioException or IOException or InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or System.Text.Json.JsonException or E2EDeploy.Shared.Models.ModelContractException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {CliErrors.Describe(e)}");
                return TrainingCli.BadInput;
            }
            catch (InvalidOperationException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return TrainingCli.BadInput;
            }
        });
        return command;
    }

    private static string Scientific(double value) => value.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
