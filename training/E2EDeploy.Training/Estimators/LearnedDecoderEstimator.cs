using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Estimators;

/// <summary>
/// The paper's UE estimator: the autoencoder's learned decoder (Fig. 2 or 3), exported as it is, with the decoder's own
/// options (the regions as input, the projection onto U or P). It uses the autoencoder's decoder and owns nothing.
/// </summary>
public sealed class LearnedDecoderEstimator : IExportableEstimator
{
    private readonly Autoencoder model;

    /// <summary>Wraps the decoder of <paramref name="model"/>, which must outlive this estimator.</summary>
    public LearnedDecoderEstimator(Autoencoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        (Kind, bool takesRegion, bool projects) = model switch
        {
            AodAutoencoder aod => (ModelKind.AodEstimator, aod.Decoder.TakesRegion, aod.Decoder.ProjectsOntoRegion),
            PositionAutoencoder position => (ModelKind.PositionEstimator, position.Decoder.TakesRegion, position.Decoder.ProjectionArea is not null),
            _ => throw new ArgumentException($"model {model.GetType().Name}: expected an AoD or a position autoencoder.", nameof(model)),
        };
        Description = new ManifestEstimator { Kind = ManifestEstimator.LearnedDecoderKind, TakesRegion = takesRegion, ProjectsOntoPrior = projects };
    }

    /// <inheritdoc />
    public ModelKind Kind { get; }

    /// <inheritdoc />
    public ManifestEstimator Description { get; }

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Module => model switch
    {
        AodAutoencoder aod => aod.Decoder,
        _ => ((PositionAutoencoder)model).Decoder,
    };

    /// <inheritdoc />
    public float[]? CheckInputs => null;

    /// <inheritdoc />
    public byte[] Export(IReadOnlyDictionary<string, string> metadata) => model switch
    {
        AodAutoencoder aod => OnnxExporter.Export(aod.Decoder, model.Scenario.AntennaCount, model.Scenario.BaseStationCount, metadata),
        _ => OnnxExporter.Export(((PositionAutoencoder)model).Decoder, model.Scenario.AntennaCount, metadata),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        // The decoder belongs to the autoencoder.
    }
}
