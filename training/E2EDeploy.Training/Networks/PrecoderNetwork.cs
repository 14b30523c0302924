using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The precoder network f_epsilon of one BS (section III-A1, Table I, docs/conventions.md point 9):
/// xi [B, 3] (rad, eq. 5) -> H x 6 (ReLU) -> 2 N_Tx T (linear), read as real parts then imaginary parts
/// of F [N_Tx, T] row-major, then normalised to unit Frobenius norm per sample.
/// Output: F as [B, 2, N_Tx, T]. The normalisation is part of the module, so the export is the whole model.
/// </summary>
public sealed class PrecoderNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Mlp body;

    /// <summary>Creates the network.</summary>
    /// <param name="antennaCount">N_Tx.</param>
    /// <param name="transmissionCount">T.</param>
    /// <param name="hidden">H (paper: 256).</param>
    public PrecoderNetwork(int antennaCount, int transmissionCount, int hidden)
        : base(nameof(PrecoderNetwork))
    {
        AntennaCount = antennaCount;
        TransmissionCount = transmissionCount;
        Hidden = hidden;
        body = new Mlp("body", 3, Enumerable.Repeat(hidden, 6).ToArray(), 2 * antennaCount * transmissionCount);
        RegisterComponents();
    }

    /// <summary>N_Tx.</summary>
    public int AntennaCount { get; }

    /// <summary>T.</summary>
    public int TransmissionCount { get; }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>The MLP (for the exporter).</summary>
    public Mlp Body => body;

    /// <inheritdoc />
    public override Tensor forward(Tensor xi)
    {
        using var scope = NewDisposeScope();
        Tensor raw = body.call(xi);
        Tensor norm = raw.square().sum(1, keepdim: true).sqrt();
        return (raw / norm).reshape(-1, 2, AntennaCount, TransmissionCount).MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the parameters from <paramref name="generator"/>.</summary>
    public void Initialize(Generator generator) => body.Initialize(generator);
}
