using System.Numerics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>Where the benchmarked H = 256 models are: $E2E_BENCH_REGISTRY (default BenchmarkDotNet.Artifacts/models), families bench-aod/v1 and bench-position/v1.</summary>
public static class BenchmarkModels
{
    public static string Registry => Environment.GetEnvironmentVariable("E2E_BENCH_REGISTRY") is { Length: > 0 } path
        ? path
        : Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "models");

    public static ModelReference Aod => ModelReference.Registry(Registry, "bench-aod/v1");

    public static ModelReference Position => ModelReference.Registry(Registry, "bench-position/v1");

    public static string File(string family, string file) => Path.Combine(Registry, family, "v1", file);
}

/// <summary>In-process, one launch, 3 warm-up and 15 measured iterations; reports allocations.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median);
        AddLogger(DefaultConfig.Instance.GetLoggers().ToArray());
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddExporter(DefaultConfig.Instance.GetExporters().ToArray());
    }
}

/// <summary>The benchmarks' observations, one definition for all of them.</summary>
public static class BenchmarkObservations
{
    /// <summary>
    /// <paramref name="count"/> observations y [count x T] of BS 1 (N = 32, T = 20) for theta ~ U(U1 = [40, 60] deg) at
    /// <paramref name="snrDb"/>, through the benchmark precoder of U1 and the nominal array, seed 3; with U1 and the precoder.
    /// </summary>
    public static (AngularRegion Region, Precoder Precoder, Complex[] Observations) Aod(int count, double snrDb = 20)
    {
        AngularRegion region = PaperTestPoints.AodRegion;
        Precoder precoder = BenchmarkPrecoder.Design(region, 32, 20).Precoder;
        Random random = RandomSources.Create(3);
        double[] thetas = Enumerable.Range(0, count).Select(_ => region.MinRad + (region.WidthRad * random.NextDouble())).ToArray();
        var observations = new Complex[count * 20];
        new ChannelSimulator(ArrayResponse.Nominal(32)).Simulate(thetas, precoder, snrDb, random, observations);
        return (region, precoder, observations);
    }

    /// <summary>
    /// <paramref name="count"/> observations y [count x I x T] of the paper's test point p = [0.5, 5] m (docs/conventions.md point 11) at
    /// <paramref name="snrDb"/>, through the benchmark precoders of its regions U_i = theta_i(p) +/- 15 deg and the nominal
    /// arrays, seed 3; with the regions [I] and the ML estimator eq. (11, 12) of those precoders.
    /// </summary>
    public static (AngularRegion[] Regions, MlPositionEstimator Ml, Complex[] Observations) Position(Scenario scenario, int count, double snrDb = 20)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        PlanePoint point = PaperTestPoints.Position;
        (PositionExperiment experiment, MlPositionEstimator ml) = BenchmarkSweep.PositionSetup(scenario, point);
        int bsCount = scenario.BaseStationCount;
        int t = scenario.TransmissionCount;
        Random random = RandomSources.Create(3);
        var observations = new Complex[count * bsCount * t];
        var perBs = new Complex[t];
        ChannelSimulator[] simulators = experiment.TrueArrays.Select(array => new ChannelSimulator(array)).ToArray();
        for (int b = 0; b < count; b++)
        {
            for (int i = 0; i < bsCount; i++)
            {
                simulators[i].Simulate([scenario.BaseStations[i].AodOf(point)], experiment.Precoders[i], snrDb, random, perBs);
                perBs.CopyTo(observations.AsSpan(((b * bsCount) + i) * t, t));
            }
        }

        return (scenario.PositionRegions(point), ml, observations);
    }
}
