using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Benchmark;

[TestClass]
public sealed class MlAodEstimatorTests
{
    [TestMethod]
    public void NoiselessObservationsGiveTheTrueAngleBetweenGridPoints()
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        Precoder precoder = BenchmarkPrecoder.Design(region, 32, 20).Precoder;
        var simulator = new ChannelSimulator(ArrayResponse.Nominal(32));
        var estimator = new MlAodEstimator(precoder, region, ArrayResponse.Nominal(32));
        foreach (double thetaDeg in new[] { 40.0, 41.234567, 47.05, 55.5555, 60.0 })
        {
            double theta = thetaDeg * Math.PI / 180;
            var y = new Complex[20];
            simulator.Observe([theta], precoder, [Complex.FromPolarCoordinates(1, 2.5)], new Complex[20], y);
            Assert.AreEqual(theta, estimator.Estimate(y), 1e-9, $"theta = {thetaDeg} deg");
        }
    }

    [TestMethod]
    public void AttainsTheCrbAtHighSnrOnAFixedSeed()
    {
        // At 30 dB the ML estimator is efficient: RMSE / sqrt(mean CRB) is 1 up to the Monte-Carlo error of
        // about 1 / sqrt(2 * 4000) = 1.1% (the tolerance is 5%).
        EvaluationPoint[] points = BenchmarkSweep.Aod(Scenario.Paper, 0, AngularRegion.FromDegrees(40, 60), [30], new MonteCarloSettings(4000, 17));
        Assert.AreEqual(1, points[0].Ratio, 0.05, $"RMSE {points[0].Rmse} rad, sqrt(CRB) {points[0].Bound} rad");
    }

    [TestMethod]
    public void RejectsWrongLengthAndNaN()
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        var estimator = new MlAodEstimator(BenchmarkPrecoder.Design(region, 32, 20).Precoder, region, ArrayResponse.Nominal(32));
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => estimator.Estimate(new Complex[19]));
        StringAssert.Contains(e1.Message, "19");
        var y = new Complex[20];
        y[3] = new Complex(double.NaN, 0);
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => estimator.Estimate(y));
        StringAssert.Contains(e2.Message, "[3]");
    }
}
