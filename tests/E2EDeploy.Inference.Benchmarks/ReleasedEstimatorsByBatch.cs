using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// Time per estimate of every released estimator kind at batch 1, 16 and 256, in process, on one ONNX Runtime thread,
/// next to the model-based ML estimator on the same observations:
/// <list type="bullet">
/// <item>position-none-snr05 v1: the learned position decoder (takes the regions), the plain decoder of width H = 128;</item>
/// <item>position-none v4: the same decoder and 3 joint Fisher-scoring steps in p (nominal arrays);</item>
/// <item>position-coupling v3: as v4 with the learned (calibrated) arrays;</item>
/// <item>aod-none v12: AoD decoder and 3 scoring steps in theta (nominal array);</item>
/// <item>aod-coupling v8: as v12 with the learned array.</item>
/// </list>
/// Each invocation estimates the same 256 observations (<see cref="BenchmarkObservations"/>, 20 dB) in calls of
/// <see cref="Batch"/> rows. The models are read from the repository's models/ (E2E_MODELS overrides the folder).
/// Speed does not depend on the precoder the observations came through.
/// </summary>
[Config(typeof(BenchConfig))]
public class ReleasedEstimatorsByBatch
{
    private const int Count = 256;
    private UeAodEstimator? aod;
    private UePositionEstimator? position;
    private MlAodEstimator aodMl = null!;
    private MlPositionEstimator positionMl = null!;
    private AngularRegion aodRegion;
    private AngularRegion[] positionRegions = null!;
    private Complex[] aodObservations = null!;
    private Complex[] positionObservations = null!;
    private double[] estimates = null!;
    private int perSample;

    /// <summary>The released model, family/version.</summary>
    [Params("position-none-snr05/v1", "position-none/v4", "position-coupling/v3", "aod-none/v12", "aod-coupling/v8")]
    public string Model { get; set; } = "";

    /// <summary>Rows per call.</summary>
    [Params(1, 16, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string registry = ReleasedPositionEstimators.ReleasedRegistry();
        Precoder precoder;
        (aodRegion, precoder, aodObservations) = BenchmarkObservations.Aod(Count);
        aodMl = new MlAodEstimator(precoder, aodRegion, ArrayResponse.Nominal(32));
        (positionRegions, positionMl, positionObservations) = BenchmarkObservations.Position(Scenario.Paper, Count);
        perSample = Scenario.Paper.BaseStationCount * Scenario.Paper.TransmissionCount;
        estimates = new double[Count * 2];
        if (Model.StartsWith("aod-", StringComparison.Ordinal))
        {
            aod = UeAodEstimator.Load(ModelReference.Registry(registry, Model));
        }
        else
        {
            position = UePositionEstimator.Load(ModelReference.Registry(registry, Model));
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "released estimator")]
    public void Released()
    {
        if (aod is not null)
        {
            for (int c = 0; c < Count / Batch; c++)
            {
                aod.Estimate(aodObservations.AsSpan(c * Batch * 20, Batch * 20), aodRegion, estimates.AsSpan(c * Batch, Batch));
            }
        }
        else
        {
            for (int c = 0; c < Count / Batch; c++)
            {
                position!.Estimate(positionObservations.AsSpan(c * Batch * perSample, Batch * perSample), positionRegions, estimates.AsSpan(c * Batch * 2, Batch * 2));
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "ML eq. (11) or (11, 12)")]
    public void Ml()
    {
        if (aod is not null)
        {
            for (int c = 0; c < Count / Batch; c++)
            {
                aodMl.Estimate(aodObservations.AsSpan(c * Batch * 20, Batch * 20), estimates.AsSpan(c * Batch, Batch));
            }
        }
        else
        {
            for (int c = 0; c < Count / Batch; c++)
            {
                positionMl.Estimate(positionObservations.AsSpan(c * Batch * perSample, Batch * perSample), estimates.AsSpan(c * Batch * 2, Batch * 2));
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        aod?.Dispose();
        position?.Dispose();
    }
}
