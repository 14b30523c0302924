// Prior-ratio diagnostic (docs/research-log.md, "The 5 dB ratio over the training prior"): is the paper's test point
// (p = [0.5, 5] m with U_i = theta_i(p) +/- 15 deg, where target 2 is checked) typical of the positions that a position
// model was trained for? It draws `positions` UEs from the training prior of docs/conventions.md point 10 (p uniform over P;
// U_i centred on theta_i(p) + nu_i, nu_i uniform in +/- CenterOffsetMaxDeg) and, at each, runs the deployed precoders
// (for that UE's regions) and position estimator on `draws` channel draws at one SNR. It prints, over the prior:
// sqrt(mean MSE / mean PEB^2), and quantiles of the per-position RMSE / PEB; then the same positions again with
// nu_i = 0 (regions centred on the truth, as at the test point); then the test point itself. System.Random with the
// given seed; not e2e validate's stream. Not part of the solution or CI.
//
//   dotnet run --project research/experiments/PriorRatio -c Release -- models/position-none-snr05/v1 5 1000 500 1 docs/figures/prior-ratio-5db
//
// Arguments: a model version folder (position task, two BSs), the SNR in dB, positions, draws per position, seed, and
// optionally a figure stem: STEM-prior.png and STEM-centred.png map the positions over P coloured by their RMSE / PEB.
using System.Globalization;
using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using ScottPlot;

if (args.Length is not (5 or 6)
    || !double.TryParse(args[1], CultureInfo.InvariantCulture, out double snr) || !double.IsFinite(snr)
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int positions) || positions < 1
    || !int.TryParse(args[3], CultureInfo.InvariantCulture, out int draws) || draws < 10
    || !int.TryParse(args[4], CultureInfo.InvariantCulture, out int seed))
{
    Console.Error.WriteLine("usage: PriorRatio MODEL_VERSION_FOLDER SNR_DB POSITIONS(>= 1) DRAWS_PER_POSITION(>= 10) SEED [FIGURE_STEM]");
    return 2;
}

string folder = args[0];
if (PositionVersion.Load(folder) is not PositionVersion version)
{
    return 2;
}

Scenario scenario = version.Scenario;
ArrayResponse[] arrays = version.Arrays;
var simulators = arrays.Select(a => new ChannelSimulator(a)).ToArray();
using BsPrecoder precoder1 = version.LoadPrecoder(1);
using BsPrecoder precoder2 = version.LoadPrecoder(2);
BsPrecoder[] bsPrecoders = [precoder1, precoder2];
using UePositionEstimator estimator = version.LoadEstimator();
PositionPrior prior = scenario.PositionPrior;
double halfWidth = Units.DegreesToRadians(prior.RegionHalfWidthDeg);
double offsetMax = Units.DegreesToRadians(prior.CenterOffsetMaxDeg);
int t = scenario.TransmissionCount;

// The training prior lets a region reach past +/- 90 deg (BS 2, P's far corner, nu_2 near -15 deg); a deployed
// precoder takes only regions in front of its array, so such draws are drawn again, and their share is printed.
var random = new Random(seed);
var ues = new (PlanePoint Point, double[] Offsets)[positions];
int redrawn = 0;
for (int m = 0; m < positions; m++)
{
    var p = new PlanePoint(prior.MinX + (random.NextDouble() * prior.WidthM), prior.MinY + (random.NextDouble() * prior.HeightM));
    double[] offsets = [offsetMax * ((2 * random.NextDouble()) - 1), offsetMax * ((2 * random.NextDouble()) - 1)];
    if (Enumerable.Range(0, 2).Any(i => Math.Abs(scenario.BaseStations[i].AodOf(p) + offsets[i]) + halfWidth >= Math.PI / 2))
    {
        redrawn++;
        m--;
        continue;
    }

    ues[m] = (p, offsets);
}

Console.WriteLine($"{folder}: {positions} positions from the training prior, {redrawn} draws redrawn ({redrawn / (double)(positions + redrawn):P1}) because a region reached past 90 deg");

double[] overPrior = Report("the training prior (p over P, nu_i uniform)", ues);
double[] centred = Report("the same positions with nu_i = 0 (U_i centred on the truth)", ues.Select(u => (u.Point, new double[2])).ToArray());
double[] atTestPoint = Report("the test point p = [0.5, 5] m with nu_i = 0", [(PaperTestPoints.Position, new double[2])]);
if (args.Length == 6)
{
    Map($"{args[5]}-prior.png", "nu_i uniform in +/- 15 deg", overPrior);
    Map($"{args[5]}-centred.png", "nu_i = 0 (U_i centred on the truth)", centred);
}

return 0;

// The positions over P, coloured by their RMSE / PEB, with the test point; written atomically.
void Map(string path, string regions, double[] ratios)
{
    var plot = new Plot();
    (double Limit, string Label, ScottPlot.Color Color)[] classes =
    [
        (1.0, "<= 1.0", Colors.RoyalBlue), (1.1, "1.0 to 1.1", Colors.SeaGreen), (1.2, "1.1 to 1.2", Colors.Orange),
        (1.4, "1.2 to 1.4", Colors.OrangeRed), (double.PositiveInfinity, "> 1.4", Colors.DarkRed),
    ];
    for (int c = 0; c < classes.Length; c++)
    {
        int[] members = Enumerable.Range(0, ratios.Length).Where(m => ratios[m] <= classes[c].Limit && (c == 0 || ratios[m] > classes[c - 1].Limit)).ToArray();
        var markers = plot.Add.Markers(members.Select(m => ues[m].Point.X).ToArray(), members.Select(m => ues[m].Point.Y).ToArray(), MarkerShape.FilledCircle, 7, classes[c].Color);
        markers.LegendText = string.Create(CultureInfo.InvariantCulture, $"RMSE / PEB {classes[c].Label} ({members.Length})");
    }

    var outline = plot.Add.Rectangle(prior.MinX, prior.MaxX, prior.MinY, prior.MaxY);
    outline.FillStyle.Color = Colors.Transparent;
    outline.LineStyle.Color = Colors.Black;
    var test = plot.Add.Marker(0.5, 5, MarkerShape.FilledDiamond, 16, Colors.Black);
    test.LegendText = string.Create(CultureInfo.InvariantCulture, $"test point p = [0.5, 5] m: {atTestPoint[0]:F3}");
    plot.Title(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(folder)))}/{Path.GetFileName(Path.GetFullPath(folder))}, {snr} dB, {regions}"));
    plot.XLabel("x [m]");
    plot.YLabel("y [m]");
    plot.Axes.SquareUnits();
    plot.ShowLegend(Edge.Right);
    AtomicFile.WriteAllBytes(path, plot.GetImageBytes(1000, 640, ImageFormat.Png));
    Console.WriteLine($"figure: {path}");
}

double[] Report(string what, (PlanePoint Point, double[] Offsets)[] set)
{
    var ratios = new double[set.Length];
    double mseSum = 0, pebSquaredSum = 0;
    int perPoint = set.Length == 1 ? draws * positions : draws;
    var observations = new Complex[perPoint * 2 * t];
    var estimates = new double[perPoint * 2];
    var perBs = new Complex[t];
    for (int m = 0; m < set.Length; m++)
    {
        (PlanePoint p, double[] offsets) = set[m];
        var regions = new AngularRegion[2];
        var precoders = new Precoder[2];
        for (int i = 0; i < 2; i++)
        {
            regions[i] = AngularRegion.Around(scenario.BaseStations[i].AodOf(p) + offsets[i], halfWidth);
            precoders[i] = bsPrecoders[i].Compute(regions[i]);
        }

        double peb = PositionErrorBound.Compute(scenario.BaseStations, precoders, arrays, p, snr);
        for (int b = 0; b < perPoint; b++)
        {
            for (int i = 0; i < 2; i++)
            {
                simulators[i].Simulate([scenario.BaseStations[i].AodOf(p)], precoders[i], snr, random, perBs);
                perBs.CopyTo(observations.AsSpan(((b * 2) + i) * t, t));
            }
        }

        // Chunks of 100 draws keep a posterior-mean graph's [B, G^2] intermediates small.
        for (int start = 0; start < perPoint; start += 100)
        {
            int count = Math.Min(100, perPoint - start);
            estimator.Estimate(observations.AsSpan(start * 2 * t, count * 2 * t), regions, estimates.AsSpan(start * 2, count * 2));
        }

        double mse = Enumerable.Range(0, perPoint).Average(b => Math.Pow(estimates[2 * b] - p.X, 2) + Math.Pow(estimates[(2 * b) + 1] - p.Y, 2));
        ratios[m] = Math.Sqrt(mse) / peb;
        mseSum += mse;
        pebSquaredSum += peb * peb;
    }

    double[] sorted = [.. ratios.Order()];
    string Quantile(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))].ToString("F3", CultureInfo.InvariantCulture);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: {set.Length} position(s) x {perPoint} draws at {snr} dB: sqrt(mean MSE / mean PEB^2) = {Math.Sqrt(mseSum / pebSquaredSum):F3}, RMS PEB {Math.Sqrt(pebSquaredSum / set.Length):F4} m"));
    if (set.Length > 1)
    {
        // By how deep inside P the UE is: the larger of |x - x_c| / (W / 2) and |y - y_c| / (H / 2), 0 at P's centre, 1 on its edge.
        double Depth(PlanePoint q) => Math.Max(Math.Abs(q.X - prior.Center.X) / (0.5 * prior.WidthM), Math.Abs(q.Y - prior.Center.Y) / (0.5 * prior.HeightM));
        var bins = Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, set.Length).Where(m => Math.Min(3, (int)(4 * Depth(set[m].Point))) == k).ToArray()).ToArray();
        Console.WriteLine("  by distance from P's centre (max-norm, 0 = centre, 1 = edge): " + string.Join(", ", bins.Select((ms, k) => string.Create(CultureInfo.InvariantCulture,
            $"[{k / 4.0:F2}, {(k + 1) / 4.0:F2}): {ms.Length} positions, median RMSE / PEB {(ms.Length == 0 ? double.NaN : ms.Select(m => ratios[m]).Order().ElementAt(ms.Length / 2)):F3}"))));
        Console.WriteLine($"  per-position RMSE / PEB: quantiles 0.1 {Quantile(0.1)}, 0.25 {Quantile(0.25)}, median {Quantile(0.5)}, 0.75 {Quantile(0.75)}, 0.9 {Quantile(0.9)}; share <= 1.10: {ratios.Count(r => r <= 1.10) / (double)ratios.Length:P0}");
    }

    return ratios;
}
