using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// Two graph forms of the same refined AoD estimator (the same weights, 3 Fisher-scoring steps per BS, 2 BSs): "before",
/// the scoring steps formula by formula (the exporter of the released refined versions), and "after", the block-matrix
/// form of FisherScoringGraph today. One call at batch 1 on one observation of the benchmark's through a pre-bound
/// binding, and the session's creation, with the runtime's settings. Make the files first with
/// <c>tools/performance/refined-graph-forms.sh</c> (docs/guide/performance.md); speed does not depend on the weights.
/// </summary>
[Config(typeof(BenchConfig))]
public class RefinedAodGraphForms
{
    private string path = "";
    private InferenceSession session = null!;
    private OrtIoBinding binding = null!;
    private OrtValue input = null!;
    private OrtValue output = null!;
    private RunOptions runOptions = null!;

    /// <summary>The graph form: before or after.</summary>
    [Params("before", "after")]
    public string Form { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        path = Path.Combine(Path.GetDirectoryName(ReleasedPositionEstimators.ReleasedRegistry())!, "BenchmarkDotNet.Artifacts", "graph-forms", $"{Form}.onnx");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist: run `tools/performance/refined-graph-forms.sh` first.", path);
        }

        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        session = new InferenceSession(path, options);
        (AngularRegion region, _, System.Numerics.Complex[] observations) = BenchmarkObservations.Aod(1);
        float[] row = new float[(2 * 20) + ModelContract.RegionWidth];
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

    [Benchmark(Description = "new InferenceSession")]
    public void Create()
    {
        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        using var created = new InferenceSession(path, options);
    }

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
