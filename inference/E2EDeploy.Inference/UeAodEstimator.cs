using System.Numerics;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// The learned AoD estimator at the UE: an observation y_i in C^T of one BS in, theta_hat (rad) out (section III-A2),
/// through ONNX Runtime. Implements <see cref="IAodEstimator"/>, so the shared Monte-Carlo evaluator measures it with
/// the same code as the ML benchmark. Thread-safe: one instance may be shared by any number of threads (each thread keeps its own buffers per batch size
/// until disposal); a call in steady state allocates nothing. Owns its ONNX Runtime session: dispose it when done.
/// <para>
/// An estimator that takes the a-priori region (<see cref="TakesRegion"/>, input <c>y_xi</c> of <see cref="ModelContract"/>)
/// also needs U, as the ML estimator eq. (11) does: call the overloads with an <see cref="AngularRegion"/>, or
/// <see cref="WithRegion"/> for an <see cref="IAodEstimator"/> bound to one region. The paper's estimator (y only)
/// accepts the same calls and does not use the region.
/// </para>
/// </summary>
public sealed class UeAodEstimator : DeployedModelHandle, IAodEstimator
{
    private readonly int rowWidth;
    private readonly RuntimeScoring? scoring;

    private UeAodEstimator(DeployedModel model, RuntimeScoring? scoring)
        : base(model, scoring)
    {
        rowWidth = (int)model.Signature.Input.RowLength;
        this.scoring = scoring;
    }

    /// <inheritdoc />
    public int TransmissionCount => Model.Manifest.TransmissionCount;

    /// <summary>Whether the model's input carries the a-priori region after y (manifest <c>estimatorTakesRegion</c>).</summary>
    public bool TakesRegion => Model.Manifest.Estimator.TakesRegion;

    /// <summary>
    /// Loads the AoD estimator, checked as described for <see cref="BsPrecoder.Load"/>; for an estimator whose scoring steps
    /// the runtime runs (<see cref="ManifestEstimator.RuntimeFisherScoringKind"/>), the version's precoders too.
    /// </summary>
    public static UeAodEstimator Load(ModelReference model, InferenceOptions? options = null)
    {
        (DeployedModel deployed, RuntimeScoring? scoring) = RuntimeScoring.LoadEstimator(model, ModelKind.AodEstimator, options);
        return new UeAodEstimator(deployed, scoring);
    }

    /// <summary>theta_hat for one observation y [T], rad. Throws for an estimator that takes the region: use the overload with U.</summary>
    public double Estimate(ReadOnlySpan<Complex> observation) => EstimateOne(observation, null);

    /// <summary>theta_hat for one observation y [T] of a UE whose AoD lies a priori in <paramref name="region"/>, rad.</summary>
    public double Estimate(ReadOnlySpan<Complex> observation, AngularRegion region) => EstimateOne(observation, region);

    /// <inheritdoc />
    /// <remarks>Throws <see cref="InvalidOperationException"/> for an estimator that takes the region: use the overload with U.</remarks>
    /// <param name="observations">y, [B, T] row-major.</param>
    /// <param name="aodRad">theta_hat, rad, [B] (output).</param>
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad) => EstimateBatch(observations, null, aodRad);

    /// <summary>theta_hat for B observations whose AoDs lie a priori in <paramref name="region"/>.</summary>
    /// <param name="observations">y, [B, T] row-major.</param>
    /// <param name="region">U, the a-priori region of every observation (rad).</param>
    /// <param name="aodRad">theta_hat, rad, [B] (output).</param>
    public void Estimate(ReadOnlySpan<Complex> observations, AngularRegion region, Span<double> aodRad) => EstimateBatch(observations, region, aodRad);

    /// <summary>
    /// This estimator bound to the a-priori region <paramref name="region"/>, as an <see cref="IAodEstimator"/> (e.g. for
    /// <see cref="MonteCarloEvaluator"/>). The view does not own the session: keep this instance alive and dispose it, not the view.
    /// </summary>
    public IAodEstimator WithRegion(AngularRegion region) => new RegionView(this, region);

    internal static void CheckFinite(int bad, string name, int row, int rowLength)
    {
        if (bad >= 0)
        {
            throw new ArgumentException($"{name}[{(row * rowLength) + bad}] is not finite (NaN or infinity): expected finite complex observations.", name);
        }
    }

    private double EstimateOne(ReadOnlySpan<Complex> observation, AngularRegion? region)
    {
        int t = TransmissionCount;
        if (observation.Length != t)
        {
            throw new ArgumentException($"observation has length {observation.Length}: expected T = {t}.", nameof(observation));
        }

        RequireRegion(region);
        DeployedModel.Slot slot = Model.Rent(1);
        WriteRow(observation, region, slot.Input, 0, nameof(observation));
        Model.Run(slot);
        return scoring is null ? slot.Output[0] : Refine(observation, region!.Value, slot.Output[0], scoring.ChannelsFor(region.Value));
    }

    private void EstimateBatch(ReadOnlySpan<Complex> observations, AngularRegion? region, Span<double> aodRad)
    {
        int t = TransmissionCount;
        if (aodRad.Length == 0 || observations.Length != aodRad.Length * t)
        {
            throw new ArgumentException($"observations has length {observations.Length} and aodRad {aodRad.Length}: expected B * T = {aodRad.Length * t} observations for B = {aodRad.Length} >= 1.", nameof(observations));
        }

        RequireRegion(region);
        DeployedModel.Slot slot = Model.Rent(aodRad.Length);
        for (int b = 0; b < aodRad.Length; b++)
        {
            WriteRow(observations.Slice(b * t, t), region, slot.Input, b, nameof(observations));
        }

        Model.Run(slot);
        if (scoring is null)
        {
            for (int b = 0; b < aodRad.Length; b++)
            {
                aodRad[b] = slot.Output[b];
            }

            return;
        }

        ReadOnlySpan<E2EDeploy.Shared.Refinement.ScoringChannel> channels = scoring.ChannelsFor(region!.Value);
        for (int b = 0; b < aodRad.Length; b++)
        {
            aodRad[b] = Refine(observations.Slice(b * t, t), region.Value, slot.Output[b], channels);
        }
    }

    /// <summary>The decoder's estimate <paramref name="decoded"/> refined by the runtime's scoring steps (<see cref="E2EDeploy.Shared.Refinement.FisherScoringRefinement.RefineAod"/>).</summary>
    private double Refine(ReadOnlySpan<Complex> observation, AngularRegion region, float decoded, ReadOnlySpan<E2EDeploy.Shared.Refinement.ScoringChannel> channels) =>
        E2EDeploy.Shared.Refinement.FisherScoringRefinement.RefineAod(observation, channels, decoded, region, scoring!.Steps);

    private void RequireRegion(AngularRegion? region)
    {
        if (region is AngularRegion given)
        {
            BsPrecoder.CheckRegion(given, "region");
        }
        else if (TakesRegion)
        {
            throw new InvalidOperationException($"{Model.Name} takes the a-priori region U after y (input y_xi, manifest estimatorTakesRegion): expected a call with the region, Estimate(observations, region, aodRad) or WithRegion(region).");
        }
    }

    /// <summary>Writes row <paramref name="b"/> of the contract input: y's real then imaginary parts, then xi when the model takes the region.</summary>
    private void WriteRow(ReadOnlySpan<Complex> observation, AngularRegion? region, float[] input, int b, string name)
    {
        int t = TransmissionCount;
        Span<float> row = input.AsSpan(b * rowWidth, rowWidth);
        CheckFinite(ContractLayout.WriteComplex(observation, row[..(2 * t)]), name, b, t);
        if (TakesRegion)
        {
            ContractLayout.WriteRegion(region!.Value, row.Slice(2 * t, ModelContract.RegionWidth));
        }
    }

    private sealed class RegionView(UeAodEstimator owner, AngularRegion region) : IAodEstimator
    {
        public int TransmissionCount => owner.TransmissionCount;

        public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad) => owner.EstimateBatch(observations, region, aodRad);
    }
}
