using System.Numerics;

namespace E2EDeploy.Shared.Evaluation;

/// <summary>
/// A UE-side AoD estimator: one observation y_i in C^T of one BS in, theta_hat out (rad).
/// The ML benchmark and the deployed learned models implement it, so one evaluator measures both.
/// Implementations must be safe to call from several threads at once.
/// </summary>
public interface IAodEstimator
{
    /// <summary>T, the length of one observation.</summary>
    int TransmissionCount { get; }

    /// <summary>Estimates the AoD of each observation.</summary>
    /// <param name="observations">y, [B, T] row-major.</param>
    /// <param name="aodRad">theta_hat, rad, [B] (output).</param>
    void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad);
}

/// <summary>
/// A UE-side position estimator: the observations of all I BSs in, p_hat out (m).
/// Implementations must be safe to call from several threads at once.
/// </summary>
public interface IPositionEstimator
{
    /// <summary>I, the number of BSs.</summary>
    int BaseStationCount { get; }

    /// <summary>T, transmissions per BS.</summary>
    int TransmissionCount { get; }

    /// <summary>Estimates the position of each sample.</summary>
    /// <param name="observations">y = [y_1; ...; y_I] per sample, [B, I, T] row-major.</param>
    /// <param name="positionsM">p_hat = (x, y), m, [B, 2] (output).</param>
    void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM);
}
