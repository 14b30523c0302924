using System.Globalization;
using System.Net;
using System.Text;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Numerics;
using ScottPlot;

namespace E2EDeploy.Validation;

/// <summary>
/// Writes a validation's figures (PNG and SVG, drawn with ScottPlot), one CSV per figure with the plotted numbers,
/// report.md and a self-contained report.html (figures embedded). Files are written into a hidden staging folder
/// and moved into the output folder only when all of them exist, so a failure leaves nothing half-written.
/// </summary>
public static class ValidationReport
{
    /// <summary>Checks before any work that <paramref name="folder"/> can be created and written; throws <see cref="ArgumentException"/> naming it.</summary>
    public static string PrepareOutput(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string full = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingException("OutputFolder", $"'{folder}'", $"a folder that can be written ({e.Message})");
        }

        return full;
    }

    /// <summary>Writes every file of the report into <paramref name="folder"/>; returns their names.</summary>
    public static IReadOnlyList<string> Write(ValidationOutcome result, string folder, string command)
    {
        ArgumentNullException.ThrowIfNull(result);
        Plot rmse = RmsePlot(result);
        Plot beams = BeamPlot(result);
        (int rmseWidth, int rmseHeight) = HasReference(result) ? (1400, 600) : (900, 560);
        byte[] rmsePng = rmse.GetImageBytes(rmseWidth, rmseHeight, ImageFormat.Png);
        byte[] beamPng = beams.GetImageBytes(900, 560, ImageFormat.Png);
        return FigureKit.WriteAll(folder,
        [
            ("rmse.png", p => File.WriteAllBytes(p, rmsePng)),
            ("rmse.svg", p => rmse.SaveSvg(p, rmseWidth, rmseHeight)),
            ("rmse.csv", p => File.WriteAllText(p, RmseCsv(result))),
            ("beampattern.png", p => File.WriteAllBytes(p, beamPng)),
            ("beampattern.svg", p => beams.SaveSvg(p, 900, 560)),
            ("beampattern.csv", p => File.WriteAllText(p, BeamCsv(result))),
            ("report.md", p => File.WriteAllText(p, Markdown(result, command))),
            ("report.html", p => File.WriteAllText(p, Html(result, command, rmsePng, beamPng))),
        ]);
    }

    private static string Task(ValidationOutcome r) => r.Manifest.Task == "aod"
        ? string.Create(CultureInfo.InvariantCulture, $"AoD, BS 1, U1 = [{Units.RadiansToDegrees(r.Scenario.AodTestRegion.MinRad):0.##}, {Units.RadiansToDegrees(r.Scenario.AodTestRegion.MaxRad):0.##}] deg")
        : r.PriorPositions == 0
            ? string.Create(CultureInfo.InvariantCulture, $"position, p = [{r.Scenario.PositionTestPoint.X:0.###}, {r.Scenario.PositionTestPoint.Y:0.###}] m")
            : string.Create(CultureInfo.InvariantCulture, $"position, {r.PriorPositions:N0} UEs of the training prior (p uniform over P, U_i centred within +/- {r.Scenario.PositionPrior.CenterOffsetMaxDeg:0.##} deg of the true AoD; RMSE over their pooled draws, RMS of their PEBs)");

    /// <summary>The title of a figure: the task without the long description of the prior.</summary>
    private static string ShortTitle(ValidationOutcome r) => r.PriorPositions == 0
        ? Title(r)
        : string.Create(CultureInfo.InvariantCulture, $"position, {r.PriorPositions} UEs of the training prior, impairment {r.Manifest.Impairment.Kind}, trained at {r.Manifest.SnrText}");

    private static string Title(ValidationOutcome r) =>
        $"{Task(r)}, impairment {r.Manifest.Impairment.Kind}, model trained at {r.Manifest.SnrText}";

    private static Plot RmsePlot(ValidationOutcome r)
    {
        var plot = new Plot();
        double[] snr = r.Rows.Select(x => x.SnrDb).ToArray();
        FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.LearnedRmse), $"learned {r.ModelName}: RMSE", Colors.C0, bound: false);
        FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.LearnedBound), $"learned {r.ModelName}: {r.BoundName}", Colors.C0, bound: true);
        FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.BenchmarkRmse), "benchmark (codebook + ML): RMSE", Colors.C1, bound: false);
        FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.BenchmarkBound), $"benchmark: {r.BoundName}", Colors.C1, bound: true);
        if (HasIdeal(r))
        {
            FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.IdealRmse!.Value), "ideal ML on the learned precoder (true array): RMSE", Colors.C2, bound: false);
        }

        if (HasReference(r))
        {
            FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.LearnedReference!.MmseRmse), "MMSE estimator on the learned precoder (true array): RMSE", Colors.C3, bound: false);
            FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.LearnedReference!.ZivZakaiBound), $"learned {r.ModelName}: Ziv-Zakai bound", Colors.C3, bound: true);
            FigureKit.AddCurve(plot, snr, r.Rows.Select(x => x.BenchmarkReference!.ZivZakaiBound), "benchmark: Ziv-Zakai bound", Colors.C4, bound: true);
            if (LearnedThreshold(r) is double threshold)
            {
                var line = plot.Add.VerticalLine(threshold, 1, Colors.Gray, LinePattern.Dotted);
                line.LegendText = string.Create(CultureInfo.InvariantCulture, $"threshold SNR of the learned precoder ({threshold:0.#} dB): ZZB > 1.10 x known-magnitude bound below it");
            }
        }

        // Many curves with the references: the legend goes to the right, where it has room for all of them.
        FigureKit.UseLogRmseAxis(plot, "SNR [dB]", r.Unit, HasReference(r) ? Edge.Right : Edge.Bottom);

        plot.Title(ShortTitle(r));
        return plot;
    }

    private static Plot BeamPlot(ValidationOutcome r)
    {
        var plot = new Plot();
        Color[] colors = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];
        int c = 0;
        foreach (BeamPattern beam in r.BeamPatterns)
        {
            var learned = plot.Add.Scatter(beam.ThetaDeg, beam.Learned, colors[c++ % 4]);
            learned.LegendText = $"learned {r.ModelName}, U = {beam.Region}";
            learned.MarkerSize = 0;
            learned.LineWidth = 2;
            var benchmark = plot.Add.Scatter(beam.ThetaDeg, beam.Benchmark, colors[c++ % 4]);
            benchmark.LegendText = $"benchmark, U = {beam.Region}";
            benchmark.MarkerSize = 0;
            benchmark.LineWidth = 2;
            benchmark.LinePattern = LinePattern.Dashed;
        }

        plot.Title($"Beam patterns of BS 1, impairment {r.Manifest.Impairment.Kind}");
        plot.XLabel("theta [deg]");
        plot.YLabel("||F^T a(theta)||^2");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static string RmseCsv(ValidationOutcome r)
    {
        bool ideal = HasIdeal(r), reference = HasReference(r);
        string u = r.Unit;
        var text = new StringBuilder($"snr_db,learned_rmse_{u},learned_bound_{u},benchmark_rmse_{u},benchmark_bound_{u},trials,learned_rmse_se_{u},benchmark_rmse_se_{u}");
        text.Append(reference ? $",learned_zzb_{u},learned_mmse_rmse_{u},learned_mmse_rmse_se_{u},learned_known_magnitude_bound_{u},benchmark_zzb_{u},benchmark_mmse_rmse_{u},benchmark_mmse_rmse_se_{u},benchmark_known_magnitude_bound_{u}" : string.Empty);
        text.Append(ideal ? $",ideal_rmse_{u},ideal_rmse_se_{u}" : string.Empty);
        text.Append('\n');
        foreach (ValidationRow x in r.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{x.SnrDb},{x.LearnedRmse:R},{x.LearnedBound:R},{x.BenchmarkRmse:R},{x.BenchmarkBound:R},{x.Trials},{x.StandardErrors.Learned:R},{x.StandardErrors.Benchmark:R}");
            if (reference)
            {
                BayesianReference l = x.LearnedReference!, b = x.BenchmarkReference!;
                text.Append(CultureInfo.InvariantCulture, $",{l.ZivZakaiBound:R},{l.MmseRmse:R},{l.MmseStandardError:R},{l.KnownMagnitudeBound:R},{b.ZivZakaiBound:R},{b.MmseRmse:R},{b.MmseStandardError:R},{b.KnownMagnitudeBound:R}");
            }

            if (ideal)
            {
                text.Append(CultureInfo.InvariantCulture, $",{x.IdealRmse!.Value:R},{x.StandardErrors.Ideal:R}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Whether every row has the Bayesian reference (AoD models, and position models over the prior).</summary>
    private static bool HasReference(ValidationOutcome r) => r.Rows.All(x => x.LearnedReference is not null && x.BenchmarkReference is not null);

    /// <summary>The threshold SNR of the learned precoders' ZZB, or null.</summary>
    private static double? LearnedThreshold(ValidationOutcome r) => HasReference(r)
        ? BayesianReference.ThresholdSnrDb(r.Rows.Select(x => x.SnrDb).ToArray(), r.Rows.Select(x => x.LearnedReference!).ToArray())
        : null;

    /// <summary>What the reference columns are, for the reports.</summary>
    internal const string ReferenceNote = "\nThe Ziv-Zakai bound (ZZB) and the MMSE estimator hold over the prior (theta uniform on U; for position, p uniform on the area P inside the UE's regions, over the UEs of the training prior): "
        + "the ZZB bounds the RMSE of every estimator at every SNR and tends to the known-magnitude CRB/PEB at high SNR; the MMSE estimator is the posterior mean with the TRUE arrays, the best any decoder can do with these precoders. "
        + "Learned RMSE / MMSE RMSE near 1 says the learned decoder is near Bayes-optimal; the learned MMSE against the benchmark MMSE compares the precoders (docs/guide/validation.md, docs/conventions.md point 12).\n";

    private static string BeamCsv(ValidationOutcome r)
    {
        var text = new StringBuilder("theta_deg");
        foreach (BeamPattern b in r.BeamPatterns)
        {
            text.Append(CultureInfo.InvariantCulture, $",learned_{b.Region.MinRad * 180 / Math.PI:0.#}_{b.Region.MaxRad * 180 / Math.PI:0.#},benchmark_{b.Region.MinRad * 180 / Math.PI:0.#}_{b.Region.MaxRad * 180 / Math.PI:0.#}");
        }

        text.Append('\n');
        for (int i = 0; i < r.BeamPatterns[0].ThetaDeg.Length; i++)
        {
            text.Append(r.BeamPatterns[0].ThetaDeg[i].ToString("R", CultureInfo.InvariantCulture));
            foreach (BeamPattern b in r.BeamPatterns)
            {
                text.Append(CultureInfo.InvariantCulture, $",{b.Learned[i]:R},{b.Benchmark[i]:R}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>What the ideal column is, for the reports.</summary>
    internal const string IdealNote = "\nThe ideal estimator is the ML estimator eq. (11) (with eq. 12 for position) on the learned precoders that knows the TRUE arrays (impairments included), on the same draws. "
        + "The UE cannot deploy it; it shows what an efficient estimator attains with the learned precoders, so the gap between the learned RMSE and the ideal RMSE is the learned decoder's.\n";

    private static bool HasIdeal(ValidationOutcome r) => r.Rows.All(x => x.IdealRmse is not null);

    private static IEnumerable<string[]> SummaryRows(ValidationOutcome r)
    {
        bool ideal = HasIdeal(r);
        string[] header = ["SNR [dB]", $"learned RMSE [{r.Unit}]", $"learned {r.BoundName}", "learned RMSE / bound", $"benchmark RMSE [{r.Unit}]", $"benchmark {r.BoundName}", "benchmark RMSE / bound", "learned meets its bound (<= 1.10)"];
        bool reference = HasReference(r);
        string[] first = ideal ? [.. header, "ideal ML on the learned precoder: RMSE / learned bound"] : header;
        yield return reference ? [.. first, $"learned ZZB [{r.Unit}]", $"learned MMSE RMSE [{r.Unit}]", "learned RMSE / learned MMSE", $"benchmark ZZB [{r.Unit}]", $"benchmark MMSE RMSE [{r.Unit}]"] : first;
        foreach (ValidationRow x in r.Rows)
        {
            string[] row =
            [
                x.SnrDb.ToString("0.##", CultureInfo.InvariantCulture),
                x.LearnedRmse.ToString("0.00000", CultureInfo.InvariantCulture),
                x.LearnedBound.ToString("0.00000", CultureInfo.InvariantCulture),
                x.LearnedRatio.ToString("0.000", CultureInfo.InvariantCulture),
                x.BenchmarkRmse.ToString("0.00000", CultureInfo.InvariantCulture),
                x.BenchmarkBound.ToString("0.00000", CultureInfo.InvariantCulture),
                x.BenchmarkRatio.ToString("0.000", CultureInfo.InvariantCulture),
                x.LearnedMeetsBound ? "yes" : "no",
            ];
            string[] withIdeal = ideal ? [.. row, x.IdealRatio!.Value.ToString("0.000", CultureInfo.InvariantCulture)] : row;
            yield return reference
                ? [
                    .. withIdeal,
                    x.LearnedReference!.ZivZakaiBound.ToString("0.00000", CultureInfo.InvariantCulture),
                    x.LearnedReference.MmseRmse.ToString("0.00000", CultureInfo.InvariantCulture),
                    x.LearnedToMmse!.Value.ToString("0.000", CultureInfo.InvariantCulture),
                    x.BenchmarkReference!.ZivZakaiBound.ToString("0.00000", CultureInfo.InvariantCulture),
                    x.BenchmarkReference.MmseRmse.ToString("0.00000", CultureInfo.InvariantCulture),
                ]
                : withIdeal;
        }
    }

    private static string Markdown(ValidationOutcome r, string command)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Validation of {r.ModelName}\n\n{Title(r)}; {r.Rows[0].Trials:N0} trials per SNR and per estimator, the learned model and the benchmark on the same channel realisations.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Reproduce with:\n\n```sh\n{command}\n```\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Model: task {r.Manifest.Task}, Ntx = {r.Manifest.AntennaCount}, T = {r.Manifest.TransmissionCount}, I = {r.Manifest.BaseStationCount}, files {string.Join(", ", r.Manifest.Files.Select(f => f.File))}{(!r.Manifest.Estimator.TakesRegion ? string.Empty : r.Manifest.Task == "aod" ? " (the AoD estimator takes the region U after y, input y_xi)" : " (the position estimator takes every BS's region U_i after y, input y_xi)")}{(r.Manifest.Estimator.ProjectsOntoPrior ? $", the estimate projected onto {(r.Manifest.Task == "aod" ? "U" : "the area P")}" : string.Empty)}{(r.Manifest.Estimator.RefinementSteps > 0 ? $", refined by {r.Manifest.Estimator.RefinementSteps} Fisher-scoring steps on the {r.Manifest.Estimator.Array} array model" : string.Empty)}{(r.Manifest.Estimator.GridPoints > 0 ? $", the estimator is the posterior mean E[p | y] at {r.Manifest.SnrDb:0.##} dB on {r.Manifest.Estimator.GridPoints} grid points per region with the {r.Manifest.Estimator.Array} array model" : string.Empty)}, created {r.Manifest.Created}, commit {r.Manifest.SourceCommit}.\n\n");
        string[][] rows = SummaryRows(r).ToArray();
        md.Append("| ").Append(string.Join(" | ", rows[0])).Append(" |\n|").Append(string.Concat(Enumerable.Repeat("---|", rows[0].Length))).Append('\n');
        foreach (string[] row in rows.Skip(1))
        {
            md.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        }

        if (HasIdeal(r))
        {
            md.Append(IdealNote);
        }

        if (HasReference(r))
        {
            md.Append(ReferenceNote);
            md.Append(LearnedThreshold(r) is double threshold
                ? string.Create(CultureInfo.InvariantCulture, $"\nThreshold SNR of the learned precoders (the ZZB leaves the known-magnitude bound by more than 10 % below it): {threshold:0.#} dB.\n")
                : "\nThe learned precoders' ZZB does not cross 1.10 x the known-magnitude bound within the SNRs validated.\n");
        }

        md.Append("\n![RMSE against SNR](rmse.png)\n\n![Beam patterns](beampattern.png)\n\nThe plotted numbers are in rmse.csv and beampattern.csv; the figures are also in SVG.\n");
        return md.ToString();
    }

    private static string Html(ValidationOutcome r, string command, byte[] rmsePng, byte[] beamPng)
    {
        var html = new StringBuilder();
        string Encode(string s) => WebUtility.HtmlEncode(s);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode($"Validation of {r.ModelName}")).Append("</title>");
        html.Append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}pre{background:#f4f4f4;padding:8px}</style></head><body>\n");
        html.Append("<h1>").Append(Encode($"Validation of {r.ModelName}")).Append("</h1>\n<p>").Append(Encode($"{Title(r)}; {r.Rows[0].Trials:N0} trials per SNR and per estimator, on the same channel realisations.")).Append("</p>\n");
        html.Append("<pre>").Append(Encode(command)).Append("</pre>\n<table>\n");
        string[][] rows = SummaryRows(r).ToArray();
        html.Append("<tr>").Append(string.Concat(rows[0].Select(h => $"<th>{Encode(h)}</th>"))).Append("</tr>\n");
        foreach (string[] row in rows.Skip(1))
        {
            html.Append("<tr>").Append(string.Concat(row.Select(v => $"<td>{Encode(v)}</td>"))).Append("</tr>\n");
        }

        html.Append("</table>\n");
        html.Append("<p><img alt=\"RMSE against SNR\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(rmsePng)).Append("\"></p>\n");
        html.Append("<p><img alt=\"Beam patterns\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(beamPng)).Append("\"></p>\n</body></html>\n");
        return html.ToString();
    }
}
