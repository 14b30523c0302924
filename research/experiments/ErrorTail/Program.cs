// Error-tail diagnostic (docs/research-log.md, "Where the excess at 5 dB sits"): at the paper's test point (p = [0.5, 5] m,
// U_i = theta_i(p) +/- 15 deg), how much of a position model's MSE comes from gross errors? It runs the deployed
// precoders and position estimator of one version on `trials` channel draws (System.Random with the given seed, not
// e2e validate's stream) and prints the RMSE over the PEB, the share of the MSE carried by errors beyond k PEB, and
// quantiles of |p_hat - p|. Not part of the solution or CI.
//
//   dotnet run --project research/experiments/ErrorTail -c Release -- models/position-none-snr05/v1 5 10000 1
//
// Arguments: a model version folder (position task, two BSs), the SNR in dB, trials, seed.
using System.Globalization;
using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;

if (args.Length != 4
    || !double.TryParse(args[1], CultureInfo.InvariantCulture, out double snr) || !double.IsFinite(snr)
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int trials) || trials < 100
    || !int.TryParse(args[3], CultureInfo.InvariantCulture, out int seed))
{
    Console.Error.WriteLine("usage: ErrorTail MODEL_VERSION_FOLDER SNR_DB TRIALS(>= 100) SEED");
    return 2;
}

string folder = args[0];
if (PositionVersion.Load(folder) is not PositionVersion version)
{
    return 2;
}

Scenario scenario = version.Scenario;
ArrayResponse[] arrays = version.Arrays;
(PlanePoint point, AngularRegion[] regions, Precoder[] precoders) = version.AtTestPoint();
using UePositionEstimator estimator = version.LoadEstimator();
IPositionEstimator withRegions = estimator.WithRegions(regions);
var simulators = arrays.Select(a => new ChannelSimulator(a)).ToArray();
double peb = PositionErrorBound.Compute(scenario.BaseStations, precoders, arrays, point, snr);
int t = precoders[0].TransmissionCount;
var random = new Random(seed);
var observations = new Complex[trials * 2 * t];
var perBs = new Complex[t];
for (int b = 0; b < trials; b++)
{
    for (int i = 0; i < 2; i++)
    {
        simulators[i].Simulate([scenario.BaseStations[i].AodOf(point)], precoders[i], snr, random, perBs);
        perBs.CopyTo(observations.AsSpan(((b * 2) + i) * t, t));
    }
}

// Chunks of 100 draws keep a posterior-mean graph's [B, G^2] intermediates small.
var estimates = new double[trials * 2];
for (int start = 0; start < trials; start += 100)
{
    int count = Math.Min(100, trials - start);
    withRegions.Estimate(observations.AsSpan(start * 2 * t, count * 2 * t), estimates.AsSpan(start * 2, count * 2));
}

double[] squared = Enumerable.Range(0, trials)
    .Select(b => Math.Pow(estimates[2 * b] - point.X, 2) + Math.Pow(estimates[(2 * b) + 1] - point.Y, 2)).ToArray();
double mse = squared.Average();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{folder} at {snr} dB, {trials} draws, seed {seed}: PEB {peb:F4} m, RMSE {Math.Sqrt(mse):F4} m, RMSE / PEB {Math.Sqrt(mse) / peb:F3}"));
foreach (double k in new[] { 1.0, 2, 3, 4, 6 })
{
    double limit = k * k * peb * peb;
    int count = squared.Count(e => e > limit);
    double share = squared.Where(e => e > limit).Sum() / trials;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  |error| > {k} PEB: {count} draws ({100.0 * count / trials:F2} %), {100 * share / mse:F1} % of the MSE; the rest alone: MSE / PEB^2 = {(mse - share) / (peb * peb):F3}"));
}

double[] sorted = [.. squared.Order()];
foreach (double q in new[] { 0.5, 0.9, 0.99, 0.999 })
{
    double e = Math.Sqrt(sorted[Math.Min(trials - 1, (int)(q * trials))]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  quantile {q}: |error| {e:F4} m = {e / peb:F2} PEB"));
}

return 0;
