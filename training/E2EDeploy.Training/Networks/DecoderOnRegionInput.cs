using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// A learned decoder seen through the input of an estimator that takes the region(s), y_xi [B, 2T + 3] (AoD) or
/// [B, 2IT + 3I] (position): a decoder that takes them gets the whole row, one that does not gets y, the first
/// <c>observationWidth</c> columns. What the graph of an estimator whose runtime runs the scoring steps computes
/// (its export check holds the graph to this). Holds a reference to the autoencoder's decoder; disposing it releases only its own handle.
/// </summary>
public sealed class DecoderOnRegionInput : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> decoder;
    private readonly bool decoderTakesRegion;
    private readonly long observationWidth;

    /// <summary>Wraps <paramref name="decoder"/>; <paramref name="observationWidth"/> is 2T (AoD) or 2IT (position).</summary>
    public DecoderOnRegionInput(nn.Module<Tensor, Tensor> decoder, bool decoderTakesRegion, long observationWidth)
        : base(nameof(DecoderOnRegionInput))
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationWidth, 2);
        this.decoder = decoder;
        this.decoderTakesRegion = decoderTakesRegion;
        this.observationWidth = observationWidth;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => decoderTakesRegion ? decoder.call(input) : decoder.call(input.narrow(1, 0, observationWidth));
}
