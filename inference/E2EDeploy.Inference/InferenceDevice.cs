namespace E2EDeploy.Inference;

/// <summary>Where ONNX Runtime runs a deployed model (<see cref="InferenceOptions.Device"/>).</summary>
public enum InferenceDevice
{
    /// <summary>ONNX Runtime's CPU execution provider (the default).</summary>
    Cpu,

    /// <summary>
    /// The CUDA execution provider on GPU 0; loading fails with <see cref="InvalidOperationException"/> where it is not
    /// available (a build without -p:OrtGpu=true, no GPU, or no CUDA and cuDNN libraries).
    /// </summary>
    Cuda,

    /// <summary>The CUDA execution provider where it is available, else the CPU; <see cref="DeployedModelHandle.ExecutionProvider"/> says which, and why.</summary>
    CudaIfAvailable,
}
