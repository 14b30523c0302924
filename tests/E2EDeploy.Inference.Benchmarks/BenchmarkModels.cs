using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

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
