using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Evaluation;

/// <summary>
/// The Bayes-optimal estimators (docs/conventions.md point 12): against brute-force posterior means on fine even grids, never
/// worse over the prior than ML with the true arrays, and never below the Ziv-Zakai bound beyond three standard errors.
/// </summary>
[TestClass]
public sealed class PosteriorMeanEstimatorTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly AngularRegion Region = AngularRegion.FromDegrees(40, 60);

    /// <summary>log I0(2 |b^H y| / sigma^2) - ||b||^2 / sigma^2, written out.</summary>
    private static double LogLikelihood(Precoder precoder, ArrayResponse array, double theta, ReadOnlySpan<Complex> y, double noiseVariance)
    {
        var b = new Complex[precoder.TransmissionCount];
        precoder.ResponseAt(array, theta, b);
        Complex z = Complex.Zero;
        double energy = 0;
        for (int k = 0; k < b.Length; k++)
        {
            z += Complex.Conjugate(b[k]) * y[k];
            energy += b[k].Magnitude * b[k].Magnitude;
        }

        return ModifiedBessel.LogI0(2 * z.Magnitude / noiseVariance) - (energy / noiseVariance);
    }

    [TestMethod]
    [DataRow(-5.0)]
    [DataRow(10.0)]
    [DataRow(30.0)]
    public void AodEstimateIsThePosteriorMeanOfABruteForceGrid(double snrDb)
    {
        Precoder precoder = BenchmarkPrecoder.Design(Region, 32, 20).Precoder;
        ArrayResponse array = ArrayResponse.WithCoupling(MutualCoupling.Default(32));
        var estimator = new PosteriorMeanAodEstimator(precoder, array, Region, snrDb);
        var simulator = new ChannelSimulator(array);
        Random random = RandomSources.Create(5);
        double[] grid = Region.EvenGrid(40001);
        for (int trial = 0; trial < 4; trial++)
        {
            double theta = Region.MinRad + (Region.WidthRad * random.NextDouble());
            var y = new Complex[20];
            simulator.Simulate([theta], precoder, snrDb, random, y);
            double[] log = grid.Select(g => LogLikelihood(precoder, array, g, y, ChannelSimulator.NoiseVariance(snrDb))).ToArray();
            double peak = log.Max(), mass = 0, moment = 0;
            for (int k = 0; k < grid.Length; k++)
            {
                double w = Math.Exp(log[k] - peak);
                mass += w;
                moment += w * grid[k];
            }

            var estimate = new double[1];
            estimator.Estimate(y, estimate);
            Assert.AreEqual(moment / mass, estimate[0], 1e-3 * Math.Sqrt(KnownMagnitudeCramerRaoBound.Mean(precoder, array, [theta], snrDb)) + 1e-7);
        }
    }

    [TestMethod]
    [DataRow(-10.0)]
    [DataRow(0.0)]
    [DataRow(10.0)]
    [DataRow(20.0)]
    public void AodRmseLiesBetweenTheZivZakaiBoundAndMlWithTheTrueArray(double snrDb)
    {
        Precoder precoder = BenchmarkPrecoder.Design(Region, 32, 20).Precoder;
        ArrayResponse array = ArrayResponse.WithCoupling(MutualCoupling.Default(32));
        var simulator = new ChannelSimulator(array);
        var mmse = new PosteriorMeanAodEstimator(precoder, array, Region, snrDb);
        var ml = new MlAodEstimator(precoder, Region, array);
        Random random = RandomSources.Create(11);
        const int trials = 4000;
        var squared = new double[trials];
        double mlSum = 0;
        var y = new Complex[20];
        var estimate = new double[1];
        for (int trial = 0; trial < trials; trial++)
        {
            double theta = Region.MinRad + (Region.WidthRad * random.NextDouble());
            simulator.Simulate([theta], precoder, snrDb, random, y);
            mmse.Estimate(y, estimate);
            squared[trial] = (estimate[0] - theta) * (estimate[0] - theta);
            ml.Estimate(y, estimate);
            mlSum += (estimate[0] - theta) * (estimate[0] - theta);
        }

        (double mse, double error) = MeanAndStandardError(squared);
        double mlMse = mlSum / trials;
        double zzb = AodZivZakaiBound.Compute(precoder, array, Region, snrDb);
        TestContext.WriteLine($"{snrDb} dB: ZZB {Units.RadiansToDegrees(zzb):E3} deg, MMSE RMSE {Units.RadiansToDegrees(Math.Sqrt(mse)):E3} deg, ML RMSE {Units.RadiansToDegrees(Math.Sqrt(mlMse)):E3} deg");
        Assert.IsGreaterThanOrEqualTo((zzb * zzb) - (3 * error), mse, "the MMSE estimator's MSE fell below the ZZB beyond 3 standard errors");
        Assert.IsLessThanOrEqualTo(mlMse + (3 * error), mse, "the MMSE estimator did worse than ML with the true array beyond 3 standard errors");
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(15.0)]
    [DataRow(30.0)]
    public void PositionEstimateIsThePosteriorMeanOfABruteForceGrid(double snrDb)
    {
        (Scenario scenario, AngularRegion[] regions, Precoder[] precoders, ArrayResponse[] arrays) = PositionCase();
        var estimator = new PosteriorMeanPositionEstimator(scenario.BaseStations, precoders, arrays, regions, scenario.PositionPrior, snrDb);
        Random random = RandomSources.Create(6);
        ConvexPolygon support = estimator.Support;
        for (int trial = 0; trial < 2; trial++)
        {
            PlanePoint p = DrawUniform(support, random);
            Complex[] y = Observe(scenario, precoders, arrays, p, snrDb, random);
            var estimate = new double[2];
            estimator.Estimate(y, estimate);

            // Brute force: an even grid over a window of +/- 12 PEB around the estimate (or the whole support), 801 x 801 points.
            double peb = KnownMagnitudeCramerRaoBound.PositionErrorBoundOf(scenario.BaseStations, precoders, arrays, p, snrDb);
            double half = Math.Min(12 * peb, 2);
            double mass = 0, mx = 0, my = 0;
            const int n = 801;
            double noiseVariance = ChannelSimulator.NoiseVariance(snrDb);
            var values = new List<(double X, double Y, double Log)>();
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    var q = new PlanePoint(estimate[0] - half + (2 * half * i / (n - 1)), estimate[1] - half + (2 * half * j / (n - 1)));
                    if (!support.Contains(q))
                    {
                        continue;
                    }

                    double log = 0;
                    for (int b = 0; b < 2; b++)
                    {
                        log += LogLikelihood(precoders[b], arrays[b], scenario.BaseStations[b].AodOf(q), y.AsSpan(b * 20, 20), noiseVariance);
                    }

                    values.Add((q.X, q.Y, log));
                }
            }

            double peak = values.Max(v => v.Log);
            foreach ((double x, double yy, double log) in values)
            {
                double w = Math.Exp(log - peak);
                mass += w;
                mx += w * x;
                my += w * yy;
            }

            // The yardstick is the posterior's own spread: the estimator's numerical error must be small against the error it makes.
            double spread = 0;
            foreach ((double x, double yy, double log) in values)
            {
                spread += Math.Exp(log - peak) * (Math.Pow(x - (mx / mass), 2) + Math.Pow(yy - (my / mass), 2));
            }

            spread = Math.Sqrt(spread / mass);
            double error = Math.Sqrt(Math.Pow((mx / mass) - estimate[0], 2) + Math.Pow((my / mass) - estimate[1], 2));
            TestContext.WriteLine($"{snrDb} dB: estimate ({estimate[0]:F5}, {estimate[1]:F5}), brute force ({mx / mass:F5}, {my / mass:F5}), posterior spread {spread:E3} m, difference {error:E3} m");
            Assert.IsLessThan(0.05 * spread, error);
        }
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(10.0)]
    [DataRow(20.0)]
    public void PositionRmseLiesBetweenTheZivZakaiBoundAndMlWithTheTrueArrays(double snrDb)
    {
        (Scenario scenario, AngularRegion[] regions, Precoder[] precoders, ArrayResponse[] arrays) = PositionCase();
        var mmse = new PosteriorMeanPositionEstimator(scenario.BaseStations, precoders, arrays, regions, scenario.PositionPrior, snrDb);
        var ml = new MlPositionEstimator(scenario.BaseStations, regions.Select((r, i) => new MlAodEstimator(precoders[i], r, arrays[i])).ToArray(), scenario.PositionPrior);
        Random random = RandomSources.Create(12);
        const int trials = 1500;
        var squared = new double[trials];
        double mlSum = 0;
        var estimate = new double[2];
        for (int trial = 0; trial < trials; trial++)
        {
            PlanePoint p = DrawUniform(mmse.Support, random);
            Complex[] y = Observe(scenario, precoders, arrays, p, snrDb, random);
            mmse.Estimate(y, estimate);
            squared[trial] = Math.Pow(estimate[0] - p.X, 2) + Math.Pow(estimate[1] - p.Y, 2);
            ml.Estimate(y, estimate);
            mlSum += Math.Pow(estimate[0] - p.X, 2) + Math.Pow(estimate[1] - p.Y, 2);
        }

        (double mse, double error) = MeanAndStandardError(squared);
        double mlMse = mlSum / trials;
        double zzb = PositionZivZakaiBound.Compute(scenario.BaseStations, precoders, arrays, mmse.Support, snrDb);
        TestContext.WriteLine($"{snrDb} dB: ZZB {zzb:E3} m, MMSE RMSE {Math.Sqrt(mse):E3} m, ML RMSE {Math.Sqrt(mlMse):E3} m");
        Assert.IsGreaterThanOrEqualTo((zzb * zzb) - (3 * error), mse, "the MMSE estimator's MSE fell below the ZZB beyond 3 standard errors");
        Assert.IsLessThanOrEqualTo(mlMse + (3 * error), mse, "the MMSE estimator did worse than ML with the true arrays beyond 3 standard errors");
    }

    private static (Scenario Scenario, AngularRegion[] Regions, Precoder[] Precoders, ArrayResponse[] Arrays) PositionCase()
    {
        Scenario scenario = Scenario.Paper;
        AngularRegion[] regions = scenario.PositionRegions(PaperTestPoints.Position);
        Precoder[] precoders = regions.Select(r => BenchmarkPrecoder.Design(r, 32, 20).Precoder).ToArray();
        ArrayResponse[] arrays = [ArrayResponse.WithCoupling(MutualCoupling.Default(32)), ArrayResponse.Nominal(32)];
        return (scenario, regions, precoders, arrays);
    }

    private static Complex[] Observe(Scenario scenario, Precoder[] precoders, ArrayResponse[] arrays, PlanePoint p, double snrDb, Random random)
    {
        var y = new Complex[2 * 20];
        for (int b = 0; b < 2; b++)
        {
            new ChannelSimulator(arrays[b]).Simulate([scenario.BaseStations[b].AodOf(p)], precoders[b], snrDb, random, y.AsSpan(b * 20, 20));
        }

        return y;
    }

    private static PlanePoint DrawUniform(ConvexPolygon support, Random random)
    {
        double minX = support.Vertices.Min(v => v.X), maxX = support.Vertices.Max(v => v.X);
        double minY = support.Vertices.Min(v => v.Y), maxY = support.Vertices.Max(v => v.Y);
        while (true)
        {
            var p = new PlanePoint(minX + ((maxX - minX) * random.NextDouble()), minY + ((maxY - minY) * random.NextDouble()));
            if (support.Contains(p))
            {
                return p;
            }
        }
    }

    private static (double Mean, double StandardError) MeanAndStandardError(double[] values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }
}
