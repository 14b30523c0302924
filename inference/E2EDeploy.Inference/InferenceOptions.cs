using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference;

/// <summary>How a deployed model runs.</summary>
public sealed record InferenceOptions
{
    /// <summary>Threads ONNX Runtime may use inside one call (intra-op), &gt;= 1. Default 1, which suits many threads calling at once.</summary>
    public int ThreadsPerSession { get; init; } = 1;

    /// <summary>Run on the CUDA execution provider (needs the Microsoft.ML.OnnxRuntime.Gpu package and a GPU); fails clearly when absent.</summary>
    public bool UseCuda { get; init; }

    /// <summary>If set, the model's Ntx, T and I must match this scenario's, or loading fails.</summary>
    public Scenario? Scenario { get; init; }

    /// <summary>Defaults.</summary>
    public static InferenceOptions Default { get; } = new();
}
