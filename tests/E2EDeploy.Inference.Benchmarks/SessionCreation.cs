using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// The time ONNX Runtime takes to create a session for each released estimator file, with the runtime's session
/// settings (and with no graph optimisation): the largest part of `e2e infer`'s start-up for the refined estimators. It grows faster than the node count
/// (docs/guide/performance.md).
/// </summary>
[Config(typeof(BenchConfig))]
public class SessionCreation
{
    private string path = "";

    /// <summary>The released estimator file, family/version/file.</summary>
    [Params("position-none-snr05/v1/position-estimator.onnx", "position-none/v5/position-estimator.onnx", "aod-none/v13/aod-estimator.onnx", "aod-none/v13/precoder-bs1.onnx")]
    public string File { get; set; } = "";

    /// <summary>The graph optimisation level: all (the runtime's) or none.</summary>
    [Params("all", "none")]
    public string Optimisation { get; set; } = "";

    [GlobalSetup]
    public void Setup() => path = Path.Combine(ReleasedPositionEstimators.ReleasedRegistry(), File);

    [Benchmark(Description = "new InferenceSession")]
    public void Create()
    {
        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        if (Optimisation == "none")
        {
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
        }

        using var session = new InferenceSession(path, options);
    }
}
