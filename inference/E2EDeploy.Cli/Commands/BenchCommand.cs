using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using Spectre.Console;

namespace E2EDeploy.Cli.Commands;

/// <summary>`e2e bench aod|position`: the model-based benchmark (eqs. 8-12) against CRB / PEB over an SNR sweep.</summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    /// <summary>Builds the `bench` command.</summary>
    public static Command Build()
    {
        var bench = new Command("bench", "Runs the model-based benchmark (directional+derivative codebook with CRB-optimal power, ML estimators) against the CRB / PEB.");
        bench.Subcommands.Add(BuildAod());
        bench.Subcommands.Add(BuildPosition());
        return bench;
    }

    private static Command BuildAod()
    {
        var common = new CommonOptions();
        var umin = new Option<double>("--umin") { Description = "theta_min of U, degrees.", DefaultValueFactory = _ => 40 };
        var umax = new Option<double>("--umax") { Description = "theta_max of U, degrees.", DefaultValueFactory = _ => 60 };
        var bs = new Option<int>("--bs") { Description = "Which BS (1-based); selects its impairment realisation.", DefaultValueFactory = _ => 1 };
        var command = new Command("aod", "AoD RMSE of the ML estimator (eq. 11) next to sqrt(mean CRB), the Ziv-Zakai bound and the Bayes-optimal (MMSE) estimator's RMSE, theta uniform in U, in degrees.");
        command.Options.Add(umin);
        command.Options.Add(umax);
        command.Options.Add(bs);
        common.AddTo(command);
        command.SetAction((parse, token) => Task.FromResult(Execute(common, parse, "aod", "deg", 2, token, (scenario, snrs, settings, progress, ct) =>
        {
            int index = parse.GetValue(bs) - 1;
            AngularRegion region = AngularRegion.FromDegrees(parse.GetValue(umin), parse.GetValue(umax));
            scenario.GetBaseStation(index);
            return (BenchmarkSweep.Aod(scenario, index, region, snrs, settings, progress, ct), BenchmarkSweep.AodReference(scenario, index, region, snrs, settings, progress, ct), Units.RadiansToDegrees(1.0),
                $"AoD, BS {index + 1}, U = {region}");
        })));
        return command;
    }

    private static Command BuildPosition()
    {
        var common = new CommonOptions();
        var x = new Option<double>("--x") { Description = "UE position x, m.", DefaultValueFactory = _ => 0.5 };
        var y = new Option<double>("--y") { Description = "UE position y, m.", DefaultValueFactory = _ => 5 };
        var overPrior = new Option<int>("--over-prior") { Description = "Instead of the fixed UE position, N UEs drawn from the scenario's training prior (p uniform over P, each U_i off the true AoD; docs/conventions.md point 10), --trials split evenly over them; adds the Ziv-Zakai bound and the MMSE estimator's RMSE, which hold over a prior only.", DefaultValueFactory = _ => 0 };
        var command = new Command("position", "Position RMSE of the ML estimator (eq. 12) next to the PEB at a fixed UE position, U_i = theta_i(p) +/- 15 deg, in metres; with --over-prior, over UEs of the training prior with the Ziv-Zakai bound and the MMSE estimator's RMSE.");
        command.Options.Add(x);
        command.Options.Add(y);
        command.Options.Add(overPrior);
        common.AddTo(command);
        command.SetAction((parse, token) => Task.FromResult(Execute(common, parse, "position", "m", parse.GetValue(overPrior) > 0 ? 2 : 1, token, (scenario, snrs, settings, progress, ct) =>
        {
            var p = new PlanePoint(parse.GetValue(x), parse.GetValue(y));
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y))
            {
                throw new ArgumentException($"--x {p.X} --y {p.Y}: expected a finite position in metres.");
            }

            int ues = parse.GetValue(overPrior);
            if (ues < 0 || (ues > 0 && settings.Trials % ues != 0))
            {
                throw new ArgumentException($"--over-prior {ues}: expected 0 (the fixed position) or a number of UEs >= 1 that divides --trials ({settings.Trials}).");
            }

            if (ues == 0)
            {
                return (BenchmarkSweep.Position(scenario, p, snrs, settings, progress, ct), null, 1.0, $"position, p = ({p.X}, {p.Y}) m");
            }

            PositionPriorDraw[] draws = PositionPriorDraw.Draw(scenario, ues, settings.Seed).Draws;
            (EvaluationPoint[] points, BayesianReference[] references) = BenchmarkSweep.PositionOverPrior(scenario, draws, snrs, settings, progress, ct);
            return (points, references, 1.0, $"position, {ues} UEs of the training prior (pooled RMSE, RMS PEB)");
        })));
        return command;
    }

    private delegate (EvaluationPoint[] Points, BayesianReference[]? References, double UnitScale, string Title) Sweep(Scenario scenario, IReadOnlyList<double> snrs, MonteCarloSettings settings, IProgress<int> progress, CancellationToken token);

    private static int Execute(CommonOptions common, ParseResult parse, string task, string unit, double passes, CancellationToken token, Sweep sweep)
    {
        IAnsiConsole error = StandardConsoles.Error();
        try
        {
            Scenario scenario = common.LoadScenario(parse);
            string? snrText = parse.GetValue(common.Snr);
            double[] snrs = snrText is null ? [.. scenario.SnrGridDb] : SnrGrid.Parse(snrText);
            int trials = parse.GetValue(common.Trials);
            if (trials < 1)
            {
                throw new ArgumentException($"--trials {trials}: expected an integer >= 1.");
            }

            int threads = parse.GetValue(common.Threads);
            var settings = new MonteCarloSettings(trials, parse.GetValue(common.Seed), MaxDegreeOfParallelism: threads <= 0 ? -1 : threads);
            (EvaluationPoint[] Points, BayesianReference[]? References, double UnitScale, string Title) result = ([], null, 1.0, string.Empty);
            error.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    ProgressTask bar = context.AddTask(Markup.Escape($"bench {task} ({scenario.Impairments.Kind.ToString().ToLowerInvariant()})"), maxValue: passes * trials * snrs.Length);
                    result = sweep(scenario, snrs, settings, new BarProgress(bar), token);
                });

            if (parse.GetValue(common.Json))
            {
                double scale = result.UnitScale;
                var rows = result.Points.Select((p, k) => new BenchRow(p.SnrDb, p.Rmse * scale, p.Bound * scale, p.Trials)
                {
                    Zzb = result.References?[k].ZivZakaiBound * scale,
                    Mmse = result.References?[k].MmseRmse * scale,
                    KnownMagnitudeBound = result.References?[k].KnownMagnitudeBound * scale,
                }).ToArray();
                double? threshold = result.References is null ? null : BayesianReference.ThresholdSnrDb(snrs, result.References);
                var report = new BenchReport(task, unit, scenario.Impairments.Kind.ToString().ToLowerInvariant(), settings.Seed, threshold, rows);
                Console.Out.WriteLine(JsonSerializer.Serialize(report, ReportJson));
            }
            else
            {
                WriteTable(result.Title, scenario, unit, task == "aod" ? "sqrt(CRB)" : "PEB", result.Points, result.References, result.UnitScale, snrs);
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            error.MarkupLine("[yellow]interrupted[/]");
            return CliApp.Cancelled;
        }
        catch (Exception e) when (e is ArgumentException or ScenarioException or FormatException or FileNotFoundException)
        {
            error.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return CliApp.BadInput;
        }
    }

    private static void WriteTable(string title, Scenario scenario, string unit, string boundName, EvaluationPoint[] points, BayesianReference[]? references, double scale, double[] snrs)
    {
        var table = new Table().Title(Markup.Escape($"Benchmark {title}, impairment {scenario.Impairments.Kind.ToString().ToLowerInvariant()}"));
        table.AddColumn(new TableColumn("SNR [[dB]]").RightAligned());
        table.AddColumn(new TableColumn($"RMSE [[{unit}]]").RightAligned());
        table.AddColumn(new TableColumn($"{boundName} [[{unit}]]").RightAligned());
        table.AddColumn(new TableColumn("RMSE / bound").RightAligned());
        if (references is not null)
        {
            table.AddColumn(new TableColumn($"ZZB [[{unit}]]").RightAligned());
            table.AddColumn(new TableColumn($"MMSE RMSE [[{unit}]]").RightAligned());
            table.AddColumn(new TableColumn("RMSE / MMSE").RightAligned());
        }

        table.AddColumn(new TableColumn("trials").RightAligned());
        for (int k = 0; k < points.Length; k++)
        {
            EvaluationPoint p = points[k];
            var cells = new List<string>
            {
                p.SnrDb.ToString("0.##", CultureInfo.InvariantCulture),
                (p.Rmse * scale).ToString("0.00000", CultureInfo.InvariantCulture),
                (p.Bound * scale).ToString("0.00000", CultureInfo.InvariantCulture),
                p.Ratio.ToString("0.000", CultureInfo.InvariantCulture),
            };
            if (references is not null)
            {
                cells.Add((references[k].ZivZakaiBound * scale).ToString("0.00000", CultureInfo.InvariantCulture));
                cells.Add((references[k].MmseRmse * scale).ToString("0.00000", CultureInfo.InvariantCulture));
                cells.Add((p.Rmse / references[k].MmseRmse).ToString("0.000", CultureInfo.InvariantCulture));
            }

            cells.Add(p.Trials.ToString(CultureInfo.InvariantCulture));
            table.AddRow([.. cells]);
        }

        IAnsiConsole console = StandardConsoles.Output();
        console.Write(table);
        if (references is not null)
        {
            double? threshold = BayesianReference.ThresholdSnrDb(snrs, references);
            console.WriteLine(threshold is double dB
                ? string.Create(CultureInfo.InvariantCulture, $"threshold SNR (the ZZB leaves the known-magnitude CRB/PEB by more than 10 %): {dB:0.#} dB")
                : "threshold SNR: not within the SNRs swept");
        }
        else
        {
            console.WriteLine("The Ziv-Zakai bound and the MMSE estimator hold over a prior, not at one fixed position: add --over-prior N for them.");
        }
    }

    /// <summary>One SNR of `--json`: zzb, mmse and known_magnitude_bound are null at a fixed position (they hold over a prior).</summary>
    private sealed record BenchRow(double SnrDb, double Rmse, double Bound, int Trials)
    {
        public double? Zzb { get; init; }

        public double? Mmse { get; init; }

        public double? KnownMagnitudeBound { get; init; }
    }

    private sealed record BenchReport(string Task, string Unit, string Impairment, int Seed, double? ThresholdSnrDb, BenchRow[] Rows);

    /// <summary>Thread-safe adapter from evaluator progress to a Spectre progress task.</summary>
    private sealed class BarProgress(ProgressTask bar) : IProgress<int>
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

    /// <summary>Options shared by `bench aod` and `bench position`.</summary>
    private sealed class CommonOptions
    {
        public Option<string?> Snr { get; } = new("--snr")
        {
            Description = "SNR values in dB: start:step:stop, a,b,c or one value (default: the scenario's grid, -5:5:30). Write --snr=-5:5:30 when the list starts with a minus sign.",
        };

        public Option<int> Trials { get; } = new("--trials") { Description = "Monte-Carlo trials per SNR.", DefaultValueFactory = _ => 20000 };

        public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the channel realisations.", DefaultValueFactory = _ => 1 };

        public Option<string?> Impairment { get; } = new("--impairment") { Description = "True channel: none, spacing (sigma_lambda = lambda/100) or coupling (default c). Default: the scenario's." };

        public Option<FileInfo?> ScenarioFile { get; } = new("--scenario") { Description = "Scenario JSON file (default: the paper's scenario, section IV-A)." };

        public Option<int> Threads { get; } = new("--threads") { Description = "Worker threads (0: all cores).", DefaultValueFactory = _ => 0 };

        public Option<bool> Json { get; } = new("--json") { Description = "Write one JSON object to stdout instead of a table." };

        public void AddTo(Command command)
        {
            Impairment.AcceptOnlyFromAmong("none", "spacing", "coupling");
            foreach (Option option in new Option[] { Snr, Trials, Seed, Impairment, ScenarioFile, Threads, Json })
            {
                command.Options.Add(option);
            }
        }

        public Scenario LoadScenario(ParseResult parse)
        {
            FileInfo? file = parse.GetValue(ScenarioFile);
            Scenario scenario = file is null ? Scenario.Paper : Shared.Scenarios.ScenarioFile.Load(file.FullName);
            string? impairment = parse.GetValue(Impairment);
            if (impairment is not null)
            {
                ImpairmentKind kind = Enum.Parse<ImpairmentKind>(impairment, ignoreCase: true);
                scenario = scenario with { Impairments = scenario.Impairments with { Kind = kind } };
            }

            return scenario.Validate();
        }
    }
}
