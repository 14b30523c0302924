using System.Numerics;
using E2EDeploy.Research.Networks;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using MathNet.Numerics;
using static TorchSharp.torch;

namespace E2EDeploy.Research.Tests.Networks;

/// <summary>
/// The posterior mean, computed on the (theta_1, theta_2) grid with the intersection's area element, against an
/// independent quadrature of the same posterior over a Cartesian grid of the area P (no change of variables), with the
/// shared simulator's array and precoder response and MathNet's I0.
/// </summary>
[TestClass]
public sealed class PosteriorMeanPositionEstimatorTests
{
    private static readonly Scenario Scenario = (Scenario.Paper with { AntennaCount = 8, TransmissionCount = 4 }) with { TransmissionCount = 8 };

    [TestMethod]
    [DataRow(0.6, 4.8, 0.0, 0.0, 0.0)]
    [DataRow(-0.4, 5.9, 0.1, -0.15, 3.0)]
    public void TheGridPosteriorMeanIsTheQuadratureOverP(double x, double y, double offset1, double offset2, double snrDb)
    {
        var truth = new PlanePoint(x, y);
        double noiseVariance = ChannelSimulator.NoiseVariance(snrDb);
        using var model = (PositionAutoencoder)Autoencoder.Create(TrainingTask.Position, Scenario, 16, CPU);
        using var generator = new Generator(11, CPU);
        model.Initialize(generator);
        using var arrays = ArrayCalibration.Nominal(Scenario);
        double halfWidth = Units.DegreesToRadians(Scenario.PositionPrior.RegionHalfWidthDeg);
        double[] offsets = [offset1, offset2];
        AngularRegion[] regions = Enumerable.Range(0, 2).Select(i => AngularRegion.Around(Scenario.BaseStations[i].AodOf(truth) + offsets[i], halfWidth)).ToArray();

        // One noisy draw per BS, y_i = e^(j phi) F_i^T a(theta_i) + n, in double precision.
        var random = new Random(5);
        var precoders = new Precoder[2];
        var observations = new Complex[2][];
        var row = new List<float>();
        for (int i = 0; i < 2; i++)
        {
            precoders[i] = PrecoderOf(model.Precoders[i], regions[i]);
            var b = new Complex[Scenario.TransmissionCount];
            precoders[i].ResponseAt(ArrayResponse.Nominal(Scenario.AntennaCount), Scenario.BaseStations[i].AodOf(truth), b);
            Complex gain = Complex.FromPolarCoordinates(1, 2 * Math.PI * random.NextDouble());
            observations[i] = b.Select(v => (gain * v) + new Complex(Normal(random) * Math.Sqrt(noiseVariance / 2), Normal(random) * Math.Sqrt(noiseVariance / 2))).ToArray();
            row.AddRange(observations[i].Select(v => (float)v.Real));
            row.AddRange(observations[i].Select(v => (float)v.Imaginary));
        }

        foreach (AngularRegion region in regions)
        {
            row.AddRange([(float)region.MinRad, (float)region.MaxRad, (float)(region.WidthRad / 2)]);
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (double expectedX, double expectedY) = Quadrature(precoders, observations, regions, noiseVariance);
        double Error(int gridPoints)
        {
            using var estimator = PosteriorMeanPositionEstimator.Create(model.Precoders, arrays.All, Scenario, noiseVariance, gridPoints);
            float[] estimate = estimator.call(tensor(row.ToArray(), [1, row.Count])).data<float>().ToArray();
            return Math.Sqrt(Math.Pow(estimate[0] - expectedX, 2) + Math.Pow(estimate[1] - expectedY, 2));
        }

        // The support's edges (P's sides, the cones) cut the cells of either grid, so both quadratures converge at first
        // order in the cell size: the angle grid's error must halve from G = 64 to 256 (four times finer) down to the
        // Cartesian grid's own error, a fraction of its 2.6 mm cells.
        double coarse = Error(64), fine = Error(PosteriorMeanPositionEstimator.MaxGridPoints);
        Assert.IsLessThanOrEqualTo(Math.Max(0.5 * coarse, 2e-3), fine, $"error {fine:e2} m at G = 256, {coarse:e2} m at G = 64");
        Assert.IsLessThan(5e-3, fine, $"error {fine:e2} m at G = 256");
        Assert.IsGreaterThan(0.01, Math.Abs(expectedX - Scenario.PositionPrior.Center.X) + Math.Abs(expectedY - Scenario.PositionPrior.Center.Y), "the posterior mean is informative, not P's centre");
    }

    [TestMethod]
    public void BadSettingsAreNamed()
    {
        using var model = (PositionAutoencoder)Autoencoder.Create(TrainingTask.Position, Scenario, 16, CPU);
        using var arrays = ArrayCalibration.Nominal(Scenario);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PosteriorMeanPositionEstimator.Create(model.Precoders, arrays.All, Scenario, 1, 4));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PosteriorMeanPositionEstimator.Create(model.Precoders, arrays.All, Scenario, 0, 41));
    }

    /// <summary>E[p | y] over a Cartesian grid of P: uniform prior on P within both cones, the phase-marginalised likelihood.</summary>
    private static (double X, double Y) Quadrature(Precoder[] precoders, Complex[][] observations, AngularRegion[] regions, double noiseVariance)
    {
        const int Cells = 1200;
        PositionPrior area = Scenario.PositionPrior;
        ArrayResponse array = ArrayResponse.Nominal(Scenario.AntennaCount);
        var b = new Complex[Scenario.TransmissionCount];
        var logWeights = new List<(double LogWeight, double X, double Y)>();
        for (int ix = 0; ix < Cells; ix++)
        {
            for (int iy = 0; iy < Cells; iy++)
            {
                var p = new PlanePoint(area.MinX + ((ix + 0.5) * area.WidthM / Cells), area.MinY + ((iy + 0.5) * area.HeightM / Cells));
                double logWeight = 0;
                bool inside = true;
                for (int i = 0; i < 2 && inside; i++)
                {
                    double theta = Scenario.BaseStations[i].AodOf(p);
                    inside = regions[i].Contains(theta);
                    precoders[i].ResponseAt(array, theta, b);
                    Complex z = Complex.Zero;
                    double bb = 0;
                    for (int t = 0; t < b.Length; t++)
                    {
                        z += Complex.Conjugate(b[t]) * observations[i][t];
                        bb += (b[t].Real * b[t].Real) + (b[t].Imaginary * b[t].Imaginary);
                    }

                    logWeight += Math.Log(SpecialFunctions.BesselI0(2 * z.Magnitude / noiseVariance)) - (bb / noiseVariance);
                }

                if (inside)
                {
                    logWeights.Add((logWeight, p.X, p.Y));
                }
            }
        }

        double peak = logWeights.Max(w => w.LogWeight);
        double sum = 0, sumX = 0, sumY = 0;
        foreach ((double logWeight, double x, double y) in logWeights)
        {
            double w = Math.Exp(logWeight - peak);
            sum += w;
            sumX += w * x;
            sumY += w * y;
        }

        return (sumX / sum, sumY / sum);
    }

    /// <summary>The network's F for the region as the shared simulator's precoder.</summary>
    private static Precoder PrecoderOf(PrecoderNetwork network, AngularRegion region)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        float[] f = network.call(tensor(new[] { (float)region.MinRad, (float)region.MaxRad, (float)(region.WidthRad / 2) }, [1, 3])).data<float>().ToArray();
        int n = Scenario.AntennaCount, t = Scenario.TransmissionCount;
        return new Precoder(n, t, Enumerable.Range(0, n * t).Select(k => new Complex(f[k], f[(n * t) + k])).ToArray());
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
