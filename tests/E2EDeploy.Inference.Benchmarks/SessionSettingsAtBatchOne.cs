using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// ONNX Runtime's session settings against the released refined AoD estimator (aod-none v12, 946 nodes) at batch 1:
/// one call on one observation of the benchmark's (20 dB, U1 = [40, 60] deg) through a pre-bound
/// <see cref="OrtIoBinding"/>, as <see cref="DeployedModel"/> makes it, for each graph optimisation level, without
/// pre-packing of constant weights and without the memory pattern. The runtime's own settings are the first row's
/// (one intra-op thread, sequential execution, all optimisations).
/// </summary>
[Config(typeof(BenchConfig))]
public class SessionSettingsAtBatchOne
{
    private InferenceSession session = null!;
    private OrtIoBinding binding = null!;
    private OrtValue input = null!;
    private OrtValue output = null!;
    private RunOptions runOptions = null!;

    /// <summary>The graph optimisation level (all, extended, basic, none), or all with constant weights not pre-packed, or all without the memory pattern.</summary>
    [Params("all (runtime)", "extended", "basic", "none", "no prepack", "no mem pattern")]
    public string Setting { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(ReleasedPositionEstimators.ReleasedRegistry(), "aod-none", "v12", "aod-estimator.onnx");
        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        switch (Setting)
        {
            case "extended": options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED; break;
            case "basic": options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC; break;
            case "none": options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL; break;
            case "no prepack": options.AddSessionConfigEntry("session.disable_prepacking", "1"); break;
            case "no mem pattern": options.EnableMemoryPattern = false; break;
        }

        session = new InferenceSession(path, options);
        (AngularRegion region, _, System.Numerics.Complex[] observations) = BenchmarkObservations.Aod(1);
        float[] row = new float[2 * 20 + ModelContract.RegionWidth];
        ContractLayout.WriteComplex(observations.AsSpan(0, 20), row.AsSpan(0, 40));
        ContractLayout.WriteRegion(region, row.AsSpan(40));
        input = OrtValue.CreateTensorValueFromMemory(row, [1, row.Length]);
        output = OrtValue.CreateTensorValueFromMemory(new float[1], [1]);
        binding = session.CreateIoBinding();
        binding.BindInput(session.InputNames[0], input);
        binding.BindOutput(session.OutputNames[0], output);
        runOptions = new RunOptions();
    }

    [Benchmark(Description = "one estimate at batch 1")]
    public void Run() => session.RunWithBinding(runOptions, binding);

    [GlobalCleanup]
    public void Cleanup()
    {
        runOptions.Dispose();
        binding.Dispose();
        input.Dispose();
        output.Dispose();
        session.Dispose();
    }
}
