using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// The precoder of aod-none v13 (the weights of v12) (BS 1, H = 128, xi [N, 3] -&gt; F [N, 2, 32, 20]) three ways, all with the same weights:
/// the released file (written by our exporter when it was released), the same weights through our exporter today, and
/// the PyTorch network of tools/performance/pytorch_aod_step.py written by torch.onnx.export. All run in ONNX Runtime
/// with the runtime's session options (one thread, sequential), RunWithBinding on pre-bound buffers. Make the two files
/// first with <c>tools/performance/torch-onnx-files.sh</c> (docs/guide/performance.md). The setup fails unless each
/// gives the released file's F within 1e-5 on 64 regions of the AoD prior.
/// </summary>
[Config(typeof(BenchConfig))]
public class TorchOnnxExportVersusOurExporter
{
    private const double Tolerance = 1e-5;
    private Session released = null!;
    private Session ours = null!;
    private Session torch = null!;

    /// <summary>Rows per call.</summary>
    [Params(1, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string registry = ReleasedPositionEstimators.ReleasedRegistry();
        string releasedPath = Path.Combine(registry, "aod-none", "v13", "precoder-bs1.onnx");
        string folder = Path.Combine(Path.GetDirectoryName(registry)!, "BenchmarkDotNet.Artifacts", "torch");
        string oursPath = Path.Combine(folder, "precoder-ours.onnx");
        string torchPath = Path.Combine(folder, "precoder-torch.onnx");
        foreach (string path in new[] { oursPath, torchPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run tools/performance/torch-onnx-files.sh first.", path);
            }
        }

        released = new Session(releasedPath, Batch);
        ours = new Session(oursPath, Batch);
        torch = new Session(torchPath, Batch);

        // The same outputs on 64 regions of the AoD prior (rows of [theta_min, theta_max, half-width], rad).
        var random = new Random(3);
        float[] xi = new float[64 * 3];
        for (int row = 0; row < 64; row++)
        {
            double width = (10 + (10 * random.NextDouble())) * Math.PI / 180;
            double mean = ((120 * random.NextDouble()) - 60) * Math.PI / 180;
            xi[row * 3] = (float)(mean - (width / 2));
            xi[(row * 3) + 1] = (float)(mean + (width / 2));
            xi[(row * 3) + 2] = (float)(width / 2);
        }

        using var reference = new Session(releasedPath, 64);
        xi.CopyTo(reference.Input, 0);
        reference.Run();
        foreach ((string name, string path) in new[] { ("our exporter today", oursPath), ("torch.onnx.export", torchPath) })
        {
            using var check = new Session(path, 64);
            xi.CopyTo(check.Input, 0);
            check.Run();
            double largest = reference.Output.Zip(check.Output, (a, b) => Math.Abs(a - b)).Max();
            Console.WriteLine($"// {name}: largest |F - F_released| over 64 regions x 1280 values: {largest:E2} (tolerance {Tolerance:E0})");
            if (largest > Tolerance)
            {
                throw new InvalidOperationException($"{path} differs from the released file by {largest:E2}: expected at most {Tolerance:E0}.");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "torch.onnx.export, same weights")]
    public void Torch() => torch.Run();

    [Benchmark(Description = "our exporter today")]
    public void Ours() => ours.Run();

    [Benchmark(Description = "released file (our exporter, 2026-11)")]
    public void Released() => released.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        released.Dispose();
        ours.Dispose();
        torch.Dispose();
    }

    /// <summary>One file's session with bound input xi [batch, 3] and output F [batch, 2, 32, 20].</summary>
    private sealed class Session : IDisposable
    {
        private readonly InferenceSession session;
        private readonly OrtValue input;
        private readonly OrtValue output;
        private readonly OrtIoBinding binding;
        private readonly RunOptions options = new();

        public Session(string path, int batch)
        {
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            session = new InferenceSession(path, sessionOptions);
            Input = new float[batch * 3];
            for (int row = 0; row < batch; row++)
            {
                Input[row * 3] = 0.698f;
                Input[(row * 3) + 1] = 1.047f;
                Input[(row * 3) + 2] = 0.1745f;
            }

            Output = new float[batch * 2 * 32 * 20];
            input = OrtValue.CreateTensorValueFromMemory(Input, [batch, 3]);
            output = OrtValue.CreateTensorValueFromMemory(Output, [batch, 2, 32, 20]);
            binding = session.CreateIoBinding();
            binding.BindInput(session.InputNames[0], input);
            binding.BindOutput(session.OutputNames[0], output);
        }

        public float[] Input { get; }

        public float[] Output { get; }

        public void Run() => session.RunWithBinding(options, binding);

        public void Dispose()
        {
            binding.Dispose();
            input.Dispose();
            output.Dispose();
            options.Dispose();
            session.Dispose();
        }
    }
}
