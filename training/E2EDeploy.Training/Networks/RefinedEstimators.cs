using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The AoD estimator with Fisher-scoring refinement (beyond the paper): the learned decoder's estimate theta_0 is refined
/// by <see cref="Steps"/> <see cref="FisherScoring"/> steps of eq. (11)'s likelihood, each projected onto U, with the BS
/// precoders (the same networks, fed the region xi of the input) and the UE's <see cref="LearnedArray"/> of each BS.
/// The decoder is shared by all BSs (Fig. 2) and y does not say which BS sent it, so the estimator refines once per BS
/// and keeps the estimate whose BS explains y best (the largest correlation |b^H y|^2 / ||b||^2, a GLRT over the BS).
/// Input y_xi [B, 2T + 3] (contract <see cref="ModelKind.AodEstimator"/> with the region); output theta_hat [B], rad.
/// Holds references to modules owned by the autoencoder, for evaluation and export only; disposing it releases only its own handle.
/// </summary>
public sealed class RefinedAodEstimator : TorchSharp.torch.nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the estimator.</summary>
    public RefinedAodEstimator(AodDecoder decoder, IReadOnlyList<PrecoderNetwork> precoders, IReadOnlyList<LearnedArray> arrays, int steps)
        : base(nameof(RefinedAodEstimator))
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(precoders);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (precoders.Count != arrays.Count || precoders.Count == 0)
        {
            throw new ArgumentException($"{precoders.Count} precoders and {arrays.Count} arrays: expected one array per BS precoder, at least one.", nameof(arrays));
        }

        Decoder = decoder;
        Precoders = precoders;
        Arrays = arrays;
        Steps = steps;
    }

    /// <summary>The learned decoder that gives theta_0.</summary>
    public AodDecoder Decoder { get; }

    /// <summary>The precoder of each BS.</summary>
    public IReadOnlyList<PrecoderNetwork> Precoders { get; }

    /// <summary>The UE's array model of each BS.</summary>
    public IReadOnlyList<LearnedArray> Arrays { get; }

    /// <summary>Fisher-scoring steps per BS.</summary>
    public int Steps { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        int twoT = 2 * Decoder.TransmissionCount;
        Tensor y = input.narrow(1, 0, twoT);
        Tensor xi = input.narrow(1, twoT, ModelContract.RegionWidth);
        Tensor low = xi.select(1, 0);
        Tensor high = xi.select(1, 1);
        Tensor start = maximum(minimum(Decoder.call(Decoder.TakesRegion ? input : y), high), low);
        Tensor? best = null, bestCorrelation = null;
        for (int i = 0; i < Precoders.Count; i++)
        {
            Tensor f = Precoders[i].call(xi);
            Tensor theta = start;
            for (int k = 0; k < Steps; k++)
            {
                theta = FisherScoring.AngleStep(y, f, Arrays[i], theta, low, high);
            }

            Tensor correlation = FisherScoring.Terms(y, f, Arrays[i], theta).Correlation;
            if (best is null)
            {
                (best, bestCorrelation) = (theta, correlation);
            }
            else
            {
                best = where(correlation > bestCorrelation!, theta, best);
                bestCorrelation = maximum(correlation, bestCorrelation!);
            }
        }

        return best!.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The position estimator with Fisher-scoring refinement (beyond the paper): the learned decoder's estimate p_0, projected
/// onto P, is refined by <see cref="Steps"/> scoring steps of the joint likelihood of y_1, ..., y_I in p (the ML position
/// estimator's, eq. 11 and 12): per BS, theta_i(p) = atan(dx / dy) - psi_i (docs/conventions.md point 1, valid for dy &gt; 0, which
/// <see cref="Create"/> checks over P), its <see cref="FisherScoring"/> score s_i and information J_i, g_i = d theta_i / d p;
/// then p += (J_p + mu trace(J_p) I)^-1 sum s_i g_i with J_p = sum J_i g_i g_i^T and mu = <see cref="FisherScoring.PositionDamping"/>, each coordinate clipped to +/- <see cref="FisherScoring.MaxPositionStepM"/>,
/// and projected onto P. Input y_xi [B, 2IT + 3I]; output p_hat [B, 2], m. Holds references to the autoencoder's modules, for evaluation and export only; disposing it releases only its own handle.
/// </summary>
public sealed class RefinedPositionEstimator : TorchSharp.torch.nn.Module<Tensor, Tensor>
{
    private RefinedPositionEstimator(PositionDecoder decoder, IReadOnlyList<PrecoderNetwork> precoders, IReadOnlyList<LearnedArray> arrays, IReadOnlyList<BaseStation> baseStations, float[] low, float[] high, int steps)
        : base(nameof(RefinedPositionEstimator))
    {
        Decoder = decoder;
        Precoders = precoders;
        Arrays = arrays;
        BaseStations = baseStations;
        Low = low;
        High = high;
        Steps = steps;
    }

    /// <summary>The learned decoder that gives p_0.</summary>
    public PositionDecoder Decoder { get; }

    /// <summary>The precoder of each BS.</summary>
    public IReadOnlyList<PrecoderNetwork> Precoders { get; }

    /// <summary>The UE's array model of each BS.</summary>
    public IReadOnlyList<LearnedArray> Arrays { get; }

    /// <summary>Position q_i and orientation psi_i of each BS.</summary>
    public IReadOnlyList<BaseStation> BaseStations { get; }

    /// <summary>[x_min, y_min] of P, m.</summary>
    public float[] Low { get; }

    /// <summary>[x_max, y_max] of P, m.</summary>
    public float[] High { get; }

    /// <summary>Fisher-scoring steps.</summary>
    public int Steps { get; }

    /// <summary>Creates the estimator for <paramref name="scenario"/>'s BSs and prior area P.</summary>
    public static RefinedPositionEstimator Create(PositionDecoder decoder, IReadOnlyList<PrecoderNetwork> precoders, IReadOnlyList<LearnedArray> arrays, Scenario scenario, int steps)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(precoders);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (precoders.Count != scenario.BaseStationCount || arrays.Count != scenario.BaseStationCount)
        {
            throw new ArgumentException($"{precoders.Count} precoders and {arrays.Count} arrays for {scenario.BaseStationCount} BSs: expected one of each per BS.", nameof(arrays));
        }

        PositionPrior area = scenario.PositionPrior;
        foreach (BaseStation bs in scenario.BaseStations)
        {
            if (area.MinY <= bs.Position.Y)
            {
                throw new ArgumentException($"the prior area P starts at y = {area.MinY} m, not in front of the BS at y = {bs.Position.Y} m: expected P beyond every BS in y (the refinement's theta(p) = atan(dx / dy) - psi needs dy > 0).", nameof(scenario));
            }
        }

        return new RefinedPositionEstimator(decoder, precoders, arrays, scenario.BaseStations, [(float)area.MinX, (float)area.MinY], [(float)area.MaxX, (float)area.MaxY], steps);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        int bsCount = Precoders.Count;
        int t = Decoder.TransmissionCount;
        int observationWidth = 2 * bsCount * t;
        Tensor low = tensor(Low, device: input.device);
        Tensor high = tensor(High, device: input.device);
        Tensor[] ys = Enumerable.Range(0, bsCount).Select(i => input.narrow(1, 2 * t * i, 2 * t)).ToArray();
        Tensor[] fs = Enumerable.Range(0, bsCount).Select(i => Precoders[i].call(input.narrow(1, observationWidth + (ModelContract.RegionWidth * i), ModelContract.RegionWidth))).ToArray();
        Tensor p = maximum(minimum(Decoder.call(Decoder.TakesRegion ? input : input.narrow(1, 0, observationWidth)), high), low);
        for (int k = 0; k < Steps; k++)
        {
            Tensor px = p.select(1, 0);
            Tensor py = p.select(1, 1);
            Tensor? j11 = null, j12 = null, j22 = null, sx = null, sy = null;
            for (int i = 0; i < bsCount; i++)
            {
                BaseStation bs = BaseStations[i];
                Tensor dx = px - (float)bs.Position.X;
                Tensor dy = py - (float)bs.Position.Y;
                Tensor r2 = (dx * dx) + (dy * dy);
                Tensor gx = dy / r2;
                Tensor gy = -dx / r2;
                Tensor theta = (dx / dy).atan() - (float)bs.OrientationRad;
                (Tensor score, Tensor information, _) = FisherScoring.Terms(ys[i], fs[i], Arrays[i], theta);
                Tensor a = information * gx;
                Tensor c = information * gy;
                j11 = Add(j11, a * gx);
                j12 = Add(j12, a * gy);
                j22 = Add(j22, c * gy);
                sx = Add(sx, score * gx);
                sy = Add(sy, score * gy);
            }

            // Levenberg-Marquardt damping: J + mu trace(J) I keeps the 2 x 2 solve's condition number below about 1 / mu.
            Tensor damping = (j11! + j22!) * FisherScoring.PositionDamping;
            j11 = j11! + damping;
            j22 = j22! + damping;
            Tensor det = ((j11 * j22) - (j12! * j12!)).clamp_min(FisherScoring.InformationFloor);
            Tensor stepX = (((j22! * sx!) - (j12! * sy!)) / det).clamp(-FisherScoring.MaxPositionStepM, FisherScoring.MaxPositionStepM);
            Tensor stepY = (((j11! * sy!) - (j12! * sx!)) / det).clamp(-FisherScoring.MaxPositionStepM, FisherScoring.MaxPositionStepM);
            p = maximum(minimum(p + stack([stepX, stepY], 1), high), low);
        }

        return p.MoveToOuterDisposeScope();
    }

    private static Tensor Add(Tensor? sum, Tensor term) => sum is null ? term : sum + term;
}
