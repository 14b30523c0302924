using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// AoD estimates per second on the same 4096 observations (BS 1, U1 = [40, 60] deg, 20 dB, generated with the benchmark
/// precoder): the deployed H = 256 estimator against the ML estimator of eq. (11), on one thread and on all cores.
/// </summary>
[Config(typeof(BenchConfig))]
public class DeployedVersusMlEstimator
{
    private const int Count = 4096;
    private const int Chunk = 256;
    private UeAodEstimator deployed = null!;
    private MlAodEstimator ml = null!;
    private Complex[] observations = null!;
    private double[] estimates = null!;

    [GlobalSetup]
    public void Setup()
    {
        deployed = UeAodEstimator.Load(BenchmarkModels.Aod);
        (AngularRegion region, Precoder precoder, observations) = BenchmarkObservations.Aod(Count);
        ml = new MlAodEstimator(precoder, region, ArrayResponse.Nominal(32));
        estimates = new double[Count];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "ML eq. (11), 1 thread")]
    public void MlOneThread() => ml.Estimate(observations, estimates);

    [Benchmark(OperationsPerInvoke = Count, Description = "deployed, 1 thread")]
    public void DeployedOneThread()
    {
        for (int c = 0; c < Count / Chunk; c++)
        {
            deployed.Estimate(observations.AsSpan(c * Chunk * 20, Chunk * 20), estimates.AsSpan(c * Chunk, Chunk));
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "ML eq. (11), all cores")]
    public void MlAllCores() => Parallel.For(0, Count / Chunk, c => ml.Estimate(observations.AsSpan(c * Chunk * 20, Chunk * 20), estimates.AsSpan(c * Chunk, Chunk)));

    [Benchmark(OperationsPerInvoke = Count, Description = "deployed, all cores")]
    public void DeployedAllCores() => Parallel.For(0, Count / Chunk, c => deployed.Estimate(observations.AsSpan(c * Chunk * 20, Chunk * 20), estimates.AsSpan(c * Chunk, Chunk)));

    [GlobalCleanup]
    public void Cleanup() => deployed.Dispose();
}
