using System.Numerics;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// The learned position estimator at the UE: the observations of all I BSs in, p_hat (m) out (section III-A3), through
/// ONNX Runtime. Implements <see cref="IPositionEstimator"/>, so the shared Monte-Carlo evaluator measures it with the
/// same code as the ML benchmark. Thread-safe: one instance may be shared by any number of threads (each thread keeps its own buffers per batch size
/// until disposal); a call in steady state allocates nothing. Owns its ONNX Runtime session: dispose it when done.
/// <para>
/// An estimator that takes the a-priori regions (<see cref="TakesRegion"/>, input <c>y_xi</c> of <see cref="ModelContract"/>)
/// also needs each BS's U_i, the region its precoder was given, as the ML estimator eq. (11, 12) does: call the overloads
/// with the regions, or <see cref="WithRegions"/> for an <see cref="IPositionEstimator"/> bound to them. The paper's
/// estimator (y only) accepts the same calls and does not use the regions.
/// </para>
/// </summary>
public sealed class UePositionEstimator : DeployedModelHandle, IPositionEstimator
{
    private readonly int rowWidth;
    private readonly RuntimeScoring? scoring;

    private UePositionEstimator(DeployedModel model, RuntimeScoring? scoring)
        : base(model, scoring)
    {
        rowWidth = (int)model.Signature.Input.RowLength;
        this.scoring = scoring;
    }

    /// <inheritdoc />
    public int BaseStationCount => Model.Manifest.BaseStationCount;

    /// <inheritdoc />
    public int TransmissionCount => Model.Manifest.TransmissionCount;

    /// <summary>Whether the model's input carries every BS's a-priori region after y (manifest <c>estimatorTakesRegion</c>).</summary>
    public bool TakesRegion => Model.Manifest.Estimator.TakesRegion;

    /// <summary>
    /// Loads the position estimator, checked as described for <see cref="BsPrecoder.Load"/>; for an estimator whose scoring
    /// steps the runtime runs (<see cref="ManifestEstimator.RuntimeFisherScoringKind"/>), the version's precoders too.
    /// </summary>
    public static UePositionEstimator Load(ModelReference model, InferenceOptions? options = null)
    {
        (DeployedModel deployed, RuntimeScoring? scoring) = RuntimeScoring.LoadEstimator(model, ModelKind.PositionEstimator, options);
        return new UePositionEstimator(deployed, scoring);
    }

    /// <summary>p_hat for one sample: y = [y_1; ...; y_I], [I * T], m. Throws for an estimator that takes the regions: use the overload with them.</summary>
    public PlanePoint Estimate(ReadOnlySpan<Complex> observation) => EstimateOne(observation, default, false);

    /// <summary>p_hat for one sample y = [y_1; ...; y_I], [I * T], whose BSs' precoders were given <paramref name="regions"/> (U_i, rad, [I]), m.</summary>
    public PlanePoint Estimate(ReadOnlySpan<Complex> observation, ReadOnlySpan<AngularRegion> regions) => EstimateOne(observation, regions, true);

    /// <inheritdoc />
    /// <remarks>Throws <see cref="InvalidOperationException"/> for an estimator that takes the regions: use the overload with them.</remarks>
    /// <param name="observations">y per sample, [B, I, T] row-major.</param>
    /// <param name="positionsM">p_hat = (x, y), m, [B, 2] (output).</param>
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM) => EstimateBatch(observations, default, false, positionsM);

    /// <summary>p_hat for B samples whose BSs' precoders were given <paramref name="regions"/>.</summary>
    /// <param name="observations">y per sample, [B, I, T] row-major.</param>
    /// <param name="regions">U_i, the a-priori region of BS i for every sample (rad), [I].</param>
    /// <param name="positionsM">p_hat = (x, y), m, [B, 2] (output).</param>
    public void Estimate(ReadOnlySpan<Complex> observations, ReadOnlySpan<AngularRegion> regions, Span<double> positionsM) => EstimateBatch(observations, regions, true, positionsM);

    /// <summary>
    /// This estimator bound to the a-priori regions <paramref name="regions"/> (U_i, [I]), as an <see cref="IPositionEstimator"/>
    /// (e.g. for <see cref="MonteCarloEvaluator"/>). The view does not own the session: keep this instance alive and dispose it, not the view.
    /// </summary>
    public IPositionEstimator WithRegions(IReadOnlyList<AngularRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        AngularRegion[] copy = [.. regions];
        CheckRegions(copy, true);
        return new RegionView(this, copy);
    }

    private PlanePoint EstimateOne(ReadOnlySpan<Complex> observation, ReadOnlySpan<AngularRegion> regions, bool given)
    {
        int perSample = BaseStationCount * TransmissionCount;
        if (observation.Length != perSample)
        {
            throw new ArgumentException($"observation has length {observation.Length}: expected I * T = {perSample}.", nameof(observation));
        }

        CheckRegions(regions, given);
        DeployedModel.Slot slot = Model.Rent(1);
        WriteRow(observation, regions, slot.Input, 0, nameof(observation));
        Model.Run(slot);
        var decoded = new PlanePoint(slot.Output[0], slot.Output[1]);
        return scoring is null ? decoded : Refine(observation, decoded, scoring.ChannelsFor(regions));
    }

    private void EstimateBatch(ReadOnlySpan<Complex> observations, ReadOnlySpan<AngularRegion> regions, bool given, Span<double> positionsM)
    {
        int perSample = BaseStationCount * TransmissionCount;
        int batch = positionsM.Length / 2;
        if (batch == 0 || positionsM.Length % 2 != 0 || observations.Length != batch * perSample)
        {
            throw new ArgumentException($"observations has length {observations.Length} and positionsM {positionsM.Length}: expected [B, I = {BaseStationCount}, T = {TransmissionCount}] and [B, 2] with B >= 1.", nameof(observations));
        }

        CheckRegions(regions, given);
        DeployedModel.Slot slot = Model.Rent(batch);
        for (int b = 0; b < batch; b++)
        {
            WriteRow(observations.Slice(b * perSample, perSample), regions, slot.Input, b, nameof(observations));
        }

        Model.Run(slot);
        if (scoring is null)
        {
            for (int i = 0; i < 2 * batch; i++)
            {
                positionsM[i] = slot.Output[i];
            }

            return;
        }

        ReadOnlySpan<E2EDeploy.Shared.Refinement.ScoringChannel> channels = scoring.ChannelsFor(regions);
        for (int b = 0; b < batch; b++)
        {
            PlanePoint p = Refine(observations.Slice(b * perSample, perSample), new PlanePoint(slot.Output[2 * b], slot.Output[(2 * b) + 1]), channels);
            positionsM[2 * b] = p.X;
            positionsM[(2 * b) + 1] = p.Y;
        }
    }

    /// <summary>The decoder's estimate <paramref name="decoded"/> refined by the runtime's scoring steps (<see cref="E2EDeploy.Shared.Refinement.FisherScoringRefinement.RefinePosition"/>).</summary>
    private PlanePoint Refine(ReadOnlySpan<Complex> sample, PlanePoint decoded, ReadOnlySpan<E2EDeploy.Shared.Refinement.ScoringChannel> channels) =>
        E2EDeploy.Shared.Refinement.FisherScoringRefinement.RefinePosition(sample, channels, Manifest.Scenario.BaseStations, Manifest.Scenario.PositionPrior, decoded, scoring!.Steps);

    private void CheckRegions(ReadOnlySpan<AngularRegion> regions, bool given)
    {
        if (!given)
        {
            if (TakesRegion)
            {
                throw new InvalidOperationException($"{Model.Name} takes each BS's a-priori region U_i after y (input y_xi, manifest estimatorTakesRegion): expected a call with the regions, Estimate(observations, regions, positionsM) or WithRegions(regions).");
            }

            return;
        }

        if (regions.Length != BaseStationCount)
        {
            throw new ArgumentException($"regions has length {regions.Length}: expected one a-priori region per BS, I = {BaseStationCount}.", nameof(regions));
        }

        for (int i = 0; i < regions.Length; i++)
        {
            BsPrecoder.CheckRegion(regions[i], "regions", i);
        }
    }

    /// <summary>Row <paramref name="b"/> of the contract input: per BS i, T real parts then T imaginary parts; then xi_1, ..., xi_I when the model takes the regions.</summary>
    private void WriteRow(ReadOnlySpan<Complex> sample, ReadOnlySpan<AngularRegion> regions, float[] input, int b, string name)
    {
        int t = TransmissionCount;
        Span<float> row = input.AsSpan(b * rowWidth, rowWidth);
        for (int i = 0; i < BaseStationCount; i++)
        {
            int bad = ContractLayout.WriteComplex(sample.Slice(i * t, t), row.Slice(i * 2 * t, 2 * t));
            UeAodEstimator.CheckFinite(bad < 0 ? -1 : (i * t) + bad, name, b, BaseStationCount * t);
        }

        if (TakesRegion)
        {
            int start = 2 * BaseStationCount * t;
            for (int i = 0; i < BaseStationCount; i++)
            {
                ContractLayout.WriteRegion(regions[i], row.Slice(start + (i * ModelContract.RegionWidth), ModelContract.RegionWidth));
            }
        }
    }

    private sealed class RegionView(UePositionEstimator owner, AngularRegion[] regions) : IPositionEstimator
    {
        public int BaseStationCount => owner.BaseStationCount;

        public int TransmissionCount => owner.TransmissionCount;

        public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM) => owner.EstimateBatch(observations, regions, true, positionsM);
    }
}
