using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// The cost of the Fisher-scoring refinement at the UE, on released models: position-none-snr05 v1 (the learned
/// decoder, which takes the regions) against position-none v5 (a decoder of the same size and 3 joint scoring steps, run by the runtime
/// in p inside the graph) and the ML estimator eq. (11, 12), on the same 4,096 observations
/// (<see cref="BenchmarkObservations.Position"/>), in batches of 256 on one thread.
/// The models are read from the repository's models/ (E2E_MODELS overrides the folder).
/// </summary>
[Config(typeof(BenchConfig))]
public class ReleasedPositionEstimators
{
    private const int Count = 4096;
    private const int Chunk = 256;
    private UePositionEstimator learned = null!;
    private UePositionEstimator refined = null!;
    private MlPositionEstimator ml = null!;
    private AngularRegion[] regions = null!;
    private Complex[] observations = null!;
    private double[] estimates = null!;
    private int perSample;

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
        learned = UePositionEstimator.Load(ModelReference.Registry(registry, "position-none-snr05/v1"));
        refined = UePositionEstimator.Load(ModelReference.Registry(registry, "position-none/v5"));
        (regions, ml, observations) = BenchmarkObservations.Position(Scenario.Paper, Count);
        perSample = Scenario.Paper.BaseStationCount * Scenario.Paper.TransmissionCount;
        estimates = new double[Count * 2];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "position-none-snr05 v1, learned decoder")]
    public void Learned() => Run(learned);

    [Benchmark(OperationsPerInvoke = Count, Description = "position-none v5, decoder + 3 scoring steps in the runtime")]
    public void Refined() => Run(refined);

    [Benchmark(OperationsPerInvoke = Count, Description = "ML eq. (11, 12)")]
    public void Ml() => ml.Estimate(observations, estimates);

    [GlobalCleanup]
    public void Cleanup()
    {
        learned.Dispose();
        refined.Dispose();
    }

    private void Run(UePositionEstimator estimator)
    {
        for (int c = 0; c < Count / Chunk; c++)
        {
            estimator.Estimate(observations.AsSpan(c * Chunk * perSample, Chunk * perSample), regions, estimates.AsSpan(c * Chunk * 2, Chunk * 2));
        }
    }
}
