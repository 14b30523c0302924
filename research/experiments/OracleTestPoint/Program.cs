// Oracle diagnostic for target 2 at 5 dB (docs/research-log.md, "An oracle for target 2 at 5 dB"): can ANY pair of
// precoders reach RMSE <= 1.10 x their own PEB at the paper's test point (p = [0.5, 5] m, U_i = theta_i(p) +/- 15 deg),
// with a PEB of at most the cap (1.10 x the benchmark's), when the UE uses the posterior mean under the training prior?
// The two precoders are free complex matrices F_i [N_Tx, T] (unit Frobenius norm), not networks, optimised with Adam for
// this one point: the loss is MSE / PEB^2 of the posterior mean (G = 61 in the loop) on fresh draws at every step, plus
// 100 max(0, PEB^2 / cap^2 - 1), as the target also asks PEB <= cap (a first try with MSE / min(PEB, cap)^2 found
// precoders whose Fisher information vanishes at the test angles, PEB 1.4 m, which the cap forbids). The start is a
// training run's precoders at the test regions.
// It prints RMSE / PEB on 20,000 fresh draws with G = 241 and 240 before and after, and where the optimised precoders
// put their energy. Not part of the solution or CI.
//
//   dotnet run --project research/experiments/OracleTestPoint -c Release -- runs/exp/pn5-reward3 5 0.121 1500 1
//
// Arguments: a position run folder (two BSs, its model.bin gives the start), SNR dB, PEB cap m, Adam steps, seed.
using System.Globalization;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Channel;
using E2EDeploy.Research.Networks;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using E2EDeploy.Shared.Antenna;
using static TorchSharp.torch;

if (args.Length != 5
    || !double.TryParse(args[1], CultureInfo.InvariantCulture, out double snrDb) || !double.IsFinite(snrDb)
    || !double.TryParse(args[2], CultureInfo.InvariantCulture, out double cap) || !(cap > 0)
    || !int.TryParse(args[3], CultureInfo.InvariantCulture, out int steps) || steps < 0
    || !int.TryParse(args[4], CultureInfo.InvariantCulture, out int seed))
{
    Console.Error.WriteLine("usage: OracleTestPoint RUN_FOLDER SNR_DB PEB_CAP_M STEPS SEED");
    return 2;
}

var run = new RunDirectory(args[0]);
(TrainingConfig config, Scenario scenario) = run.ReadConfig();
if (config.Task != TrainingTask.Position || scenario.BaseStationCount != 2)
{
    Console.Error.WriteLine($"error: {args[0]} is not a position run with two BSs.");
    return 2;
}

set_num_threads(2);
random.manual_seed(seed);
PlanePoint point = PaperTestPoints.Position;
AngularRegion[] regions = scenario.PositionRegions(point);
double noiseVariance = Math.Pow(10, -snrDb / 10);
Tensor[] xis = regions.Select(r => tensor(new[] { (float)r.MinRad, (float)r.MaxRad, (float)(0.5 * r.WidthRad) }).reshape(1, 3)).ToArray();
Tensor[] thetas = regions.Select(r => tensor(new[] { (float)(0.5 * (r.MinRad + r.MaxRad)) })).ToArray();
ArrayResponse[] arrays = ArrayRealizations.ForAllBaseStations(scenario);
TorchChannel[] channels = arrays.Select(a => new TorchChannel(a, CPU)).ToArray();

// The start: the run's precoders at the test regions, as free parameters.
TorchSharp.Modules.Parameter[] raw;
using (var model = Autoencoder.Create(config.Task, scenario, config.Hidden, CPU, config.DecoderInput, config.DecoderRegion))
using (no_grad())
{
    model.load(run.ModelPath);
    raw = Enumerable.Range(0, 2).Select(i => new TorchSharp.Modules.Parameter(model.Precoders[i].call(xis[i]).detach().clone(), true)).ToArray();
}

Tensor Normalized(Tensor f) => f / f.square().sum().sqrt();
Tensor SquaredPeb(Tensor[] fs)
{
    Tensor? j11 = null, j12 = null, j22 = null;
    for (int i = 0; i < 2; i++)
    {
        PlanePoint q = scenario.BaseStations[i].Position;
        double dx = point.X - q.X, dy = point.Y - q.Y, r2 = (dx * dx) + (dy * dy);
        double gx = dy / r2, gy = -dx / r2;
        Tensor j = channels[i].FisherInformationPerSnr(thetas[i], fs[i]) / noiseVariance;
        j11 = j11 is null ? j * gx * gx : j11 + (j * gx * gx);
        j12 = j12 is null ? j * gx * gy : j12 + (j * gx * gy);
        j22 = j22 is null ? j * gy * gy : j22 + (j * gy * gy);
    }

    return ((j11! + j22!) / ((j11! * j22!) - j12!.square())).squeeze();
}

Tensor Estimates(Tensor[] fs, int batch, PosteriorGeometry geometry, ScalarType dtype)
{
    var ys = new Tensor[2];
    for (int i = 0; i < 2; i++)
    {
        Tensor phase = rand(batch) * (2 * Math.PI);
        Tensor gain = stack([phase.cos(), phase.sin()], 1);
        Tensor noise = randn(batch, 2, scenario.TransmissionCount) * Math.Sqrt(noiseVariance / 2);
        ys[i] = channels[i].Observe(thetas[i].expand(batch), fs[i].expand(batch, -1, -1, -1), gain, noise).to_type(dtype);
    }

    Tensor scale = tensor(arrays[0].ElementPositionsWavelengths.ToArray().Select(x => 2 * Math.PI * x).ToArray()).to_type(dtype);
    Func<Tensor, (Tensor, Tensor)> nominal = theta => TorchChannel.Steering(theta, scale, null, null);
    return PosteriorMeanPositionEstimator.Estimate(ys, fs.Select(f => f.expand(batch, -1, -1, -1).to_type(dtype)).ToArray(),
        xis.Select(x => x.expand(batch, -1).to_type(dtype)).ToArray(), [nominal, nominal], geometry, noiseVariance);
}

Tensor truth = tensor(new[] { point.X, point.Y });
(double Ratio, double Rmse, double Peb) Evaluate(Tensor[] fs, int gridPoints)
{
    using var noGrad = no_grad();
    PosteriorGeometry fine = PosteriorGeometry.Of(scenario, gridPoints);
    double sum = 0;
    const int draws = 20000, chunk = 200;
    for (int start = 0; start < draws; start += chunk)
    {
        using var scope = NewDisposeScope();
        sum += (Estimates(fs, chunk, fine, ScalarType.Float64) - truth).square().sum().item<double>();
    }

    double rmse = Math.Sqrt(sum / draws);
    double peb = Math.Sqrt(SquaredPeb(fs).item<float>());
    return (rmse / peb, rmse, peb);
}

Tensor[] Current() => raw.Select(Normalized).ToArray();
// An odd G puts a grid point on the region's centre, which is the true angle here; an even G does not, so the two show
// whether an estimate gains from landing on the grid.
void Report(string what)
{
    foreach (int g in new[] { 241, 240 })
    {
        var r = Evaluate(Current(), g);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: RMSE / PEB {r.Ratio:F3}, RMSE {r.Rmse:F4} m, PEB {r.Peb:F4} m (cap {cap} m), 20,000 draws, G = {g}"));
    }
}

Report($"start ({args[0]}'s precoders)");
var optimizer = optim.Adam(raw, 1e-3);
PosteriorGeometry coarse = PosteriorGeometry.Of(scenario, 61);
double capSquared = cap * cap;
for (int step = 1; step <= steps; step++)
{
    using var scope = NewDisposeScope();
    Tensor[] fs = Current();
    Tensor mse = (Estimates(fs, 1000, coarse, ScalarType.Float32) - truth.to_type(ScalarType.Float32)).square().sum(1).mean();
    // Target 2 asks for both RMSE <= 1.10 PEB and PEB <= cap: the ratio squared, plus a steep penalty above the cap.
    Tensor squaredPeb = SquaredPeb(fs);
    Tensor loss = (mse / squaredPeb) + (100 * (squaredPeb / capSquared - 1).clamp_min(0));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (step % 100 == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step}: loss (MSE / PEB^2 + 100 max(0, PEB^2 / cap^2 - 1) on 1,000 draws, G = 61) {loss.item<float>():F3}, MSE / PEB^2 {(mse / squaredPeb).item<float>():F3}, PEB {Math.Sqrt(squaredPeb.item<float>()):F4} m"));
    }
}

Report($"after {steps} steps");
for (int i = 0; i < 2; i++)
{
    // Where each optimised precoder puts its energy over U_i: the aggregate response ||F^T a(theta)||^2 at 9 angles.
    using var noGrad = no_grad();
    AngularRegion r = regions[i];
    Tensor grid = linspace(r.MinRad, r.MaxRad, 9).to_type(ScalarType.Float32);
    (Tensor re, Tensor im) = TorchChannel.Response(channels[i].Steering(grid), Current()[i].expand(9, -1, -1, -1));
    float[] gain = (re.square() + im.square()).sum(1).data<float>().ToArray();
    Console.WriteLine($"BS {i + 1}: ||F^T a||^2 from theta_min to theta_max in 9 steps: " + string.Join(", ", gain.Select(v => v.ToString("F2", CultureInfo.InvariantCulture))));
}
return 0;
