using System.Numerics;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Benchmark;

/// <summary>
/// The ML position estimator of eq. (12) (docs/conventions.md point 6): the AoD of each BS is estimated by
/// <see cref="MlAodEstimator"/> (eq. 11), then p_hat = argmin over p in P of
/// sum_i (theta_hat_i - theta_i(p))^2 / (2 sigma_i^2), with sigma_i^2 = CRB_i(theta_hat_i) of BS i's
/// precoder under the estimator's array model and theta_i(p) from eq. (3) with docs/conventions.md point 1.
/// Since every BS has the same SNR, the weights 1/sigma_i^2 are J_i / SNR up to a common factor, which
/// does not move the minimiser. Solved by box-constrained Gauss-Newton from the intersection of the two
/// most informative bearing lines. Immutable and thread-safe.
/// </summary>
public sealed class MlPositionEstimator : IPositionEstimator
{
    private const int MaxIterations = 50;
    private readonly BaseStation[] baseStations;
    private readonly MlAodEstimator[] aodEstimators;

    /// <summary>Creates the estimator.</summary>
    /// <param name="baseStations">The BSs, [I], I &gt;= 2.</param>
    /// <param name="aodEstimators">One eq. (11) estimator per BS, [I].</param>
    /// <param name="area">The prior area P (a rectangle) that constrains the solution.</param>
    public MlPositionEstimator(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<MlAodEstimator> aodEstimators, PositionPrior area)
    {
        ArgumentNullException.ThrowIfNull(baseStations);
        ArgumentNullException.ThrowIfNull(aodEstimators);
        Area = area ?? throw new ArgumentNullException(nameof(area));
        Guard.AtLeast(baseStations.Count, 2, "BS count");
        if (aodEstimators.Count != baseStations.Count)
        {
            throw new ArgumentException($"{aodEstimators.Count} AoD estimators for {baseStations.Count} BSs: expected one per BS.", nameof(aodEstimators));
        }

        int t = aodEstimators[0].TransmissionCount;
        for (int i = 1; i < aodEstimators.Count; i++)
        {
            if (aodEstimators[i].TransmissionCount != t)
            {
                throw new ArgumentException($"AoD estimator {i} has T = {aodEstimators[i].TransmissionCount}: expected T = {t} like estimator 0.", nameof(aodEstimators));
            }
        }

        this.baseStations = [.. baseStations];
        this.aodEstimators = [.. aodEstimators];
    }

    /// <summary>P, the area that constrains p_hat.</summary>
    public PositionPrior Area { get; }

    /// <inheritdoc />
    public int BaseStationCount => baseStations.Length;

    /// <inheritdoc />
    public int TransmissionCount => aodEstimators[0].TransmissionCount;

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM)
    {
        int perSample = BaseStationCount * TransmissionCount;
        if (positionsM.Length % 2 != 0 || observations.Length != positionsM.Length / 2 * perSample)
        {
            throw new ArgumentException($"observations has length {observations.Length} and positionsM {positionsM.Length}: expected [B, I = {BaseStationCount}, T = {TransmissionCount}] and [B, 2].", nameof(observations));
        }

        Span<double> aods = stackalloc double[BaseStationCount];
        Span<double> weights = stackalloc double[BaseStationCount];
        for (int b = 0; b < positionsM.Length / 2; b++)
        {
            ReadOnlySpan<Complex> sample = observations.Slice(b * perSample, perSample);
            for (int i = 0; i < BaseStationCount; i++)
            {
                MlAodEstimator estimator = aodEstimators[i];
                aods[i] = estimator.Estimate(sample.Slice(i * TransmissionCount, TransmissionCount));
                weights[i] = AodCramerRaoBound.FisherInformationPerUnitSnr(estimator.Precoder, estimator.ModelArray, aods[i]);
            }

            PlanePoint p = Solve(aods, weights);
            positionsM[2 * b] = p.X;
            positionsM[(2 * b) + 1] = p.Y;
        }
    }

    /// <summary>
    /// Weighted least squares of eq. (12): argmin over p in P of sum_i w_i (theta_hat_i - theta_i(p))^2.
    /// </summary>
    /// <param name="aodsRad">theta_hat_i, rad, [I].</param>
    /// <param name="weights">w_i = 1 / sigma_i^2 (any common scale), [I].</param>
    public PlanePoint Solve(ReadOnlySpan<double> aodsRad, ReadOnlySpan<double> weights)
    {
        Guard.Length(aodsRad, BaseStationCount, "[I]");
        Guard.Length(weights, BaseStationCount, "[I]");
        PlanePoint p = Area.Clamp(InitialPoint(aodsRad, weights));
        double cost = Cost(p, aodsRad, weights);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Normal equations of Gauss-Newton: (sum w g g^T) delta = sum w r g, with r = theta_hat - theta(p), g = d theta / d p.
            double m00 = 0, m01 = 0, m11 = 0, r0 = 0, r1 = 0;
            for (int i = 0; i < BaseStationCount; i++)
            {
                double residual = Units.WrapToPi(aodsRad[i] - baseStations[i].AodOf(p));
                (double gx, double gy) = AngleOfDeparture.Gradient(p, baseStations[i].Position);
                m00 += weights[i] * gx * gx;
                m01 += weights[i] * gx * gy;
                m11 += weights[i] * gy * gy;
                r0 += weights[i] * residual * gx;
                r1 += weights[i] * residual * gy;
            }

            (double dx, double dy) = ConstrainedStep(p, m00, m01, m11, r0, r1);
            bool improved = false;
            for (double length = 1.0; length > 1e-6; length *= 0.5)
            {
                PlanePoint candidate = Area.Clamp(new PlanePoint(p.X + (length * dx), p.Y + (length * dy)));
                double candidateCost = Cost(candidate, aodsRad, weights);
                if (candidateCost <= cost)
                {
                    double moved = candidate.DistanceTo(p);
                    improved = moved > 0;
                    p = candidate;
                    cost = candidateCost;
                    if (moved < 1e-12)
                    {
                        return p;
                    }

                    break;
                }
            }

            if (!improved)
            {
                return p;
            }
        }

        return p;
    }

    /// <summary>The Gauss-Newton step with coordinates at an active bound of P held fixed.</summary>
    private (double Dx, double Dy) ConstrainedStep(PlanePoint p, double m00, double m01, double m11, double r0, double r1)
    {
        double determinant = (m00 * m11) - (m01 * m01);
        (double dx, double dy) = determinant > 1e-300 ? (((m11 * r0) - (m01 * r1)) / determinant, ((m00 * r1) - (m01 * r0)) / determinant) : (0.0, 0.0);
        bool blockX = (p.X <= Area.MinX && dx < 0) || (p.X >= Area.MaxX && dx > 0);
        bool blockY = (p.Y <= Area.MinY && dy < 0) || (p.Y >= Area.MaxY && dy > 0);
        if (blockX && blockY)
        {
            return (0, 0);
        }

        if (blockX)
        {
            return (0, m11 > 0 ? r1 / m11 : 0);
        }

        if (blockY)
        {
            return (m00 > 0 ? r0 / m00 : 0, 0);
        }

        return (dx, dy);
    }

    private double Cost(PlanePoint p, ReadOnlySpan<double> aods, ReadOnlySpan<double> weights)
    {
        double cost = 0;
        for (int i = 0; i < BaseStationCount; i++)
        {
            double residual = Units.WrapToPi(aods[i] - baseStations[i].AodOf(p));
            cost += weights[i] * residual * residual;
        }

        return cost;
    }

    /// <summary>Intersection of the bearing lines of the two most informative BSs, or the centre of P when they do not meet in front of both.</summary>
    private PlanePoint InitialPoint(ReadOnlySpan<double> aods, ReadOnlySpan<double> weights)
    {
        int first = 0;
        for (int i = 1; i < BaseStationCount; i++)
        {
            first = weights[i] > weights[first] ? i : first;
        }

        int second = first == 0 ? 1 : 0;
        for (int i = 0; i < BaseStationCount; i++)
        {
            second = i != first && weights[i] > weights[second] ? i : second;
        }

        BaseStation a = baseStations[first];
        BaseStation b = baseStations[second];

        // Direction of the bearing: theta + psi measured from +y toward +x (docs/conventions.md point 1).
        (double sa, double ca) = Math.SinCos(aods[first] + a.OrientationRad);
        (double sb, double cb) = Math.SinCos(aods[second] + b.OrientationRad);

        // q_a + s (sa, ca) = q_b + u (sb, cb)
        double determinant = (-sa * cb) + (sb * ca);
        if (Math.Abs(determinant) < 1e-12)
        {
            return Area.Center;
        }

        double ex = b.Position.X - a.Position.X;
        double ey = b.Position.Y - a.Position.Y;
        double along = ((-ex * cb) + (sb * ey)) / determinant;
        double alongB = ((sa * ey) - (ca * ex)) / determinant;
        if (along <= 0 || alongB <= 0)
        {
            return Area.Center;
        }

        return new PlanePoint(a.Position.X + (along * sa), a.Position.Y + (along * ca));
    }
}
