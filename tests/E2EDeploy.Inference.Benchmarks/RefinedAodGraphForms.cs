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
/// The setup of "after" runs both files on the same 2,000 observations (20 dB, U1 = [40, 60] deg), prints the largest
/// difference of their estimates, and fails beyond <see cref="Tolerance"/> (the export check's).
/// </summary>
[Config(typeof(BenchConfig))]
public class RefinedAodGraphForms
{
    private const double Tolerance = 1e-5;
    private string path = "";
    private AodRunAtBatchOne run = null!;

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
        run = new AodRunAtBatchOne(new InferenceSession(path, options));
        if (Form == "after")
        {
            CompareWithBefore(options);
        }

    }

    private void CompareWithBefore(SessionOptions options)
    {
        const int Count = 2000;
        (AngularRegion region, _, System.Numerics.Complex[] observations) = BenchmarkObservations.Aod(Count);
        int width = (2 * 20) + ModelContract.RegionWidth;
        float[] rows = new float[Count * width];
        for (int b = 0; b < Count; b++)
        {
            ContractLayout.WriteComplex(observations.AsSpan(b * 20, 20), rows.AsSpan(b * width, 40));
            ContractLayout.WriteRegion(region, rows.AsSpan((b * width) + 40, ModelContract.RegionWidth));
        }

        float[] Estimates(InferenceSession s)
        {
            using var rowsValue = OrtValue.CreateTensorValueFromMemory(rows, [Count, width]);
            using var run = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = s.Run(run, [s.InputNames[0]], [rowsValue], [s.OutputNames[0]]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }

        using var before = new InferenceSession(Path.Combine(Path.GetDirectoryName(path)!, "before.onnx"), options);
        float[] a = Estimates(before), c = Estimates(run.Session);
        double worst = a.Zip(c, (x, y) => Math.Abs(x - y)).Max();
        Console.WriteLine($"// RefinedAodGraphForms: max |before - after| over {Count} observations = {worst:e3} rad");
        if (!(worst <= Tolerance))
        {
            throw new InvalidOperationException($"the two graph forms differ by {worst:e3} rad: expected <= {Tolerance:e0}.");
        }
    }

    [Benchmark(Description = "one estimate at batch 1")]
    public void Run() => run.Run();

    [Benchmark(Description = "new InferenceSession")]
    public void Create()
    {
        using SessionOptions options = DeployedModel.NewSessionOptions(InferenceOptions.Default);
        using var created = new InferenceSession(path, options);
    }

    [GlobalCleanup]
    public void Cleanup() => run.Dispose();
}
