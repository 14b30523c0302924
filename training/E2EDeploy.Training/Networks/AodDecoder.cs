using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The UE-side AoD estimator f_mu (section III-A2, Table I, conventions point 9), shared by all BSs:
/// y [B, 2T] (real parts, then imaginary parts) -> H, H, H, H, 2H, 2H (ReLU) -> 1 -> tanh -> x pi/2.
/// Output: theta_hat [B] in rad, in [-pi/2, pi/2]. The scaling is part of the module.
/// With <see cref="DecoderInput.Gram"/> the MLP sees <see cref="GramFeatures"/> of y, [B, 2T^2], instead of y.
/// </summary>
public sealed class AodDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Mlp body;

    /// <summary>Creates the decoder for T transmissions and hidden width H.</summary>
    public AodDecoder(int transmissionCount, int hidden, DecoderInput input = DecoderInput.Raw)
        : base(nameof(AodDecoder))
    {
        TransmissionCount = transmissionCount;
        Hidden = hidden;
        Input = input;
        int width = input != DecoderInput.Raw ? GramFeatures.Width(1, transmissionCount) : 2 * transmissionCount;
        body = new Mlp("body", width, [hidden, hidden, hidden, hidden, 2 * hidden, 2 * hidden], 1);
        RegisterComponents();
    }

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
        using var scope = NewDisposeScope();
        Tensor features = Input != DecoderInput.Raw ? GramFeatures.Compute(y, 1, TransmissionCount, Input == DecoderInput.NormalizedGram) : y;
        return (body.call(features).squeeze(1).tanh() * (Math.PI / 2)).MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the parameters from <paramref name="generator"/>.</summary>
    public void Initialize(Generator generator) => body.Initialize(generator);
}
