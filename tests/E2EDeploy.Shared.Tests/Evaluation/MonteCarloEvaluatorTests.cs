using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Evaluation;

[TestClass]
public sealed class MonteCarloEvaluatorTests
{
    private sealed class ConstantAodEstimator(double value) : IAodEstimator
    {
        public int TransmissionCount => 20;

        public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad) => aodRad.Fill(value);
    }

    [TestMethod]
    public void ConstantEstimatorAtTheCentreHasTheRmseOfAUniformAngle()
    {
        // theta ~ U(U): an estimator that always answers the centre has RMSE = width / sqrt(12).
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        (AodExperiment experiment, _) = BenchmarkSweep.AodSetup(Scenario.Paper, 0, region);
        EvaluationPoint point = MonteCarloEvaluator.EvaluateAod(experiment, new ConstantAodEstimator(region.CenterRad), 10, new MonteCarloSettings(30000, 3));
        Assert.AreEqual(region.WidthRad / Math.Sqrt(12), point.Rmse, 0.01 * region.WidthRad / Math.Sqrt(12));

        // The error is uniform on [-W/2, W/2]: var(e^2) = W^4 (1/80 - 1/144), so the RMSE's standard error is
        // sqrt(var(e^2) / n) / (2 W / sqrt(12)).
        double w = region.WidthRad;
        double expected = Math.Sqrt(Math.Pow(w, 4) * ((1.0 / 80) - (1.0 / 144)) / 30000) / (2 * w / Math.Sqrt(12));
        Assert.AreEqual(expected, point.RmseStandardError, 0.05 * expected);
    }

    [TestMethod]
    public void BoundIsTheRootOfTheMeanCrbOverUniformAngles()
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        (AodExperiment experiment, MlAodEstimator estimator) = BenchmarkSweep.AodSetup(Scenario.Paper, 0, region);
        EvaluationPoint point = MonteCarloEvaluator.EvaluateAod(experiment, estimator, 20, new MonteCarloSettings(5000, 3));

        // Independent reference: the mean CRB over U by the trapezoidal rule on 2001 angles.
        double[] grid = region.EvenGrid(2001);
        double[] crb = grid.Select(theta => AodCramerRaoBound.Compute(experiment.Precoder, experiment.TrueArray, theta, 20)).ToArray();
        double mean = 0;
        for (int i = 1; i < grid.Length; i++)
        {
            mean += 0.5 * (crb[i] + crb[i - 1]) / (grid.Length - 1);
        }

        Assert.AreEqual(Math.Sqrt(mean), point.Bound, 0.01 * Math.Sqrt(mean));
    }

    [TestMethod]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        (PositionExperiment experiment, MlPositionEstimator estimator) = BenchmarkSweep.PositionSetup(Scenario.Paper, new PlanePoint(0.5, 5));
        EvaluationPoint one = MonteCarloEvaluator.EvaluatePosition(experiment, estimator, 10, new MonteCarloSettings(400, 4, ChunkSize: 50, MaxDegreeOfParallelism: 1));
        EvaluationPoint many = MonteCarloEvaluator.EvaluatePosition(experiment, estimator, 10, new MonteCarloSettings(400, 4, ChunkSize: 50, MaxDegreeOfParallelism: 4));
        Assert.AreEqual(one, many);
    }

    [TestMethod]
    public void ModelMismatchLeavesTheBenchmarkAboveItsBoundAtHighSnr()
    {
        Scenario impaired = Scenario.Paper with { Impairments = new ImpairmentSettings { Kind = ImpairmentKind.Spacing } };
        EvaluationPoint point = BenchmarkSweep.Aod(impaired, 0, AngularRegion.FromDegrees(40, 60), [30], new MonteCarloSettings(2000, 1))[0];
        Assert.IsGreaterThan(2.0, point.Ratio, $"RMSE / sqrt(CRB) = {point.Ratio}");
    }

    [TestMethod]
    public void RejectsBadSettingsAndMismatchedEstimators()
    {
        (AodExperiment experiment, MlAodEstimator estimator) = BenchmarkSweep.AodSetup(Scenario.Paper, 0, AngularRegion.FromDegrees(40, 60));
        var e1 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MonteCarloEvaluator.EvaluateAod(experiment, estimator, 10, new MonteCarloSettings(0, 1)));
        StringAssert.Contains(e1.Message, "trials = 0");
        var e2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MonteCarloEvaluator.EvaluateAod(experiment, estimator, double.NaN, new MonteCarloSettings(10, 1)));
        StringAssert.Contains(e2.Message, "NaN");
    }
}
