using System.Numerics;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Tests.Fixtures;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Tests;

/// <summary>
/// The AoD estimator that takes the a-priori region (fixture tiny-aod-region, input y_xi [N, 2T + 3]): the runtime
/// writes [y, xi] exactly as a bare ONNX Runtime call with a hand-built row does, needs U, and checks it.
/// </summary>
[TestClass]
public sealed class UeAodEstimatorRegionTests
{
    private const int T = 4;

    [TestMethod]
    public void TheRuntimeWritesYThenXiAsABareOnnxRuntimeCallDoes()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod-region/v1"));
        Assert.IsTrue(aod.TakesRegion);
        AngularRegion region = AngularRegion.FromDegrees(-12, 25);
        Complex[] y = Observations(3, seed: 4);

        // Independent of the runtime: the contract row built by hand and run on a plain session.
        using var session = new InferenceSession(registry.PathOf("tiny-aod-region", "aod-estimator.onnx"));
        var row = new float[3 * ((2 * T) + 3)];
        for (int b = 0; b < 3; b++)
        {
            int at = b * ((2 * T) + 3);
            for (int k = 0; k < T; k++)
            {
                row[at + k] = (float)y[(b * T) + k].Real;
                row[at + T + k] = (float)y[(b * T) + k].Imaginary;
            }

            row[at + (2 * T)] = (float)region.MinRad;
            row[at + (2 * T) + 1] = (float)region.MaxRad;
            row[at + (2 * T) + 2] = (float)(region.WidthRad / 2);
        }

        using OrtValue input = OrtValue.CreateTensorValueFromMemory(row, [3, (2 * T) + 3]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, ["y_xi"], [input], ["aod"]);
        float[] expected = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        var batch = new double[3];
        aod.Estimate(y, region, batch);
        var viaView = new double[3];
        aod.WithRegion(region).Estimate(y, viaView);
        for (int b = 0; b < 3; b++)
        {
            Assert.AreEqual(expected[b], batch[b], 0, $"row {b}: batch call");
            Assert.AreEqual(expected[b], viaView[b], 0, $"row {b}: WithRegion view");
            Assert.AreEqual(expected[b], aod.Estimate(y.AsSpan(b * T, T), region), 0, $"row {b}: single call");
        }
    }

    [TestMethod]
    public void TheRegionReachesTheModel()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod-region/v1"));
        Complex[] y = Observations(8, seed: 9);
        var left = new double[8];
        var right = new double[8];
        aod.Estimate(y, AngularRegion.FromDegrees(-60, -40), left);
        aod.Estimate(y, AngularRegion.FromDegrees(40, 60), right);
        Assert.IsTrue(left.Zip(right).Any(p => p.First != p.Second), "the same observations in two regions give other estimates");
    }

    [TestMethod]
    public void WithoutTheRegionTheCallIsRefusedAndABadRegionIsNamed()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod-region/v1"));
        var missing = Assert.ThrowsExactly<InvalidOperationException>(() => aod.Estimate(new Complex[T]));
        StringAssert.Contains(missing.Message, "tiny-aod-region/v1/aod-estimator.onnx takes the a-priori region U after y");
        Assert.ThrowsExactly<InvalidOperationException>(() => ((IAodEstimator)aod).Estimate(new Complex[2 * T], new double[2]));
        var bad = Assert.ThrowsExactly<ArgumentException>(() => aod.Estimate(new Complex[T], default(AngularRegion)));
        StringAssert.Contains(bad.Message, "region = [0, 0] rad: expected -pi/2 < theta_min < theta_max < pi/2");
    }

    [TestMethod]
    public void ThePapersEstimatorIgnoresTheRegion()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        Assert.IsFalse(aod.TakesRegion);
        Complex[] y = Observations(5, seed: 2);
        var plain = new double[5];
        var withRegion = new double[5];
        aod.Estimate(y, plain);
        aod.WithRegion(AngularRegion.FromDegrees(40, 60)).Estimate(y, withRegion);
        CollectionAssert.AreEqual(plain, withRegion);
    }

    private static Complex[] Observations(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * T).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
    }
}
