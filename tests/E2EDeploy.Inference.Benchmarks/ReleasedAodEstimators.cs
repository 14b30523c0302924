using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// The cost of the Fisher-scoring refinement at the UE: the released aod-none v4 (the learned decoder, which takes U)
/// against aod-none v9 (a decoder and precoders fine-tuned from v4 for a lower threshold, and 3 scoring steps per BS inside the graph) and the ML estimator eq. (11),
/// on the same 4,096 observations (U1 = [40, 60] deg, 20 dB, the benchmark precoder), in batches of 256 on one thread.
/// The models are read from the repository's models/ (E2E_MODELS overrides the folder).
/// </summary>
[Config(typeof(BenchConfig))]
public class ReleasedAodEstimators
{
    private const int Count = 4096;
    private const int Chunk = 256;
    private UeAodEstimator learned = null!;
    private UeAodEstimator refined = null!;
    private MlAodEstimator ml = null!;
    private AngularRegion region;
    private Complex[] observations = null!;
    private double[] estimates = null!;

    /// <summary>models/ of the repository that holds the current folder, or E2E_MODELS.</summary>
    public static string ReleasedRegistry()
    {
        if (Environment.GetEnvironmentVariable("E2E_MODELS") is { Length: > 0 } path)
        {
            return path;
        }

        for (DirectoryInfo? folder = new(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "E2EDeploy.sln")))
            {
                return Path.Combine(folder.FullName, "models");
            }
        }

        throw new DirectoryNotFoundException($"no E2EDeploy.sln above '{Directory.GetCurrentDirectory()}': run from the repository or set E2E_MODELS.");
    }

    [GlobalSetup]
    public void Setup()
    {
        string registry = ReleasedRegistry();
        learned = UeAodEstimator.Load(ModelReference.Registry(registry, "aod-none/v4"));
        refined = UeAodEstimator.Load(ModelReference.Registry(registry, "aod-none/v9"));
        (region, Precoder precoder, observations) = BenchmarkObservations.Aod(Count);
        ml = new MlAodEstimator(precoder, region, ArrayResponse.Nominal(32));
        estimates = new double[Count];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "aod-none v4, learned decoder")]
    public void Learned() => Run(learned);

    [Benchmark(OperationsPerInvoke = Count, Description = "aod-none v9, decoder + 3 scoring steps")]
    public void Refined() => Run(refined);

    [Benchmark(OperationsPerInvoke = Count, Description = "ML eq. (11)")]
    public void Ml() => ml.Estimate(observations, estimates);

    [GlobalCleanup]
    public void Cleanup()
    {
        learned.Dispose();
        refined.Dispose();
    }

    private void Run(UeAodEstimator estimator)
    {
        for (int c = 0; c < Count / Chunk; c++)
        {
            estimator.Estimate(observations.AsSpan(c * Chunk * 20, Chunk * 20), region, estimates.AsSpan(c * Chunk, Chunk));
        }
    }
}
