using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference;

/// <summary>How a deployed model runs.</summary>
public sealed record InferenceOptions
{
    /// <summary>Threads ONNX Runtime may use inside one call (intra-op), &gt;= 1. Default 1, which suits many threads calling at once.</summary>
    public int ThreadsPerSession { get; init; } = 1;

    /// <summary>
    /// Where the model runs: <see cref="InferenceDevice.Cpu"/> (default), <see cref="InferenceDevice.Cuda"/> (needs a
    /// build with -p:OrtGpu=true, which references Microsoft.ML.OnnxRuntime.Gpu, a GPU, CUDA and cuDNN; fails clearly
    /// otherwise) or <see cref="InferenceDevice.CudaIfAvailable"/> (falls back to the CPU).
    /// </summary>
    public InferenceDevice Device { get; init; } = InferenceDevice.Cpu;

    /// <summary>If set, the model's Ntx, T and I must match this scenario's, or loading fails.</summary>
    public Scenario? Scenario { get; init; }

    /// <summary>Defaults.</summary>
    public static InferenceOptions Default { get; } = new();
}
