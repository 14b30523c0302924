using E2EDeploy.Shared.Models;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Estimators;

/// <summary>
/// The plug-in point for UE estimators: an estimator that was trained (or built from trained parts), that the exporter turns
/// into the version's estimator file, and that the manifest describes. <see cref="Registry.ModelPublisher"/> takes one.
/// Implementations: <see cref="LearnedDecoderEstimator"/> (the paper's decoder) and <see cref="FisherScoringEstimator"/>
/// (the decoder followed by Fisher-scoring steps, the released models' estimator). Whoever creates one disposes it; it never
/// disposes the autoencoder whose parts it uses.
/// </summary>
public interface IExportableEstimator : IDisposable
{
    /// <summary><see cref="ModelKind.AodEstimator"/> or <see cref="ModelKind.PositionEstimator"/>.</summary>
    ModelKind Kind { get; }

    /// <summary>What the manifest records of it (its <c>estimator</c> object).</summary>
    ManifestEstimator Description { get; }

    /// <summary>The TorchSharp form: input [B, width of the contract], output [B, 1] rad (AoD) or [B, 2] m (position).</summary>
    nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>
    /// What the exported graph computes, which the export check holds it to: <see cref="Module"/>, or for an estimator
    /// whose runtime runs a stage after the graph (<see cref="ManifestEstimator.RuntimeScoring"/>) the part before it.
    /// </summary>
    nn.Module<Tensor, Tensor> GraphModule => Module;

    /// <summary>
    /// Inputs for the export check (row-major, contract layout), or null for the check's own random inputs. A model-based
    /// estimator needs inputs drawn through the channel, where its likelihood steps are defined.
    /// </summary>
    float[]? CheckInputs { get; }

    /// <summary>The ONNX model (IR 8, opset 17) of <see cref="Module"/>, with <paramref name="metadata"/> as its metadata_props.</summary>
    byte[] Export(IReadOnlyDictionary<string, string> metadata);
}
