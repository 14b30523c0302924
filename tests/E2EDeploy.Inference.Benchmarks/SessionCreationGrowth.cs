using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// How ONNX Runtime's session creation grows with the graph: the first 100, 300, 500 and 700 nodes of the released
/// retired aod-none v12 estimator (946 nodes, the scoring steps in the graph; <see cref="RetiredGraphForm"/>), and a chain of 900 element-wise
/// nodes, with the runtime's session settings. Make the files first with
/// <c>python3 tools/performance/session_growth_files.py</c> (docs/guide/performance.md).
/// </summary>
[Config(typeof(BenchConfig))]
public class SessionCreationGrowth
{
    private string path = "";

    /// <summary>The file of BenchmarkDotNet.Artifacts/session-growth.</summary>
    [Params("first-100-nodes.onnx", "first-300-nodes.onnx", "first-500-nodes.onnx", "first-700-nodes.onnx", "chain-900-nodes.onnx")]
    public string File { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        path = Path.Combine(Path.GetDirectoryName(ReleasedPositionEstimators.ReleasedRegistry())!, "BenchmarkDotNet.Artifacts", "session-growth", File);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist: run `python3 tools/performance/session_growth_files.py` first.", path);
        }
    }

    [Benchmark(Description = "new InferenceSession")]
    public void Create()
    {
        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        using var session = new InferenceSession(path, options);
    }
}
