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
/// </summary>
public sealed class UePositionEstimator : DeployedModelHandle, IPositionEstimator
{
    private UePositionEstimator(DeployedModel model)
        : base(model)
    {
    }

    /// <inheritdoc />
    public int BaseStationCount => Model.Manifest.BaseStationCount;

    /// <inheritdoc />
    public int TransmissionCount => Model.Manifest.TransmissionCount;

    /// <summary>Loads the position estimator, checked as described for <see cref="BsPrecoder.Load"/>.</summary>
    public static UePositionEstimator Load(ModelReference model, InferenceOptions? options = null) =>
        new(DeployedModel.Load(model, ModelKind.PositionEstimator, options));

    /// <summary>p_hat for one sample: y = [y_1; ...; y_I], [I * T], m.</summary>
    public PlanePoint Estimate(ReadOnlySpan<Complex> observation)
    {
        int perSample = BaseStationCount * TransmissionCount;
        if (observation.Length != perSample)
        {
            throw new ArgumentException($"observation has length {observation.Length}: expected I * T = {perSample}.", nameof(observation));
        }

        DeployedModel.Slot slot = Model.Rent(1);
        Fill(observation, slot.Input, 0);
        Model.Run(slot);
        return new PlanePoint(slot.Output[0], slot.Output[1]);
    }

    /// <inheritdoc />
    /// <param name="observations">y per sample, [B, I, T] row-major.</param>
    /// <param name="positionsM">p_hat = (x, y), m, [B, 2] (output).</param>
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM)
    {
        int perSample = BaseStationCount * TransmissionCount;
        int batch = positionsM.Length / 2;
        if (batch == 0 || positionsM.Length % 2 != 0 || observations.Length != batch * perSample)
        {
            throw new ArgumentException($"observations has length {observations.Length} and positionsM {positionsM.Length}: expected [B, I = {BaseStationCount}, T = {TransmissionCount}] and [B, 2] with B >= 1.", nameof(observations));
        }

        DeployedModel.Slot slot = Model.Rent(batch);
        for (int b = 0; b < batch; b++)
        {
            Fill(observations.Slice(b * perSample, perSample), slot.Input, b);
        }

        Model.Run(slot);
        for (int i = 0; i < 2 * batch; i++)
        {
            positionsM[i] = slot.Output[i];
        }
    }

    /// <summary>Sample b: per BS i, T real parts then T imaginary parts.</summary>
    private void Fill(ReadOnlySpan<Complex> sample, float[] input, int b)
    {
        int t = TransmissionCount;
        int row = 2 * BaseStationCount * t;
        for (int i = 0; i < BaseStationCount; i++)
        {
            int bad = ContractLayout.WriteComplex(sample.Slice(i * t, t), input.AsSpan((b * row) + (i * 2 * t), 2 * t));
            UeAodEstimator.CheckFinite(bad < 0 ? -1 : (i * t) + bad, "observations", b, BaseStationCount * t);
        }
    }
}
