using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// What every deployed model exposes: its name, its manifest, and ownership of its ONNX Runtime session.
/// Dispose it when done; calls after disposal throw <see cref="ObjectDisposedException"/>.
/// </summary>
public abstract class DeployedModelHandle : IDisposable
{
    private protected DeployedModelHandle(DeployedModel model)
    {
        Model = model;
    }

    /// <summary>The model as family/version/file.</summary>
    public string ModelName => Model.Name;

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest => Model.Manifest;

    /// <summary>
    /// The execution provider the model runs on, "CPU" or "CUDA"; for <see cref="InferenceDevice.CudaIfAvailable"/> that
    /// fell back, "CPU (CUDA unavailable: reason)".
    /// </summary>
    public string ExecutionProvider => Model.ExecutionProvider;

    private protected DeployedModel Model { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        GC.SuppressFinalize(this);
    }
}
