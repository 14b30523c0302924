using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The UE-side position estimator f_beta (section III-A3, Table I, docs/conventions.md point 9):
/// y [B, 2 I T] (BS 1's real then imaginary parts, then BS 2's, ...) -> H, H, H, H, 2H, 2H (ReLU) -> 2 (linear).
/// Output: p_hat [B, 2] in metres.
/// With <see cref="DecoderInput.Gram"/> the MLP sees <see cref="GramFeatures"/> of every y_i, [B, 2 I T^2], instead of y.
/// With <see cref="TakesRegion"/> (beyond the paper) the input is [y, xi_1, ..., xi_I], [B, 2 I T + 3 I]: the observations
/// followed by each BS's a-priori region xi_i = [theta_min, theta_max, (theta_max - theta_min) / 2] (rad, eq. 5), the inputs
/// of the BS precoders, and the MLP sees [features of y, xi_1, ..., xi_I]. In training the region's centre is offset from
/// theta_i by nu_i ~ U[-15, 15] deg (docs/conventions.md point 10), so without xi the decoder must infer the beams it was sent
/// as well as p; the ML position estimator (eq. 11, 12) knows them.
/// With <see cref="ProjectionArea"/> the estimate is finally projected onto the prior area P (each coordinate clipped to
/// P's extent), as the ML position estimator constrains its solution to P (docs/conventions.md point 6): p lies in P, so the
/// projection never moves an estimate away from it.
/// </summary>
public sealed class PositionDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Mlp body;

    /// <summary>Creates the decoder for I BSs, T transmissions and hidden width H.</summary>
    public PositionDecoder(int baseStationCount, int transmissionCount, int hidden, DecoderInput input = DecoderInput.Raw, bool takesRegion = false, PositionPrior? projectionArea = null)
        : base(nameof(PositionDecoder))
    {
        ProjectionArea = projectionArea;
        BaseStationCount = baseStationCount;
        TransmissionCount = transmissionCount;
        Hidden = hidden;
        Input = input;
        TakesRegion = takesRegion;
        int width = (input != DecoderInput.Raw ? GramFeatures.Width(baseStationCount, transmissionCount) : 2 * baseStationCount * transmissionCount)
            + (takesRegion ? ModelContract.RegionWidth * baseStationCount : 0);
        body = new Mlp("body", width, [hidden, hidden, hidden, hidden, 2 * hidden, 2 * hidden], 2);
        RegisterComponents();
    }

    /// <summary>I.</summary>
    public int BaseStationCount { get; }

    /// <summary>T.</summary>
    public int TransmissionCount { get; }

    /// <summary>What the MLP sees of y.</summary>
    public DecoderInput Input { get; }

    /// <summary>Whether the input carries every BS's a-priori region xi_i after y.</summary>
    public bool TakesRegion { get; }

    /// <summary>The prior area P onto which the estimate is finally projected, or null for none.</summary>
    public PositionPrior? ProjectionArea { get; }

    /// <summary>The projection's bounds: [x_min, y_min] and [x_max, y_max] of P, m (null without a projection).</summary>
    public (float[] Low, float[] High)? ProjectionBounds => ProjectionArea is PositionPrior a
        ? ([(float)(a.Center.X - (a.WidthM / 2)), (float)(a.Center.Y - (a.HeightM / 2))], [(float)(a.Center.X + (a.WidthM / 2)), (float)(a.Center.Y + (a.HeightM / 2))])
        : null;

    /// <summary>H.</summary>
    public int Hidden { get; }

    /// <summary>The MLP (for the exporter).</summary>
    public Mlp Body => body;

    /// <inheritdoc />
    /// <param name="input">y [B, 2 I T], or [y, xi_1, ..., xi_I] [B, 2 I T + 3 I] with <see cref="TakesRegion"/>.</param>
    public override Tensor forward(Tensor input)
    {
        if (Input == DecoderInput.Raw && !TakesRegion && ProjectionArea is null)
        {
            return body.call(input);
        }

        using var scope = NewDisposeScope();
        int observationWidth = 2 * BaseStationCount * TransmissionCount;
        Tensor y = TakesRegion ? input.narrow(1, 0, observationWidth) : input;
        Tensor features = Input != DecoderInput.Raw ? GramFeatures.Compute(y, BaseStationCount, TransmissionCount) : y;
        if (TakesRegion)
        {
            features = cat([features, input.narrow(1, observationWidth, ModelContract.RegionWidth * BaseStationCount)], 1);
        }

        Tensor estimate = body.call(features);
        if (ProjectionBounds is (float[] low, float[] high))
        {
            estimate = maximum(minimum(estimate, tensor(high, device: estimate.device)), tensor(low, device: estimate.device));
        }

        return estimate.MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the parameters from <paramref name="generator"/>.</summary>
    public void Initialize(Generator generator) => body.Initialize(generator);
}
