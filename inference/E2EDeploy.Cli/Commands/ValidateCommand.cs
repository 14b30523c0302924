using System.CommandLine;
using System.Globalization;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Validation;
using Spectre.Console;

namespace E2EDeploy.Cli.Commands;

/// <summary>`e2e validate`: the deployed model and the benchmark against CRB/PEB, with figures and a report.</summary>
public static class ValidateCommand
{
    /// <summary>The validation library's settings -&gt; this command's flags.</summary>
    private static readonly Dictionary<string, string> Flags = new()
    {
        ["Registry"] = "--registry",
        ["Family"] = "--family",
        ["Version"] = "the version in --family",
        ["Trials"] = "--trials",
        ["PriorPositions"] = "--over-prior",
        ["Families"] = "--family",
        ["OutputFolder"] = "--out",
    };

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var family = new Option<string>("--family") { Description = "Model family, optionally with /VERSION (default: its highest vN).", Required = true };
        var registry = new Option<string>("--registry") { Description = "Registry root.", DefaultValueFactory = _ => "models" };
        var snr = new Option<string?>("--snr") { Description = "SNRs in dB: start:step:stop, a,b,c or one value (default: the model's scenario grid). Write --snr=-5:5:30." };
        var trials = new Option<int>("--trials") { Description = "Monte-Carlo trials per SNR and per estimator.", DefaultValueFactory = _ => 10000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the channel realisations (shared by the learned model and the benchmark).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for the figures, CSVs, report.md and report.html.", Required = true };
        var sweep = new Option<string?>("--sweep") { Description = "spacing (Fig. 7) or coupling (Fig. 10): RMSE at --sweep-snr against the impairment strength over the comma-separated families in --family, one per value." };
        var sweepSnr = new Option<double>("--sweep-snr") { Description = "SNR of a sweep, dB.", DefaultValueFactory = _ => 20 };
        var ideal = new Option<bool>("--ideal") { Description = "Also run the ideal estimator on the learned precoders and the same draws: ML eq. (11)/(12) with the TRUE arrays. Not deployable; a diagnostic of how much of the learned RMSE is the decoder's." };
        var overPrior = new Option<int>("--over-prior") { Description = "Position models: instead of the paper's test point, N UEs drawn from the model's training prior (p uniform over P, each U_i off the true AoD by nu_i; docs/conventions.md point 10), with --trials split evenly over them. RMSE pools their draws; the bound is the RMS of their PEBs.", DefaultValueFactory = _ => 0 };
        sweep.AcceptOnlyFromAmong("spacing", "coupling");
        var command = new Command("validate", "Validates a deployed model version and the benchmark on the same channel realisations against CRB/PEB, and writes figures and a report.");
        foreach (Option option in new Option[] { family, registry, snr, trials, seed, output, sweep, sweepSnr, ideal, overPrior })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            IAnsiConsole error = StandardConsoles.Error();
            try
            {
                if (parse.GetValue(sweep) is string sweepName)
                {
                    if (parse.GetValue(overPrior) != 0)
                    {
                        throw new ArgumentException($"--over-prior {parse.GetValue(overPrior)} with --sweep {sweepName}: a sweep runs at the test point; expected one or the other.");
                    }

                    return Task.FromResult(RunSweep(error, sweepName, parse.GetValue(family)!, parse.GetValue(registry)!, parse.GetValue(sweepSnr), parse.GetValue(trials), parse.GetValue(seed), parse.GetValue(output)!, parse.GetValue(ideal), token));
                }

                string[] parts = parse.GetValue(family)!.Split('/', 2);
                string? snrText = parse.GetValue(snr);
                var request = new ValidationRequest(parse.GetValue(registry)!, parts[0], parts.Length > 1 ? parts[1] : null,
                    snrText is null ? null : SnrGrid.Parse(snrText), parse.GetValue(trials), parse.GetValue(seed), parse.GetValue(ideal), parse.GetValue(overPrior));
                string outFolder = parse.GetValue(output)!;
                ValidationReport.PrepareOutput(outFolder);
                string folder = ModelValidator.ResolveFolder(request);
                bool reference = request.PriorPositions > 0 || ModelManifest.Load(Path.Combine(folder, "manifest.json")).Task == "aod";
                string commandLine = string.Create(CultureInfo.InvariantCulture,
                    $"e2e validate --family {parse.GetValue(family)} --registry {request.Registry}{(snrText is null ? string.Empty : $" --snr={snrText}")} --trials {request.Trials} --seed {request.Seed}{(request.Ideal ? " --ideal" : string.Empty)}{(request.PriorPositions > 0 ? $" --over-prior {request.PriorPositions}" : string.Empty)} --out {outFolder}");
                ValidationOutcome? result = null;
                error.Progress().AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        int points = request.SnrsDb?.Count ?? 8;
                        ProgressTask bar = context.AddTask(Markup.Escape($"validate {parse.GetValue(family)}"), maxValue: ((request.Ideal ? 3.0 : 2.0) + (reference ? 2.0 : 0.0)) * points * request.Trials);
                        result = ModelValidator.Run(request, new Counter(bar), token);
                    });
                IReadOnlyList<string> files = ValidationReport.Write(result!, outFolder, commandLine);
                WriteSummary(result!, Path.Combine(Path.GetFullPath(outFolder), "report.html"), files.Count);
                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                error.MarkupLine("[yellow]interrupted; nothing was written[/]");
                return Task.FromResult(CliApp.Cancelled);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                error.MarkupLineInterpolated($"[red]error:[/] an I/O operation failed: {e.Message}");
                return Task.FromResult(CliApp.InputOutputFailure);
            }
            catch (Exception e) when (e is ArgumentException or ModelContractException or ScenarioException or FormatException or InvalidDataException)
            {
                error.MarkupLineInterpolated($"[red]error:[/] {InvalidSettingException.Describe(e, Flags)}");
                return Task.FromResult(CliApp.BadInput);
            }
        });
        return command;
    }

    private static int RunSweep(IAnsiConsole error, string sweepName, string families, string registry, double snrDb, int trials, int seed, string outFolder, bool ideal, CancellationToken token)
    {
        SweepParameter parameter = sweepName == "spacing" ? SweepParameter.Spacing : SweepParameter.Coupling;
        string[] list = families.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        ValidationReport.PrepareOutput(outFolder);
        foreach (string f in list)
        {
            string[] parts = f.Split('/', 2);
            ModelValidator.ResolveFolder(new ValidationRequest(registry, parts[0], parts.Length > 1 ? parts[1] : null, null, trials, seed));
        }

        (IReadOnlyList<SweepPoint> Points, string Unit, string Bound) result = ([], "m", "PEB");
        error.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).Start(context =>
        {
            ProgressTask bar = context.AddTask(Markup.Escape($"sweep {sweepName}"), maxValue: (ideal ? 3.0 : 2.0) * list.Length * trials);
            result = ImpairmentSweep.Run(registry, list, parameter, snrDb, trials, seed, new Counter(bar), token, ideal);
        });
        string command = string.Create(CultureInfo.InvariantCulture, $"e2e validate --sweep {sweepName} --family {families} --registry {registry} --sweep-snr {snrDb} --trials {trials} --seed {seed}{(ideal ? " --ideal" : string.Empty)} --out {outFolder}");
        ImpairmentSweep.Write(result.Points, parameter, result.Unit, result.Bound, snrDb, outFolder, command);
        var table = new Table().Title(Markup.Escape($"{sweepName} sweep at {snrDb} dB: RMSE / {result.Bound}"));
        string[] sweepColumns = ["model", "parameter", "learned / bound", "benchmark / bound"];
        foreach (string column in ideal ? [.. sweepColumns, "ideal / learned bound"] : sweepColumns)
        {
            table.AddColumn(column);
        }

        foreach (SweepPoint p in result.Points)
        {
            string[] cells = [Markup.Escape(p.Model), p.Parameter.ToString("0.###", CultureInfo.InvariantCulture), p.Row.LearnedRatio.ToString("0.000", CultureInfo.InvariantCulture), p.Row.BenchmarkRatio.ToString("0.000", CultureInfo.InvariantCulture)];
            table.AddRow(ideal ? [.. cells, p.Row.IdealRatio!.Value.ToString("0.000", CultureInfo.InvariantCulture)] : cells);
        }

        IAnsiConsole console = StandardConsoles.Output();
        console.Write(table);
        console.WriteLine($"sweep: {Path.Combine(Path.GetFullPath(outFolder), "sweep.md")}");
        return 0;
    }

    private static void WriteSummary(ValidationOutcome result, string report, int files)
    {
        var table = new Table().Title(Markup.Escape($"{result.ModelName}: learned vs benchmark, RMSE / {result.BoundName}"));
        bool ideal = result.Rows.All(r => r.IdealRatio is not null);
        bool reference = result.Rows.All(r => r.LearnedReference is not null && r.BenchmarkReference is not null);
        string[] columns = ["SNR [[dB]]", $"learned RMSE [[{result.Unit}]]", "learned / bound", $"benchmark RMSE [[{result.Unit}]]", "benchmark / bound", "meets bound"];
        columns = ideal ? [.. columns, "ideal / learned bound"] : columns;
        columns = reference ? [.. columns, $"learned ZZB [[{result.Unit}]]", "learned / MMSE", "MMSE: learned / benchmark precoders"] : columns;
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (ValidationRow row in result.Rows)
        {
            string[] cells =
            [
                row.SnrDb.ToString("0.##", CultureInfo.InvariantCulture),
                row.LearnedRmse.ToString("0.00000", CultureInfo.InvariantCulture),
                row.LearnedRatio.ToString("0.000", CultureInfo.InvariantCulture),
                row.BenchmarkRmse.ToString("0.00000", CultureInfo.InvariantCulture),
                row.BenchmarkRatio.ToString("0.000", CultureInfo.InvariantCulture),
                row.LearnedMeetsBound ? "yes" : "no",
            ];
            cells = ideal ? [.. cells, row.IdealRatio!.Value.ToString("0.000", CultureInfo.InvariantCulture)] : cells;
            cells = reference
                ? [
                    .. cells,
                    row.LearnedReference!.ZivZakaiBound.ToString("0.00000", CultureInfo.InvariantCulture),
                    row.LearnedToMmse!.Value.ToString("0.000", CultureInfo.InvariantCulture),
                    (row.LearnedReference.MmseRmse / row.BenchmarkReference!.MmseRmse).ToString("0.000", CultureInfo.InvariantCulture),
                ]
                : cells;
            table.AddRow(cells);
        }

        IAnsiConsole console = StandardConsoles.Output();
        console.Write(table);
        if (!reference)
        {
            console.WriteLine("The Ziv-Zakai bound and the MMSE estimator hold over a prior, not at one fixed position: add --over-prior N for them.");
        }

        console.WriteLine($"report: {report} ({files} files)");
    }

    private sealed class Counter(ProgressTask bar) : IProgress<int>
    {
        private readonly Lock gate = new();

        public void Report(int value)
        {
            lock (gate)
            {
                bar.Increment(value);
            }
        }
    }
}
