using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The UE-side position estimator f_beta (section III-A3, Table I, conventions point 9):
/// y [B, 2 I T] (BS 1's real then imaginary parts, then BS 2's, ...) -> H, H, H, H, 2H, 2H (ReLU) -> 2 (linear).
/// Output: p_hat [B, 2] in metres.
/// With <see cref="DecoderInput.Gram"/> the MLP sees <see cref="GramFeatures"/> of every y_i, [B, 2 I T^2], instead of y.
/// </summary>
public sealed class PositionDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Mlp body;

    /// <summary>Creates the decoder for I BSs, T transmissions and hidden width H.</summary>
    public PositionDecoder(int baseStationCount, int transmissionCount, int hidden, DecoderInput input = DecoderInput.Raw)
        : base(nameof(PositionDecoder))
    {
        BaseStationCount = baseStationCount;
        TransmissionCount = transmissionCount;
        Hidden = hidden;
        Input = input;
        int width = input != DecoderInput.Raw ? GramFeatures.Width(baseStationCount, transmissionCount) : 2 * baseStationCount * transmissionCount;
        body = new Mlp("body", width, [hidden, hidden, hidden, hidden, 2 * hidden, 2 * hidden], 2);
        RegisterComponents();
    }

    /// <summary>I.</summary>
    public int BaseStationCount { get; }

    /// <summary>T.</summary>
    public int TransmissionCount { get; }

    /// <summary>What the MLP sees of y.</summary>
    public DecoderInput Input { get; }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>The MLP (for the exporter).</summary>
    public Mlp Body => body;

    /// <inheritdoc />
    public override Tensor forward(Tensor y)
    {
        if (Input == DecoderInput.Raw)
        {
            return body.call(y);
        }

        using var scope = NewDisposeScope();
        return body.call(GramFeatures.Compute(y, BaseStationCount, TransmissionCount, Input == DecoderInput.NormalizedGram)).MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the parameters from <paramref name="generator"/>.</summary>
    public void Initialize(Generator generator) => body.Initialize(generator);
}
