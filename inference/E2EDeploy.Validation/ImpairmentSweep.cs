using System.Globalization;
using System.Text;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using ScottPlot;

namespace E2EDeploy.Validation;

/// <summary>Which impairment parameter a sweep varies: sigma_lambda (Fig. 7) or zeta (Fig. 10).</summary>
public enum SweepParameter
{
    /// <summary>Spacing perturbation sigma_lambda, in units of lambda / 100 (Fig. 7).</summary>
    Spacing,

    /// <summary>Mutual-coupling decay zeta (Fig. 10).</summary>
    Coupling,
}

/// <summary>One family of a sweep: its parameter value and the validation at the sweep's SNR.</summary>
public sealed record SweepPoint(string Model, double Parameter, ValidationRow Row);

/// <summary>
/// RMSE at a fixed SNR (paper: 20 dB) against the impairment strength, one trained family per value, for the learned
/// models and the benchmark on the same draws (Figs. 7 and 10). Each family's own scenario defines the value:
/// sigma_lambda / (lambda / 100) for spacing (0 for a model without impairment), zeta for coupling.
/// </summary>
public static class ImpairmentSweep
{
    /// <summary>Validates every family at <paramref name="snrDb"/> and orders the points by parameter.</summary>
    /// <remarks>With <paramref name="ideal"/>, each point also holds the ideal estimator's RMSE (<see cref="ValidationRow.IdealRmse"/>).</remarks>
    public static (IReadOnlyList<SweepPoint> Points, string Unit, string BoundName) Run(string registry, IReadOnlyList<string> families, SweepParameter parameter, double snrDb, int trials, int seed, IProgress<int>? progress = null, CancellationToken cancellationToken = default, bool ideal = false)
    {
        if (families.Count < 2)
        {
            throw new InvalidSettingException("Families", families.Count, $"at least two families, one per {(parameter == SweepParameter.Spacing ? "sigma_lambda" : "zeta")} value");
        }

        var points = new List<SweepPoint>();
        string unit = "m", bound = "PEB";
        foreach (string family in families)
        {
            string[] parts = family.Split('/', 2);
            string folder = ModelValidator.ResolveFolder(new ValidationRequest(registry, parts[0], parts.Length > 1 ? parts[1] : null, null, trials, seed));
            ModelManifest manifest = ModelManifest.Load(Path.Combine(folder, "manifest.json"));
            Scenario scenario = manifest.Scenario;
            double value = (parameter, scenario.Impairments.Kind) switch
            {
                (SweepParameter.Spacing, ImpairmentKind.Spacing) => scenario.Impairments.Spacing.StdDevWavelengths * 100,
                (SweepParameter.Spacing, ImpairmentKind.None) => 0,
                (SweepParameter.Coupling, ImpairmentKind.Coupling) when scenario.Impairments.Coupling.DecayZeta is double zeta => zeta,
                _ => throw new InvalidSettingException("Families", family, $"a {(parameter == SweepParameter.Spacing ? "spacing (or none)" : "coupling model with decayZeta")} model for this sweep; it was trained with impairment {scenario.Impairments.Kind.ToString().ToLowerInvariant()}"
                    + (parameter == SweepParameter.Coupling ? " without decayZeta" : string.Empty)),
            };
            ValidationOutcome outcome = ModelValidator.RunFolder(folder, [snrDb], trials, seed, progress, cancellationToken, ideal);
            (unit, bound) = (outcome.Unit, outcome.BoundName);
            points.Add(new SweepPoint(outcome.ModelName, value, outcome.Rows[0]));
        }

        return (points.OrderBy(p => p.Parameter).ToList(), unit, bound);
    }

    /// <summary>Writes sweep.png, sweep.svg, sweep.csv and sweep.md into <paramref name="folder"/> (staged, then moved).</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<SweepPoint> points, SweepParameter parameter, string unit, string bound, double snrDb, string folder, string command)
    {
        string axis = parameter == SweepParameter.Spacing ? "sigma_lambda [lambda / 100]" : "zeta";
        string figure = parameter == SweepParameter.Spacing ? "Fig. 7" : "Fig. 10";
        var plot = new Plot();
        double[] x = points.Select(p => p.Parameter).ToArray();
        FigureKit.AddCurve(plot, x, points.Select(p => p.Row.LearnedRmse), $"learned ({string.Join(", ", points.Select(p => p.Model).Distinct())}): RMSE", Colors.C0, bound: false);
        FigureKit.AddCurve(plot, x, points.Select(p => p.Row.LearnedBound), $"learned: {bound}", Colors.C0, bound: true);
        FigureKit.AddCurve(plot, x, points.Select(p => p.Row.BenchmarkRmse), "benchmark (codebook + ML): RMSE", Colors.C1, bound: false);
        FigureKit.AddCurve(plot, x, points.Select(p => p.Row.BenchmarkBound), $"benchmark: {bound}", Colors.C1, bound: true);
        bool ideal = points.All(p => p.Row.IdealRmse is not null);
        if (ideal)
        {
            FigureKit.AddCurve(plot, x, points.Select(p => p.Row.IdealRmse!.Value), "ideal ML on the learned precoders (true arrays): RMSE", Colors.C2, bound: false);
        }
        FigureKit.UseLogRmseAxis(plot, axis, unit);
        plot.Title($"{figure}: RMSE at {snrDb.ToString("0.##", CultureInfo.InvariantCulture)} dB against {axis}");

        var csv = new StringBuilder($"model,{(parameter == SweepParameter.Spacing ? "sigma_lambda_over_lambda_percent" : "zeta")},learned_rmse_{unit},learned_bound_{unit},benchmark_rmse_{unit},benchmark_bound_{unit},trials{(ideal ? $",ideal_rmse_{unit}" : string.Empty)}\n");
        var md = new StringBuilder($"# {figure}: RMSE at {snrDb.ToString("0.##", CultureInfo.InvariantCulture)} dB against {axis}\n\nReproduce with:\n\n```sh\n{command}\n```\n\n| model | {axis} | learned RMSE [{unit}] | learned / {bound} | benchmark RMSE [{unit}] | benchmark / {bound} |{(ideal ? $" ideal / learned {bound} |" : string.Empty)}\n|---|---|---|---|---|---|{(ideal ? "---|" : string.Empty)}\n");
        foreach (SweepPoint p in points)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Model},{p.Parameter:R},{p.Row.LearnedRmse:R},{p.Row.LearnedBound:R},{p.Row.BenchmarkRmse:R},{p.Row.BenchmarkBound:R},{p.Row.Trials}");
            csv.Append(ideal ? string.Create(CultureInfo.InvariantCulture, $",{p.Row.IdealRmse!.Value:R}\n") : "\n");
            md.Append(CultureInfo.InvariantCulture, $"| {p.Model} | {p.Parameter:0.###} | {p.Row.LearnedRmse:0.00000} | {p.Row.LearnedRatio:0.000} | {p.Row.BenchmarkRmse:0.00000} | {p.Row.BenchmarkRatio:0.000} |");
            md.Append(ideal ? string.Create(CultureInfo.InvariantCulture, $" {p.Row.IdealRatio!.Value:0.000} |\n") : "\n");
        }

        if (ideal)
        {
            md.Append(ValidationReport.IdealNote);
        }

        md.Append("\n![sweep](sweep.png)\n");
        return FigureKit.WriteAll(folder,
        [
            ("sweep.png", p => plot.SavePng(p, 900, 560)),
            ("sweep.svg", p => plot.SaveSvg(p, 900, 560)),
            ("sweep.csv", p => File.WriteAllText(p, csv.ToString())),
            ("sweep.md", p => File.WriteAllText(p, md.ToString())),
        ]);
    }
}
