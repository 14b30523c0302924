using System.Numerics;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Benchmark;

[TestClass]
public sealed class MlPositionEstimatorTests
{
    [TestMethod]
    public void ExactBearingsGiveTheTruePosition()
    {
        Scenario scenario = Scenario.Paper;
        (_, MlPositionEstimator estimator) = BenchmarkSweep.PositionSetup(scenario, new PlanePoint(0.5, 5));
        foreach (PlanePoint p in new[] { new PlanePoint(0.5, 5), new PlanePoint(1.2, 4.1), new PlanePoint(-0.9, 6.3) })
        {
            double[] aods = scenario.BaseStations.Select(bs => bs.AodOf(p)).ToArray();
            PlanePoint estimate = estimator.Solve(aods, [1.0, 3.0]);
            Assert.AreEqual(0, estimate.DistanceTo(p), 1e-9, $"at {p}");
        }
    }

    [TestMethod]
    public void SolutionIsConstrainedToTheArea()
    {
        Scenario scenario = Scenario.Paper;
        (_, MlPositionEstimator estimator) = BenchmarkSweep.PositionSetup(scenario, new PlanePoint(0.5, 5));
        var outside = new PlanePoint(0.5, 9);
        double[] aods = scenario.BaseStations.Select(bs => bs.AodOf(outside)).ToArray();
        PlanePoint estimate = estimator.Solve(aods, [1.0, 1.0]);
        Assert.IsTrue(scenario.PositionPrior.Contains(estimate), $"{estimate} inside P");
        Assert.AreEqual(scenario.PositionPrior.MaxY, estimate.Y, 1e-12);

        // On the boundary y = MaxY, the weighted least-squares point minimises the cost along that edge.
        double Cost(double x) => scenario.BaseStations.Select((bs, i) => Math.Pow(aods[i] - bs.AodOf(new PlanePoint(x, scenario.PositionPrior.MaxY)), 2)).Sum();
        Assert.IsLessThanOrEqualTo(Cost(estimate.X + 1e-4), Cost(estimate.X));
        Assert.IsLessThanOrEqualTo(Cost(estimate.X - 1e-4), Cost(estimate.X));
    }

    [TestMethod]
    public void AttainsThePebAtHighSnrOnAFixedSeed()
    {
        EvaluationPoint[] points = BenchmarkSweep.Position(Scenario.Paper, new PlanePoint(0.5, 5), [30], new MonteCarloSettings(3000, 5));
        Assert.AreEqual(1, points[0].Ratio, 0.05, $"RMSE {points[0].Rmse} m, PEB {points[0].Bound} m");
    }

    [TestMethod]
    public void RejectsObservationsOfTheWrongShape()
    {
        (_, MlPositionEstimator estimator) = BenchmarkSweep.PositionSetup(Scenario.Paper, new PlanePoint(0.5, 5));
        var e = Assert.ThrowsExactly<ArgumentException>(() => estimator.Estimate(new Complex[39], new double[2]));
        StringAssert.Contains(e.Message, "39");
    }
}
