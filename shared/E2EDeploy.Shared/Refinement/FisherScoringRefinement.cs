using System.Numerics;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Refinement;

/// <summary>
/// Fisher-scoring steps of the concentrated log-likelihood of y = alpha F^T a~(theta) + n with the gain alpha unknown
/// (beyond the paper, docs/conventions.md point 13; the ML estimators eq. 11 and 12 maximise the same likelihood). With
/// b = F^T a~(theta), d = F^T da~/dtheta, alpha_hat = b^H y / ||b||^2 and r = y - alpha_hat b:
/// <code>
/// score       = Re(conj(alpha_hat) d^H r)
/// information = |alpha_hat|^2 (||d||^2 - |b^H d|^2 / ||b||^2)
/// correlation = |b^H y|^2 / ||b||^2
/// </code>
/// and the step theta + score / information. This is the one definition of the refinement that the released estimators
/// apply after their learned decoder: the runtime runs it in double precision; the training project's TorchSharp form
/// (FisherScoring, RefinedAodEstimator, RefinedPositionEstimator) computes the same formulas with these constants and is
/// tested against this class. Thread-safe (no state); allocation-free for T &lt;= 256.
/// </summary>
public static class FisherScoringRefinement
{
    /// <summary>The largest AoD step, rad (5.7 deg): a step from a wrong basin never leaves it by far.</summary>
    public const double MaxAngleStepRad = 0.1;

    /// <summary>The largest position step per coordinate, m.</summary>
    public const double MaxPositionStepM = 0.5;

    /// <summary>
    /// The position step's Levenberg-Marquardt damping mu: the 2 x 2 Fisher matrix J_p + mu trace(J_p) I. A well-posed step
    /// shrinks by at most 0.1 %, which the next step makes up; a near-singular one stays bounded.
    /// </summary>
    public const double PositionDamping = 1e-3;

    /// <summary>The floor of the information (and of the position Fisher determinant) that keeps a step finite.</summary>
    public const double InformationFloor = 1e-12;

    private const int StackLimit = 256;

    /// <summary>The scoring terms of <paramref name="observation"/> y [T] at <paramref name="thetaRad"/> for <paramref name="channel"/>.</summary>
    public static ScoringTerms Terms(ReadOnlySpan<Complex> observation, ScoringChannel channel, double thetaRad)
    {
        ArgumentNullException.ThrowIfNull(channel);
        int t = channel.TransmissionCount;
        if (observation.Length != t)
        {
            throw new ArgumentException($"observation has length {observation.Length}: expected T = {t}.", nameof(observation));
        }

        double[]? rented = t > StackLimit ? new double[4 * t] : null;
        Span<double> scratch = rented ?? stackalloc double[4 * t];
        Span<double> bRe = scratch[..t];
        Span<double> bIm = scratch.Slice(t, t);
        Span<double> dRe = scratch.Slice(2 * t, t);
        Span<double> dIm = scratch.Slice(3 * t, t);
        scratch.Clear();
        ReadOnlySpan<double> phases = channel.PhaseScales;
        ReadOnlySpan<double> gRe = channel.GReal;
        ReadOnlySpan<double> gIm = channel.GImaginary;
        (double sin, double cos) = Math.SinCos(thetaRad);

        // b = G^T a, d = G^T a' with a_n = exp(j phi_n sin theta) and a'_n = j phi_n cos theta a_n: per element n, one row of
        // G scaled into the four accumulators, Vector<double>.Count transmissions at a time.
        int width = Vector<double>.Count;
        int vectorEnd = t - (t % width);
        for (int n = 0; n < phases.Length; n++)
        {
            (double s, double c) = Math.SinCos(phases[n] * sin);
            double factor = phases[n] * cos;
            double daRe = -factor * s;
            double daIm = factor * c;
            ReadOnlySpan<double> rowRe = gRe.Slice(n * t, t);
            ReadOnlySpan<double> rowIm = gIm.Slice(n * t, t);
            var vc = new Vector<double>(c);
            var vs = new Vector<double>(s);
            var vdaRe = new Vector<double>(daRe);
            var vdaIm = new Vector<double>(daIm);
            for (int k = 0; k < vectorEnd; k += width)
            {
                var gr = new Vector<double>(rowRe.Slice(k, width));
                var gi = new Vector<double>(rowIm.Slice(k, width));
                (new Vector<double>(bRe.Slice(k, width)) + (gr * vc) - (gi * vs)).CopyTo(bRe.Slice(k, width));
                (new Vector<double>(bIm.Slice(k, width)) + (gr * vs) + (gi * vc)).CopyTo(bIm.Slice(k, width));
                (new Vector<double>(dRe.Slice(k, width)) + (gr * vdaRe) - (gi * vdaIm)).CopyTo(dRe.Slice(k, width));
                (new Vector<double>(dIm.Slice(k, width)) + (gr * vdaIm) + (gi * vdaRe)).CopyTo(dIm.Slice(k, width));
            }

            for (int k = vectorEnd; k < t; k++)
            {
                double gr = rowRe[k];
                double gi = rowIm[k];
                bRe[k] += (gr * c) - (gi * s);
                bIm[k] += (gr * s) + (gi * c);
                dRe[k] += (gr * daRe) - (gi * daIm);
                dIm[k] += (gr * daIm) + (gi * daRe);
            }
        }

        double bb = 0, dd = 0, bdRe = 0, bdIm = 0, byRe = 0, byIm = 0;
        for (int k = 0; k < t; k++)
        {
            double yRe = observation[k].Real;
            double yIm = observation[k].Imaginary;
            bb += (bRe[k] * bRe[k]) + (bIm[k] * bIm[k]);
            dd += (dRe[k] * dRe[k]) + (dIm[k] * dIm[k]);
            bdRe += (bRe[k] * dRe[k]) + (bIm[k] * dIm[k]);
            bdIm += (bRe[k] * dIm[k]) - (bIm[k] * dRe[k]);
            byRe += (bRe[k] * yRe) + (bIm[k] * yIm);
            byIm += (bRe[k] * yIm) - (bIm[k] * yRe);
        }

        double aRe = byRe / bb;
        double aIm = byIm / bb;
        double drRe = 0, drIm = 0;
        for (int k = 0; k < t; k++)
        {
            double rRe = observation[k].Real - ((aRe * bRe[k]) - (aIm * bIm[k]));
            double rIm = observation[k].Imaginary - ((aRe * bIm[k]) + (aIm * bRe[k]));
            drRe += (dRe[k] * rRe) + (dIm[k] * rIm);
            drIm += (dRe[k] * rIm) - (dIm[k] * rRe);
        }

        double score = (aRe * drRe) + (aIm * drIm);
        double information = ((aRe * aRe) + (aIm * aIm)) * (dd - (((bdRe * bdRe) + (bdIm * bdIm)) / bb));
        double correlation = ((byRe * byRe) + (byIm * byIm)) / bb;
        return new ScoringTerms(score, information, correlation);
    }

    /// <summary>One AoD scoring step from <paramref name="thetaRad"/>, clipped to +/- <see cref="MaxAngleStepRad"/>, then projected onto <paramref name="region"/>: rad.</summary>
    public static double AngleStep(ReadOnlySpan<Complex> observation, ScoringChannel channel, double thetaRad, AngularRegion region)
    {
        ScoringTerms terms = Terms(observation, channel, thetaRad);
        double step = Math.Clamp(terms.Score / Math.Max(terms.Information, InformationFloor), -MaxAngleStepRad, MaxAngleStepRad);
        return Math.Max(Math.Min(thetaRad + step, region.MaxRad), region.MinRad);
    }

    /// <summary>
    /// The refined AoD estimate of one observation y [T] whose AoD lies a priori in <paramref name="region"/>: from the
    /// decoder's <paramref name="startRad"/> projected onto U, <paramref name="steps"/> steps per BS channel (the learned
    /// decoder does not know which BS sent y), and the estimate of the BS whose correlation is largest (a GLRT over the BS;
    /// a later BS wins only when its correlation is strictly larger). Rad.
    /// </summary>
    public static double RefineAod(ReadOnlySpan<Complex> observation, ReadOnlySpan<ScoringChannel> channels, double startRad, AngularRegion region, int steps)
    {
        if (channels.IsEmpty)
        {
            throw new ArgumentException("channels is empty: expected one scoring channel per BS, at least one.", nameof(channels));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        double start = Math.Max(Math.Min(startRad, region.MaxRad), region.MinRad);
        double best = start;
        double bestCorrelation = double.NegativeInfinity;
        for (int i = 0; i < channels.Length; i++)
        {
            double theta = start;
            for (int k = 0; k < steps; k++)
            {
                theta = AngleStep(observation, channels[i], theta, region);
            }

            if (channels.Length == 1)
            {
                return theta;
            }

            double correlation = Terms(observation, channels[i], theta).Correlation;
            if (i == 0 || correlation > bestCorrelation)
            {
                (best, bestCorrelation) = (theta, correlation);
            }
        }

        return best;
    }

    /// <summary>
    /// The refined position estimate of one sample y = [y_1; ...; y_I] [I * T]: from the decoder's <paramref name="start"/>
    /// projected onto P, <paramref name="steps"/> scoring steps of the joint likelihood in p. Per BS, theta_i(p) = atan(dx / dy)
    /// - psi_i (docs/conventions.md point 1, dy &gt; 0), its score s_i and information J_i, g_i = d theta_i / d p =
    /// (dy, -dx) / r^2; then p += (J_p + mu trace(J_p) I)^-1 sum s_i g_i with J_p = sum J_i g_i g_i^T and mu =
    /// <see cref="PositionDamping"/>, each coordinate clipped to +/- <see cref="MaxPositionStepM"/>, projected onto P. m.
    /// </summary>
    public static PlanePoint RefinePosition(ReadOnlySpan<Complex> observation, ReadOnlySpan<ScoringChannel> channels, IReadOnlyList<BaseStation> baseStations, PositionPrior area, PlanePoint start, int steps)
    {
        ArgumentNullException.ThrowIfNull(baseStations);
        ArgumentNullException.ThrowIfNull(area);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (channels.Length != baseStations.Count || channels.IsEmpty)
        {
            throw new ArgumentException($"{channels.Length} channels for {baseStations.Count} BSs: expected one scoring channel per BS, at least one.", nameof(channels));
        }

        int t = channels[0].TransmissionCount;
        if (observation.Length != channels.Length * t)
        {
            throw new ArgumentException($"observation has length {observation.Length}: expected I * T = {channels.Length * t}.", nameof(observation));
        }

        double px = Math.Max(Math.Min(start.X, area.MaxX), area.MinX);
        double py = Math.Max(Math.Min(start.Y, area.MaxY), area.MinY);
        for (int k = 0; k < steps; k++)
        {
            double j11 = 0, j12 = 0, j22 = 0, sx = 0, sy = 0;
            for (int i = 0; i < channels.Length; i++)
            {
                BaseStation bs = baseStations[i];
                double dx = px - bs.Position.X;
                double dy = py - bs.Position.Y;
                double r2 = (dx * dx) + (dy * dy);
                double gx = dy / r2;
                double gy = -dx / r2;
                double theta = Math.Atan(dx / dy) - bs.OrientationRad;
                ScoringTerms terms = Terms(observation.Slice(i * t, t), channels[i], theta);
                j11 += terms.Information * gx * gx;
                j12 += terms.Information * gx * gy;
                j22 += terms.Information * gy * gy;
                sx += terms.Score * gx;
                sy += terms.Score * gy;
            }

            double damping = (j11 + j22) * PositionDamping;
            j11 += damping;
            j22 += damping;
            double det = Math.Max((j11 * j22) - (j12 * j12), InformationFloor);
            double stepX = Math.Clamp(((j22 * sx) - (j12 * sy)) / det, -MaxPositionStepM, MaxPositionStepM);
            double stepY = Math.Clamp(((j11 * sy) - (j12 * sx)) / det, -MaxPositionStepM, MaxPositionStepM);
            px = Math.Max(Math.Min(px + stepX, area.MaxX), area.MinX);
            py = Math.Max(Math.Min(py + stepY, area.MaxY), area.MinY);
        }

        return new PlanePoint(px, py);
    }
}
