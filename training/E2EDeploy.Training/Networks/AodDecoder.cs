using E2EDeploy.Shared.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The UE-side AoD estimator f_mu (section III-A2, Table I, docs/conventions.md point 9), shared by all BSs:
/// y [B, 2T] (real parts, then imaginary parts) -> H, H, H, H, 2H, 2H (ReLU) -> 1 -> tanh -> x pi/2.
/// Output: theta_hat [B] in rad, in [-pi/2, pi/2]. The scaling is part of the module.
/// With <see cref="DecoderInput.Gram"/> the MLP sees <see cref="GramFeatures"/> of y, [B, 2T^2], instead of y.
/// With <see cref="TakesRegion"/> (beyond the paper) the input is [y, xi], [B, 2T + 3]: the observation followed by the
/// a-priori region's xi = [theta_min, theta_max, (theta_max - theta_min) / 2] (rad, eq. 5), the same xi the BS precoder
/// sees, and the MLP sees [features of y, xi]. The ML estimator eq. (11) searches U too, so this gives the learned
/// estimator the knowledge the benchmark has.
/// With <see cref="ProjectsOntoRegion"/> the estimate is finally projected onto U, theta_hat = min(max(theta_hat, theta_min),
/// theta_max), as the ML estimator eq. (11) searches U only (docs/conventions.md point 5): theta lies in U, so the projection
/// never moves an estimate away from it.
/// </summary>
public sealed class AodDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Mlp body;

    /// <summary>Creates the decoder for T transmissions and hidden width H.</summary>
    public AodDecoder(int transmissionCount, int hidden, DecoderInput input = DecoderInput.Raw, bool takesRegion = false, bool projectOntoRegion = false)
        : base(nameof(AodDecoder))
    {
        if (projectOntoRegion && !takesRegion)
        {
            throw new E2EDeploy.Shared.InvalidSettingException(nameof(projectOntoRegion), "on", "a decoder that takes the region (takesRegion), to project the estimate onto it");
        }

        ProjectsOntoRegion = projectOntoRegion;
        TransmissionCount = transmissionCount;
        Hidden = hidden;
        Input = input;
        TakesRegion = takesRegion;
        int width = (input != DecoderInput.Raw ? GramFeatures.Width(1, transmissionCount) : 2 * transmissionCount) + (takesRegion ? ModelContract.RegionWidth : 0);
        body = new Mlp("body", width, [hidden, hidden, hidden, hidden, 2 * hidden, 2 * hidden], 1);
        RegisterComponents();
    }

    /// <summary>T.</summary>
    public int TransmissionCount { get; }

    /// <summary>What the MLP sees of y.</summary>
    public DecoderInput Input { get; }

    /// <summary>Whether the input carries the a-priori region's xi after y.</summary>
    public bool TakesRegion { get; }

    /// <summary>Whether the estimate is finally projected onto the region U it is given.</summary>
    public bool ProjectsOntoRegion { get; }

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>The MLP (for the exporter).</summary>
    public Mlp Body => body;

    /// <inheritdoc />
    /// <param name="input">y [B, 2T], or [y, xi] [B, 2T + 3] with <see cref="TakesRegion"/>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        int twoT = 2 * TransmissionCount;
        Tensor y = TakesRegion ? input.narrow(1, 0, twoT) : input;
        Tensor features = Input != DecoderInput.Raw ? GramFeatures.Compute(y, 1, TransmissionCount) : y;
        if (TakesRegion)
        {
            features = cat([features, input.narrow(1, twoT, ModelContract.RegionWidth)], 1);
        }

        Tensor squashed = body.call(features).squeeze(1).tanh();
        Tensor estimate = squashed * (Math.PI / 2);
        if (ProjectsOntoRegion)
        {
            estimate = maximum(minimum(estimate, input.select(1, twoT + 1)), input.select(1, twoT));
        }

        return estimate.MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the parameters from <paramref name="generator"/>.</summary>
    public void Initialize(Generator generator) => body.Initialize(generator);
}
