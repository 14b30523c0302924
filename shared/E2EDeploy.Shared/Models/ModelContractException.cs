namespace E2EDeploy.Shared.Models;

/// <summary>
/// A deployed model does not fit its contract or its manifest: the message names the model (family/version and
/// file), and the expected and actual values.
/// </summary>
public sealed class ModelContractException : Exception
{
    /// <summary>Creates the exception for <paramref name="model"/> (e.g. aod-20db-none/v1/aod-estimator.onnx).</summary>
    public ModelContractException(string model, string message, Exception? inner = null)
        : base($"{model}: {message}", inner)
    {
        Model = model;
    }

    /// <summary>The model, as family/version/file.</summary>
    public string Model { get; }
}
