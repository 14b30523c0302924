using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// ONNX Runtime's session settings against the retired graph form of the refined AoD estimator (aod-none v12, 946 nodes; <see cref="RetiredGraphForm"/>) at batch 1:
/// one call on one observation of the benchmark's (20 dB, U1 = [40, 60] deg) through a pre-bound
/// <see cref="OrtIoBinding"/>, as <see cref="DeployedModel"/> makes it, for each graph optimisation level, without
/// pre-packing of constant weights and without the memory pattern. The runtime's own settings are the first row's
/// (one intra-op thread, sequential execution, all optimisations).
/// </summary>
[Config(typeof(BenchConfig))]
public class SessionSettingsAtBatchOne
{
    private AodRunAtBatchOne run = null!;

    /// <summary>The graph optimisation level (all, extended, basic, none), or all with constant weights not pre-packed, or all without the memory pattern.</summary>
    [Params("all (runtime)", "extended", "basic", "none", "no prepack", "no mem pattern")]
    public string Setting { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string path = RetiredGraphForm.AodEstimator();
        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        switch (Setting)
        {
            case "extended": options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED; break;
            case "basic": options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC; break;
            case "none": options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL; break;
            case "no prepack": options.AddSessionConfigEntry("session.disable_prepacking", "1"); break;
            case "no mem pattern": options.EnableMemoryPattern = false; break;
        }

        run = new AodRunAtBatchOne(new InferenceSession(path, options));
    }

    [Benchmark(Description = "one estimate at batch 1")]
    public void Run() => run.Run();

    [GlobalCleanup]
    public void Cleanup() => run.Dispose();
}
