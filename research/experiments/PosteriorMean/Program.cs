// Posterior-mean diagnostic (docs/research-log.md, "One model for 5 dB"): how much lower than the ML estimator's RMSE can ANY
// estimator go at the paper's test point on a released model's precoders? The posterior mean (the MMSE estimator under
// the training prior: p uniform over P, within the cones of the regions U_i) is computed by brute force on a
// 0.01 deg grid of (theta_1, theta_2), with the gain's phase marginalised out (|alpha| = 1), and compared with the ML
// estimator eq. (11, 12) on the same draws. Not deployable (seconds per estimate); not part of the solution or CI.
//
//   dotnet run --project research/experiments/PosteriorMean -c Release -- models/position-none/v4 2000 5,10,20
//
// Arguments: a model version folder (position task, two BSs), trials per SNR, comma-separated SNRs in dB.
using System.Globalization;
using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: PosteriorMean MODEL_VERSION_FOLDER TRIALS SNR_DB[,SNR_DB...]");
    return 2;
}

string folder = args[0];
if (!int.TryParse(args[1], CultureInfo.InvariantCulture, out int trials) || trials < 1)
{
    Console.Error.WriteLine($"error: trials '{args[1]}': expected an integer >= 1.");
    return 2;
}

double[] snrs;
try
{
    snrs = args[2].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
catch (FormatException)
{
    Console.Error.WriteLine($"error: SNRs '{args[2]}': expected comma-separated numbers in dB, such as 5,10,20.");
    return 2;
}

if (PositionVersion.Load(folder) is not PositionVersion version)
{
    return 2;
}

Scenario scenario = version.Scenario;
ArrayResponse[] arrays = version.Arrays;
(PlanePoint point, AngularRegion[] regions, Precoder[] precoders) = version.AtTestPoint();

var experiment = new PositionExperiment(scenario.BaseStations, precoders, arrays, point);
var ml = new MlPositionEstimator(scenario.BaseStations, regions.Select((r, i) => new MlAodEstimator(precoders[i], r, arrays[i])).ToArray(), scenario.PositionPrior);
Console.WriteLine($"{folder}, {trials} trials per SNR, seed 1; RMSE in m, / PEB in brackets");
foreach (double snr in snrs)
{
    var settings = new MonteCarloSettings(trials, 1);
    EvaluationPoint byMl = MonteCarloEvaluator.EvaluatePosition(experiment, ml, snr, settings);
    EvaluationPoint byMean = MonteCarloEvaluator.EvaluatePosition(experiment, new PosteriorMeanEstimator(scenario, precoders, regions, arrays, Math.Pow(10, -snr / 10)), snr, settings);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"SNR {snr} dB: PEB {byMl.Bound:F4}  ML eq. (11, 12) {byMl.Rmse:F4} ({byMl.Rmse / byMl.Bound:F3})  posterior mean {byMean.Rmse:F4} ({byMean.Rmse / byMl.Bound:F3})"));
}

return 0;

/// <summary>
/// E[p | y] for two BSs under p ~ U(P within the cones of U_1, U_2), with the noise variance <paramref name="noiseVariance"/>
/// known. The likelihood of BS i at theta is exp(-||b||^2 / s2) I0(2 |y^H b| / s2), b = F_i^T a(theta) (the unit-modulus
/// gain's phase marginalised), and the area element of p in (theta_1, theta_2) is r_1 r_2 / |sin(angle between the bearings)|.
/// </summary>
internal sealed class PosteriorMeanEstimator(Scenario scenario, Precoder[] precoders, AngularRegion[] regions, ArrayResponse[] arrays, double noiseVariance) : IPositionEstimator
{
    private const double GridStepDeg = 0.01;
    private const double NegligibleLogWeight = 30;
    private readonly double[][] grids = regions.Select(r => r.EvenGrid((int)Math.Ceiling(r.WidthRad / Units.DegreesToRadians(GridStepDeg)) + 1)).ToArray();
    private readonly Complex[][] responses = new Complex[2][];
    private readonly double[][] norms = new double[2][];
    private bool tabulated;

    public int BaseStationCount => 2;

    public int TransmissionCount => precoders[0].TransmissionCount;

    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM)
    {
        int t = TransmissionCount;
        (Complex[][] b, double[][] bb) = Responses();
        var logLikelihood = new double[2][];
        for (int sample = 0; sample < positionsM.Length / 2; sample++)
        {
            for (int i = 0; i < 2; i++)
            {
                ReadOnlySpan<Complex> y = observations.Slice(((sample * 2) + i) * t, t);
                logLikelihood[i] = new double[grids[i].Length];
                for (int g = 0; g < grids[i].Length; g++)
                {
                    Complex z = Complex.Zero;
                    for (int k = 0; k < t; k++)
                    {
                        z += Complex.Conjugate(y[k]) * b[i][(g * t) + k];
                    }

                    logLikelihood[i][g] = (-bb[i][g] / noiseVariance) + LogI0(2 * z.Magnitude / noiseVariance);
                }
            }

            (positionsM[2 * sample], positionsM[(2 * sample) + 1]) = Mean(logLikelihood);
        }
    }

    private (double X, double Y) Mean(double[][] logLikelihood)
    {
        BaseStation first = scenario.BaseStations[0], second = scenario.BaseStations[1];
        double max0 = logLikelihood[0].Max(), max1 = logLikelihood[1].Max();
        int[] support0 = Enumerable.Range(0, grids[0].Length).Where(g => logLikelihood[0][g] > max0 - NegligibleLogWeight).ToArray();
        int[] support1 = Enumerable.Range(0, grids[1].Length).Where(g => logLikelihood[1][g] > max1 - NegligibleLogWeight).ToArray();
        double sum = 0, sumX = 0, sumY = 0;
        double ex = second.Position.X - first.Position.X, ey = second.Position.Y - first.Position.Y;
        foreach (int g0 in support0)
        {
            (double sa, double ca) = Math.SinCos(grids[0][g0] + first.OrientationRad);
            foreach (int g1 in support1)
            {
                // The bearings' intersection q_1 + r_1 (sa, ca) = q_2 + r_2 (sb, cb), in front of both BSs and inside P.
                (double sb, double cb) = Math.SinCos(grids[1][g1] + second.OrientationRad);
                double determinant = (-sa * cb) + (sb * ca);
                if (Math.Abs(determinant) < 1e-12)
                {
                    continue;
                }

                double r1 = ((-ex * cb) + (sb * ey)) / determinant, r2 = ((sa * ey) - (ca * ex)) / determinant;
                var p = new PlanePoint(first.Position.X + (r1 * sa), first.Position.Y + (r1 * ca));
                if (r1 <= 0 || r2 <= 0 || !scenario.PositionPrior.Contains(p))
                {
                    continue;
                }

                double weight = Math.Exp(logLikelihood[0][g0] - max0 + logLikelihood[1][g1] - max1) * r1 * r2 / Math.Abs(determinant);
                sum += weight;
                sumX += weight * p.X;
                sumY += weight * p.Y;
            }
        }

        return sum > 0 ? (sumX / sum, sumY / sum) : (scenario.PositionPrior.Center.X, scenario.PositionPrior.Center.Y);
    }

    /// <summary>b = F_i^T a(theta) [G_i, T] and ||b||^2 [G_i] on the grids, tabulated once (the evaluator calls from several threads).</summary>
    private (Complex[][] B, double[][] Norms) Responses()
    {
        lock (responses)
        {
            if (tabulated)
            {
                return (responses, norms);
            }

            int t = TransmissionCount;
            for (int i = 0; i < 2; i++)
            {
                responses[i] = new Complex[grids[i].Length * t];
                norms[i] = new double[grids[i].Length];
                for (int g = 0; g < grids[i].Length; g++)
                {
                    Span<Complex> b = responses[i].AsSpan(g * t, t);
                    precoders[i].ResponseAt(arrays[i], grids[i][g], b);
                    foreach (Complex v in b)
                    {
                        norms[i][g] += (v.Real * v.Real) + (v.Imaginary * v.Imaginary);
                    }
                }
            }

            tabulated = true;
            return (responses, norms);
        }
    }

    /// <summary>log I0(x): the series below 30, the asymptotic expansion above.</summary>
    private static double LogI0(double x)
    {
        if (x >= 30)
        {
            return x - (0.5 * Math.Log(2 * Math.PI * x)) + Math.Log(1 + (1 / (8 * x)));
        }

        double sum = 1, term = 1;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
        }

        return Math.Log(sum);
    }
}
