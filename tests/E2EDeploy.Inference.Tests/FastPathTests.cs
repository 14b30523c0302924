using System.Diagnostics;
using System.Numerics;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Tests.Fixtures;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Tests;

/// <summary>Outputs equal a bare ONNX Runtime run; steady-state calls allocate nothing; one instance serves many threads.</summary>
[TestClass]
public sealed class FastPathTests
{
    [TestMethod]
    public void OutputsEqualABareOnnxRuntimeRunOnTheSameModel()
    {
        using var registry = new FixtureRegistry();
        using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position/v1"));

        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        var f = new Complex[32];
        precoder.Compute(region, f);
        float[] bare = Bare(registry.PathOf("tiny-aod", "precoder-bs1.onnx"), "xi", [(float)region.MinRad, (float)region.MaxRad, (float)(region.WidthRad / 2)], [1, 3], "precoder");
        for (int k = 0; k < 32; k++)
        {
            Assert.AreEqual(new Complex(bare[k], bare[32 + k]), f[k], $"F element {k}: real parts then imaginary parts");
        }

        Assert.AreEqual(1.0, Math.Sqrt(f.Sum(v => v.Magnitude * v.Magnitude)), 1e-6, "unit Frobenius norm");

        Complex[] y = [new(0.5, -1), new(1.5, 0.25), new(-0.75, 2), new(0.1, 0.2)];
        float[] yRow = [0.5f, 1.5f, -0.75f, 0.1f, -1f, 0.25f, 2f, 0.2f];
        Assert.AreEqual((double)Bare(registry.PathOf("tiny-aod", "aod-estimator.onnx"), "y", yRow, [1, 8], "aod")[0], aod.Estimate(y));

        Complex[] both = [.. y, .. y.Select(v => v * 2)];
        float[] bothRow = [.. yRow, .. yRow.Select(v => v * 2)];
        float[] p = Bare(registry.PathOf("tiny-position", "position-estimator.onnx"), "y", bothRow, [1, 16], "position");
        Assert.AreEqual(new PlanePoint(p[0], p[1]), position.Estimate(both));
    }

    [TestMethod]
    public void SteadyStateCallsAllocateNothing()
    {
        using var registry = new FixtureRegistry();
        using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position/v1"));
        using UeAodEstimator aodRegion = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod-region/v1"));
        using UePositionEstimator positionRegion = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position-region/v1"));
        AngularRegion region = AngularRegion.FromDegrees(-30, -20);
        IAodEstimator view = aodRegion.WithRegion(region);
        AngularRegion[] bsRegions = [region, AngularRegion.FromDegrees(35, 55)];
        IPositionEstimator positionView = positionRegion.WithRegions(bsRegions);
        AngularRegion[] regions = Enumerable.Repeat(region, 64).ToArray();
        AngularRegion[] manyRegions = Enumerable.Repeat(region, 4096).ToArray();
        var manyF = new Complex[4096 * 32];
        var f = new Complex[32];
        var fs = new Complex[64 * 32];
        var y = new Complex[4];
        var ys = new Complex[64 * 4];
        var py = new Complex[8];
        var pys = new Complex[64 * 8];
        var aods = new double[64];
        var positions = new double[128];
        (string Name, Action Call)[] calls =
        [
            ("precoder, single", () => precoder.Compute(region, f)),
            ("precoder, batch 64", () => precoder.Compute(regions, fs)),
            ("precoder, batch 4096", () => precoder.Compute(manyRegions, manyF)),
            ("aod, single", () => aod.Estimate(y)),
            ("aod, batch 64", () => aod.Estimate(ys, aods)),
            ("aod with the region, single", () => aodRegion.Estimate(y, region)),
            ("aod with the region, batch 64", () => aodRegion.Estimate(ys, region, aods)),
            ("aod with the region, WithRegion view, batch 64", () => view.Estimate(ys, aods)),
            ("position, single", () => position.Estimate(py)),
            ("position, batch 64", () => position.Estimate(pys, positions)),
            ("position with the regions, single", () => positionRegion.Estimate(py, bsRegions)),
            ("position with the regions, batch 64", () => positionRegion.Estimate(pys, bsRegions, positions)),
            ("position with the regions, WithRegions view, batch 64", () => positionView.Estimate(pys, positions)),
        ];
        foreach ((string name, Action call) in calls)
        {
            Assert.AreEqual(0, AllocationProbe.BytesPerCall(call), $"{name}: bytes allocated per call");
        }
    }

    [TestMethod]
    public void EightThreadsSharingOneInstanceMatchASingleThreadBitForBit()
    {
        const int threads = 8, calls = 100_000, distinct = 1000;
        using var registry = new FixtureRegistry();
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        Random random = RandomSources.Create(4);
        Complex[][] inputs = Enumerable.Range(0, distinct).Select(_ => Enumerable.Range(0, 4).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray()).ToArray();
        double[] reference = inputs.Select(y => aod.Estimate(y)).ToArray();

        long memoryAfterWarmUp = 0;
        var mismatches = new int[threads];
        using var warmedUp = new CountdownEvent(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < calls; i++)
            {
                int k = (i * 7 + t) % distinct;
                if (aod.Estimate(inputs[k]) != reference[k])
                {
                    mismatches[t]++;
                }

                if (i == 10_000 / threads)
                {
                    warmedUp.Signal();
                }
            }
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        warmedUp.Wait();
        GC.Collect();
        memoryAfterWarmUp = Process.GetCurrentProcess().WorkingSet64;
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        GC.Collect();
        long memoryAtEnd = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine($"{threads} threads x {calls:N0} calls: {mismatches.Sum()} mismatches; working set {memoryAfterWarmUp / 1e6:0.0} MB after 10,000 calls, {memoryAtEnd / 1e6:0.0} MB at the end");
        Assert.AreEqual(0, mismatches.Sum(), "outputs that differ from the single-threaded ones");
        Assert.AreEqual(1.0, (double)memoryAtEnd / memoryAfterWarmUp, 0.05, $"working set {memoryAfterWarmUp / 1e6:0.0} MB after the first 10,000 calls, {memoryAtEnd / 1e6:0.0} MB after {threads * calls:N0}");
    }

    [TestMethod]
    public void TheDeployedEstimatorPlugsIntoTheSharedEvaluator()
    {
        using var registry = new FixtureRegistry();
        using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        var experiment = new Shared.Evaluation.AodExperiment(precoder.Compute(region), region, Shared.Antenna.ArrayResponse.Nominal(8));
        Shared.Evaluation.EvaluationPoint point = Shared.Evaluation.MonteCarloEvaluator.EvaluateAod(experiment, aod, 20, new Shared.Evaluation.MonteCarloSettings(2000, 1));
        Assert.AreEqual(2000, point.Trials);
        Assert.IsTrue(double.IsFinite(point.Rmse) && point.Rmse > 0 && point.Bound > 0, $"RMSE {point.Rmse}, bound {point.Bound}");
    }

    private static float[] Bare(string path, string input, float[] data, long[] shape, string output)
    {
        using var session = new InferenceSession(path);
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, [input], [value], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
