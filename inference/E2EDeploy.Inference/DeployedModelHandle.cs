using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// What every deployed model exposes: its name, its manifest, and ownership of its ONNX Runtime session.
/// Dispose it when done; calls after disposal throw <see cref="ObjectDisposedException"/>.
/// </summary>
public abstract class DeployedModelHandle : IDisposable
{
    private readonly IDisposable? companion;

    /// <summary>Takes ownership of <paramref name="model"/> and of <paramref name="companion"/> (what else the handle runs, e.g. <see cref="RuntimeScoring"/>), if any.</summary>
    private protected DeployedModelHandle(DeployedModel model, IDisposable? companion = null)
    {
        Model = model;
        this.companion = companion;
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
        companion?.Dispose();
        Model.Dispose();
        GC.SuppressFinalize(this);
    }
}
