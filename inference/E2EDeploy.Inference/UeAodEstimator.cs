using System.Numerics;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// The learned AoD estimator at the UE: an observation y_i in C^T of one BS in, theta_hat (rad) out (section III-A2),
/// through ONNX Runtime. Implements <see cref="IAodEstimator"/>, so the shared Monte-Carlo evaluator measures it with
/// the same code as the ML benchmark. Thread-safe: one instance may be shared by any number of threads (each thread keeps its own buffers per batch size
/// until disposal); a call in steady state allocates nothing. Owns its ONNX Runtime session: dispose it when done.
/// </summary>
public sealed class UeAodEstimator : DeployedModelHandle, IAodEstimator
{
    private UeAodEstimator(DeployedModel model)
        : base(model)
    {
    }

    /// <inheritdoc />
    public int TransmissionCount => Model.Manifest.TransmissionCount;

    /// <summary>Loads the AoD estimator, checked as described for <see cref="BsPrecoder.Load"/>.</summary>
    public static UeAodEstimator Load(ModelReference model, InferenceOptions? options = null) =>
        new(DeployedModel.Load(model, ModelKind.AodEstimator, options));

    /// <summary>theta_hat for one observation y [T], rad.</summary>
    public double Estimate(ReadOnlySpan<Complex> observation)
    {
        int t = TransmissionCount;
        if (observation.Length != t)
        {
            throw new ArgumentException($"observation has length {observation.Length}: expected T = {t}.", nameof(observation));
        }

        DeployedModel.Slot slot = Model.Rent(1);
        CheckFinite(ContractLayout.WriteComplex(observation, slot.Input), nameof(observation), 0, t);
        Model.Run(slot);
        return slot.Output[0];
    }

    /// <inheritdoc />
    /// <param name="observations">y, [B, T] row-major.</param>
    /// <param name="aodRad">theta_hat, rad, [B] (output).</param>
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad)
    {
        int t = TransmissionCount;
        if (aodRad.Length == 0 || observations.Length != aodRad.Length * t)
        {
            throw new ArgumentException($"observations has length {observations.Length} and aodRad {aodRad.Length}: expected B * T = {aodRad.Length * t} observations for B = {aodRad.Length} >= 1.", nameof(observations));
        }

        DeployedModel.Slot slot = Model.Rent(aodRad.Length);
        for (int b = 0; b < aodRad.Length; b++)
        {
            CheckFinite(ContractLayout.WriteComplex(observations.Slice(b * t, t), slot.Input.AsSpan(b * 2 * t, 2 * t)), nameof(observations), b, t);
        }

        Model.Run(slot);
        for (int b = 0; b < aodRad.Length; b++)
        {
            aodRad[b] = slot.Output[b];
        }
    }

    internal static void CheckFinite(int bad, string name, int row, int rowLength)
    {
        if (bad >= 0)
        {
            throw new ArgumentException($"{name}[{(row * rowLength) + bad}] is not finite (NaN or infinity): expected finite complex observations.", name);
        }
    }
}
