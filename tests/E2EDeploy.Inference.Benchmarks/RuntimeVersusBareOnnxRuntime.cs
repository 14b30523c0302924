using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// Each model (H = 256) through the runtime (checks, conversion from the simulator's types, per-thread bound buffers)
/// next to a bare ONNX Runtime RunWithBinding on pre-bound OrtValues of the same model: the ratio is the runtime's overhead.
/// Batch 1 is latency; batch 4096 is throughput (reported per estimate).
/// </summary>
[Config(typeof(BenchConfig))]
public class RuntimeVersusBareOnnxRuntime
{
    private BsPrecoder precoder = null!;
    private UeAodEstimator aod = null!;
    private UePositionEstimator position = null!;
    private AngularRegion[] regions = null!;
    private Complex[] precoders = null!;
    private Complex[] observations = null!;
    private Complex[] positionObservations = null!;
    private double[] outputs = null!;
    private InferenceSession bareSession = null!;
    private OrtIoBinding bareBinding = null!;
    private RunOptions bareOptions = null!;
    private OrtValue bareInput = null!;
    private OrtValue bareOutput = null!;

    [Params("precoder", "aod", "position")]
    public string Model { get; set; } = "aod";

    [Params(1, 4096)]
    public int Batch { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        precoder = BsPrecoder.Load(BenchmarkModels.Aod);
        aod = UeAodEstimator.Load(BenchmarkModels.Aod);
        position = UePositionEstimator.Load(BenchmarkModels.Position);
        var random = new Random(1);
        regions = Enumerable.Range(0, Batch).Select(_ => AngularRegion.Around((random.NextDouble() - 0.5) * 2, 0.1 + (0.1 * random.NextDouble()))).ToArray();
        precoders = new Complex[Batch * precoder.AntennaCount * precoder.TransmissionCount];
        observations = Enumerable.Range(0, Batch * 20).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
        positionObservations = Enumerable.Range(0, Batch * 40).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
        outputs = new double[Batch * 2];

        (string family, string file, ModelKind kind) = Model switch
        {
            "precoder" => ("bench-aod", "precoder-bs1.onnx", ModelKind.Precoder),
            "aod" => ("bench-aod", "aod-estimator.onnx", ModelKind.AodEstimator),
            _ => ("bench-position", "position-estimator.onnx", ModelKind.PositionEstimator),
        };
        ModelSignature signature = ModelContract.Signature(kind, 32, 20, 2);
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        bareSession = new InferenceSession(BenchmarkModels.File(family, file), sessionOptions);
        float[] input = Enumerable.Range(0, (int)(Batch * signature.Input.RowLength)).Select(i => (float)(((i % 7) - 3) * 0.1)).ToArray();
        bareInput = OrtValue.CreateTensorValueFromMemory(input, [Batch, .. signature.Input.Shape.Skip(1)]);
        bareOutput = OrtValue.CreateTensorValueFromMemory(new float[Batch * signature.Output.RowLength], [Batch, .. signature.Output.Shape.Skip(1)]);
        bareBinding = bareSession.CreateIoBinding();
        bareBinding.BindInput(signature.Input.Name, bareInput);
        bareBinding.BindOutput(signature.Output.Name, bareOutput);
        bareOptions = new RunOptions();
    }

    [Benchmark(Baseline = true, Description = "bare ORT RunWithBinding")]
    public void BareOnnxRuntime() => bareSession.RunWithBinding(bareOptions, bareBinding);

    [Benchmark(Description = "E2EDeploy.Inference")]
    public void Runtime()
    {
        switch (Model)
        {
            case "precoder" when Batch == 1:
                precoder.Compute(regions[0], precoders);
                break;
            case "precoder":
                precoder.Compute(regions, precoders);
                break;
            case "aod" when Batch == 1:
                outputs[0] = aod.Estimate(observations);
                break;
            case "aod":
                aod.Estimate(observations, outputs.AsSpan(0, Batch));
                break;
            case "position" when Batch == 1:
                outputs[0] = position.Estimate(positionObservations).X;
                break;
            default:
                position.Estimate(positionObservations, outputs);
                break;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        precoder.Dispose();
        aod.Dispose();
        position.Dispose();
        bareBinding.Dispose();
        bareInput.Dispose();
        bareOutput.Dispose();
        bareOptions.Dispose();
        bareSession.Dispose();
    }
}
