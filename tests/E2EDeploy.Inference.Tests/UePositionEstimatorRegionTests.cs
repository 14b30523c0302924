using System.Numerics;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Tests.Fixtures;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Tests;

/// <summary>
/// The position estimator that takes every BS's a-priori region (fixture tiny-position-region, input y_xi [N, 2IT + 3I]):
/// the runtime writes [y_1, ..., y_I, xi_1, ..., xi_I] exactly as a bare ONNX Runtime call with a hand-built row does,
/// needs the regions, and checks them.
/// </summary>
[TestClass]
public sealed class UePositionEstimatorRegionTests
{
    private const int T = 4;
    private const int I = 2;
    private const int Width = (2 * I * T) + (3 * I);

    private static readonly AngularRegion[] Regions = [AngularRegion.FromDegrees(-12, 25), AngularRegion.FromDegrees(30, 55)];

    [TestMethod]
    public void TheRuntimeWritesYThenEveryXiAsABareOnnxRuntimeCallDoes()
    {
        using var registry = new FixtureRegistry();
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position-region/v1"));
        Assert.IsTrue(position.TakesRegion);
        Complex[] y = Observations(3, seed: 4);

        // Independent of the runtime: the contract row built by hand and run on a plain session.
        using var session = new InferenceSession(registry.PathOf("tiny-position-region", "position-estimator.onnx"));
        var row = new float[3 * Width];
        for (int b = 0; b < 3; b++)
        {
            int at = b * Width;
            for (int i = 0; i < I; i++)
            {
                for (int k = 0; k < T; k++)
                {
                    row[at + (i * 2 * T) + k] = (float)y[(b * I * T) + (i * T) + k].Real;
                    row[at + (i * 2 * T) + T + k] = (float)y[(b * I * T) + (i * T) + k].Imaginary;
                }

                int xi = at + (2 * I * T) + (3 * i);
                row[xi] = (float)Regions[i].MinRad;
                row[xi + 1] = (float)Regions[i].MaxRad;
                row[xi + 2] = (float)(Regions[i].WidthRad / 2);
            }
        }

        using OrtValue input = OrtValue.CreateTensorValueFromMemory(row, [3, Width]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, ["y_xi"], [input], ["position"]);
        float[] expected = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        var batch = new double[6];
        position.Estimate(y, Regions, batch);
        var viaView = new double[6];
        position.WithRegions(Regions).Estimate(y, viaView);
        for (int b = 0; b < 3; b++)
        {
            PlanePoint single = position.Estimate(y.AsSpan(b * I * T, I * T), Regions);
            for (int c = 0; c < 2; c++)
            {
                Assert.AreEqual(expected[(2 * b) + c], batch[(2 * b) + c], 0, $"row {b}, coordinate {c}: batch call");
                Assert.AreEqual(expected[(2 * b) + c], viaView[(2 * b) + c], 0, $"row {b}, coordinate {c}: WithRegions view");
            }

            Assert.AreEqual(expected[2 * b], single.X, 0, $"row {b}: single call, x");
            Assert.AreEqual(expected[(2 * b) + 1], single.Y, 0, $"row {b}: single call, y");
        }
    }

    [TestMethod]
    public void EachBaseStationsRegionReachesTheModel()
    {
        using var registry = new FixtureRegistry();
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position-region/v1"));
        Complex[] y = Observations(8, seed: 9);
        var reference = new double[16];
        position.Estimate(y, Regions, reference);
        for (int i = 0; i < I; i++)
        {
            AngularRegion[] moved = [.. Regions];
            moved[i] = AngularRegion.FromDegrees(-60, -40);
            var estimates = new double[16];
            position.Estimate(y, moved, estimates);
            Assert.IsTrue(reference.Zip(estimates).Any(p => p.First != p.Second), $"another region for BS {i + 1} gives other estimates");
        }
    }

    [TestMethod]
    public void WithoutTheRegionsTheCallIsRefusedAndBadRegionsAreNamed()
    {
        using var registry = new FixtureRegistry();
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position-region/v1"));
        var missing = Assert.ThrowsExactly<InvalidOperationException>(() => position.Estimate(new Complex[I * T]));
        StringAssert.Contains(missing.Message, "tiny-position-region/v1/position-estimator.onnx takes each BS's a-priori region U_i after y");
        Assert.ThrowsExactly<InvalidOperationException>(() => ((IPositionEstimator)position).Estimate(new Complex[2 * I * T], new double[4]));
        var count = Assert.ThrowsExactly<ArgumentException>(() => position.Estimate(new Complex[I * T], Regions.AsSpan(0, 1)));
        StringAssert.Contains(count.Message, "regions has length 1: expected one a-priori region per BS, I = 2");
        var bad = Assert.ThrowsExactly<ArgumentException>(() => position.WithRegions([Regions[0], default]));
        StringAssert.Contains(bad.Message, "regions[1] = [0, 0] rad: expected -pi/2 < theta_min < theta_max < pi/2");
    }

    [TestMethod]
    public void ThePapersEstimatorIgnoresTheRegions()
    {
        using var registry = new FixtureRegistry();
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position/v1"));
        Assert.IsFalse(position.TakesRegion);
        Complex[] y = Observations(5, seed: 2);
        var plain = new double[10];
        var withRegions = new double[10];
        position.Estimate(y, plain);
        position.WithRegions(Regions).Estimate(y, withRegions);
        CollectionAssert.AreEqual(plain, withRegions);
    }

    private static Complex[] Observations(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * I * T).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
    }
}
