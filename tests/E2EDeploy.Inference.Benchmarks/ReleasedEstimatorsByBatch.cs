using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;
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
/// <item>position-none v5: the same decoder and 3 joint Fisher-scoring steps in p (nominal arrays), the steps run by the
/// runtime (v4 had them in its graph);</item>
/// <item>position-coupling v4: as v5 with the learned (calibrated) arrays (v3 in the graph);</item>
/// <item>aod-none v13: AoD decoder and 3 scoring steps in theta per BS (nominal array), in the runtime (v12 in the graph);</item>
/// <item>aod-coupling v9: as v13 with the learned array (v8 in the graph).</item>
/// </list>
/// Beside each, its ONNX graph alone in a bare session (the estimator file: for a version whose runtime runs the scoring
/// steps, the plain learned decoder of the same width). Each invocation estimates the same 256 observations (<see cref="BenchmarkObservations"/>, 20 dB) in calls of
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
    private float[] contractRows = null!;
    private float[] graphInput = null!;
    private int rowWidth;
    private InferenceSession graphSession = null!;
    private OrtValue graphInputValue = null!;
    private OrtValue graphOutputValue = null!;
    private OrtIoBinding graphBinding = null!;
    private RunOptions graphRunOptions = null!;

    /// <summary>The released model, family/version.</summary>
    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    /// <summary>
    /// The models to run: E2E_BENCHMARK_MODELS (family/version separated by commas), or the released versions of the five
    /// kinds. A before/after table names both versions and points E2E_MODELS at a registry that holds them.
    /// </summary>
    public static IEnumerable<string> Models() =>
        Environment.GetEnvironmentVariable("E2E_BENCHMARK_MODELS") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ["position-none-snr05/v1", "position-none/v5", "position-coupling/v4", "aod-none/v13", "aod-coupling/v9"];

    /// <summary>Rows per call: 1, 16 and 256, or E2E_BENCHMARK_BATCHES (separated by commas, each dividing 256).</summary>
    [ParamsSource(nameof(Batches))]
    public int Batch { get; set; }

    /// <summary>The batch sizes to run.</summary>
    public static IEnumerable<int> Batches() =>
        Environment.GetEnvironmentVariable("E2E_BENCHMARK_BATCHES") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture))
            : [1, 16, 256];

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

        // The estimator file alone in a bare session (the plain decoder where the runtime runs the scoring steps), on the
        // same observations as contract rows y_xi, bound once for Batch rows.
        DeployedModelHandle handle = (DeployedModelHandle?)aod ?? position!;
        ModelSignature signature = handle.Manifest.SignatureOf(aod is null ? ModelKind.PositionEstimator : ModelKind.AodEstimator);
        rowWidth = (int)signature.Input.RowLength;
        contractRows = new float[Count * rowWidth];
        for (int b = 0; b < Count; b++)
        {
            Span<float> row = contractRows.AsSpan(b * rowWidth, rowWidth);
            if (aod is not null)
            {
                ContractLayout.WriteComplex(aodObservations.AsSpan(b * 20, 20), row[..40]);
                ContractLayout.WriteRegion(aodRegion, row[40..]);
            }
            else
            {
                int t = Scenario.Paper.TransmissionCount;
                for (int i = 0; i < positionRegions.Length; i++)
                {
                    ContractLayout.WriteComplex(positionObservations.AsSpan((b * perSample) + (i * t), t), row.Slice(2 * t * i, 2 * t));
                    ContractLayout.WriteRegion(positionRegions[i], row.Slice((2 * perSample) + (ModelContract.RegionWidth * i), ModelContract.RegionWidth));
                }
            }
        }

        string file = handle.Manifest.Files.Single(f => f.BaseStation is null).File;
        using (var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
        {
            graphSession = new InferenceSession(Path.Combine(registry, Model, file), options);
        }

        graphInput = new float[Batch * rowWidth];
        graphInputValue = OrtValue.CreateTensorValueFromMemory(graphInput, [Batch, rowWidth]);
        graphOutputValue = OrtValue.CreateTensorValueFromMemory(new float[Batch * signature.Output.RowLength], [Batch, .. signature.Output.Shape.Skip(1)]);
        graphBinding = graphSession.CreateIoBinding();
        graphBinding.BindInput(signature.Input.Name, graphInputValue);
        graphBinding.BindOutput(signature.Output.Name, graphOutputValue);
        graphRunOptions = new RunOptions();
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "its ONNX graph alone")]
    public void Graph()
    {
        for (int c = 0; c < Count / Batch; c++)
        {
            contractRows.AsSpan(c * Batch * rowWidth, Batch * rowWidth).CopyTo(graphInput);
            graphSession.RunWithBinding(graphRunOptions, graphBinding);
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
        graphBinding.Dispose();
        graphInputValue.Dispose();
        graphOutputValue.Dispose();
        graphRunOptions.Dispose();
        graphSession.Dispose();
    }
}
