using System.Globalization;
using ScottPlot;

namespace E2EDeploy.Validation;

/// <summary>What the validation figures and reports share: log-scale RMSE curves, and files written all or nothing.</summary>
internal static class FigureKit
{
    /// <summary>Adds y against x on a log10 scale: solid with markers for an RMSE, dashed without markers for a bound.</summary>
    public static void AddCurve(Plot plot, double[] x, IEnumerable<double> y, string label, Color color, bool bound)
    {
        var scatter = plot.Add.Scatter(x, y.Select(Math.Log10).ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = bound ? 0 : 8;
        scatter.LinePattern = bound ? LinePattern.Dashed : LinePattern.Solid;
    }

    /// <summary>Labels the y axis as RMSE in <paramref name="unit"/> with decade ticks of the log10 values, and puts the legend beside the plot (below it by default).</summary>
    public static void UseLogRmseAxis(Plot plot, string xLabel, string unit, Edge legendEdge = Edge.Bottom)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => Math.Pow(10, v).ToString("g3", CultureInfo.InvariantCulture),
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
        };
        plot.XLabel(xLabel);
        plot.YLabel($"RMSE [{unit}] (log scale)");
        plot.ShowLegend(legendEdge);
    }

    /// <summary>
    /// Writes every file into a hidden staging folder inside <paramref name="folder"/>, then moves them into place, so a
    /// failure leaves no half-written file; returns the file names.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(string folder, IEnumerable<(string Name, Action<string> Write)> files)
    {
        string target = ValidationReport.PrepareOutput(folder);
        string staging = Path.Combine(target, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var names = new List<string>();
            foreach ((string name, Action<string> write) in files)
            {
                write(Path.Combine(staging, name));
                names.Add(name);
            }

            foreach (string name in names)
            {
                File.Move(Path.Combine(staging, name), Path.Combine(target, name), overwrite: true);
            }

            return names;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
