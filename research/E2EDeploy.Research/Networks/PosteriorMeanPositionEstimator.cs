using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Channel;
using E2EDeploy.Training.Networks;
using static TorchSharp.torch;

namespace E2EDeploy.Research.Networks;

/// <summary>
/// The position estimator as the posterior mean E[p | y_1, y_2] (beyond the paper; the MMSE estimator for one SNR) under the
/// training prior: p uniform over the area P, inside the cones of both a-priori regions U_1, U_2 (docs/conventions.md point 10), with
/// the noise variance sigma^2 of the model's SNR known. It needs no trained weights of its own: the UE copies the BS precoders
/// (fed the regions xi_i of its input) and the array model of each BS.
/// <list type="number">
/// <item>Grid: theta_i,g = theta_min,i + (theta_max,i - theta_min,i) g / (G - 1), g = 0 .. G - 1, per BS and sample.</item>
/// <item>Likelihood of BS i with the gain's phase marginalised (|alpha| = 1, uniform phase):
/// L_i(theta) = log I0(2 |b^H y_i| / sigma^2) - ||b||^2 / sigma^2, b = F_i^T a~(theta) (<see cref="LogBesselI0"/>).</item>
/// <item>Every pair (theta_1, theta_2) gives the bearings' intersection p = q_1 + r_1 (sin, cos)(theta_1 + psi_1)
/// = q_2 + r_2 (sin, cos)(theta_2 + psi_2) (docs/conventions.md point 1), kept where r_1, r_2 &gt; 0 and p lies in P, with the
/// area element r_1 r_2 / |sin(theta_2 + psi_2 - theta_1 - psi_1)| of the uniform prior.</item>
/// <item>p_hat = sum w p / sum w, w = exp(L_1 + L_2 + log(area element) - max) over the kept pairs; the centre of P if
/// none is kept.</item>
/// </list>
/// Cost: G^2 pairs per sample. The same formulas run in training (<see cref="Estimate"/>, float32, as the loss's estimator)
/// and here in float64 (an ONNX graph of it existed until commit 1dd7aeb; docs/research-log.md).
/// Input y_xi [B, 4T + 6] (contract <see cref="ModelKind.PositionEstimator"/> with the regions), float32; output p_hat [B, 2], m.
/// Holds references to the autoencoder's precoders and to the arrays, for evaluation and export only; disposing it releases only its own handle.
/// </summary>
public sealed class PosteriorMeanPositionEstimator : TorchSharp.torch.nn.Module<Tensor, Tensor>
{
    /// <summary>The fewest grid points per BS.</summary>
    public const int MinGridPoints = 8;

    /// <summary>The most grid points per BS (G^2 pairs per sample).</summary>
    public const int MaxGridPoints = 256;

    /// <summary>The allowed grid sizes as text, for messages: [8, 256].</summary>
    public static string GridRange => $"[{MinGridPoints}, {MaxGridPoints}]";

    /// <summary>Whether <paramref name="gridPoints"/> is an allowed number of grid points per BS.</summary>
    public static bool IsValidGridSize(int gridPoints) => gridPoints >= MinGridPoints && gridPoints <= MaxGridPoints;

    /// <summary>Stands for log 0 in the masked log-weights: exp of it underflows to 0 in float32 and float64.</summary>
    public const double MaskedLogWeight = -1e30;

    /// <summary>The floor of |b^H y|^2 under the square root and of the area element under the log (keeps gradients finite).</summary>
    public const double Tiny = 1e-30;

    private PosteriorMeanPositionEstimator(IReadOnlyList<PrecoderNetwork> precoders, IReadOnlyList<LearnedArray> arrays, PosteriorGeometry geometry, double noiseVariance, int gridPoints)
        : base(nameof(PosteriorMeanPositionEstimator))
    {
        Precoders = precoders;
        Arrays = arrays;
        Geometry = geometry;
        NoiseVariance = noiseVariance;
        GridPoints = gridPoints;
    }

    /// <summary>The precoder of each BS.</summary>
    public IReadOnlyList<PrecoderNetwork> Precoders { get; }

    /// <summary>The UE's array model of each BS.</summary>
    public IReadOnlyList<LearnedArray> Arrays { get; }

    /// <summary>The BSs and the area P.</summary>
    public PosteriorGeometry Geometry { get; }

    /// <summary>sigma^2 of the model's SNR, 10^(-SNR / 10).</summary>
    public double NoiseVariance { get; }

    /// <summary>G, grid points per BS.</summary>
    public int GridPoints { get; }

    /// <summary>T, transmissions per BS.</summary>
    public int TransmissionCount => (int)Precoders[0].TransmissionCount;

    /// <summary>Creates the estimator for <paramref name="scenario"/> (two BSs) at noise variance <paramref name="noiseVariance"/> with <paramref name="gridPoints"/> points per BS.</summary>
    public static PosteriorMeanPositionEstimator Create(IReadOnlyList<PrecoderNetwork> precoders, IReadOnlyList<LearnedArray> arrays, Scenario scenario, double noiseVariance, int gridPoints)
    {
        ArgumentNullException.ThrowIfNull(precoders);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(scenario);
        if (precoders.Count != scenario.BaseStationCount || arrays.Count != scenario.BaseStationCount)
        {
            throw new ArgumentException($"{precoders.Count} precoders and {arrays.Count} arrays for {scenario.BaseStationCount} BSs: expected one of each per BS.", nameof(arrays));
        }

        return new PosteriorMeanPositionEstimator(precoders, arrays, PosteriorGeometry.Of(scenario, gridPoints), CheckNoiseVariance(noiseVariance), gridPoints);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        int t = TransmissionCount;
        int observationWidth = 4 * t;
        Tensor x = input.to_type(ScalarType.Float64);
        var ys = new Tensor[2];
        var fs = new Tensor[2];
        var xis = new Tensor[2];
        var steerings = new Func<Tensor, (Tensor, Tensor)>[2];
        for (int i = 0; i < 2; i++)
        {
            ys[i] = x.narrow(1, 2 * t * i, 2 * t);
            xis[i] = x.narrow(1, observationWidth + (ModelContract.RegionWidth * i), ModelContract.RegionWidth);
            fs[i] = Precoders[i].call(input.narrow(1, observationWidth + (ModelContract.RegionWidth * i), ModelContract.RegionWidth)).to_type(ScalarType.Float64);
            LearnedArray array = Arrays[i];
            Tensor scale = (array.Positions * (float)(2 * Math.PI)).to_type(ScalarType.Float64);
            Tensor couplingReal = array.CouplingTransposeReal.to_type(ScalarType.Float64);
            Tensor couplingImaginary = array.CouplingTransposeImaginary.to_type(ScalarType.Float64);
            steerings[i] = theta => TorchChannel.Steering(theta, scale, couplingReal, couplingImaginary);
        }

        return Estimate(ys, fs, xis, steerings, Geometry, NoiseVariance).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The posterior mean for two BSs, in the dtype of the inputs: y_i [B, 2T], F_i [B, 2, N_Tx, T], xi_i [B, 3] (rad), and
    /// each BS's steering a~(theta) for theta [K] as (real, imaginary) [K, N_Tx]. Differentiable in y and F. Returns [B, 2], m.
    /// </summary>
    public static Tensor Estimate(Tensor[] ys, Tensor[] fs, Tensor[] xis, Func<Tensor, (Tensor Real, Tensor Imaginary)>[] steerings, PosteriorGeometry geometry, double noiseVariance)
    {
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(xis);
        ArgumentNullException.ThrowIfNull(steerings);
        ArgumentNullException.ThrowIfNull(geometry);
        if (ys.Length != 2 || fs.Length != 2 || xis.Length != 2 || steerings.Length != 2)
        {
            throw new ArgumentException($"{ys.Length} observations, {fs.Length} precoders, {xis.Length} regions, {steerings.Length} arrays: expected 2 of each (two BSs).", nameof(ys));
        }

        using var scope = NewDisposeScope();
        ScalarType dtype = ys[0].dtype;
        Device device = ys[0].device;
        Tensor u = tensor(geometry.Fractions, dtype: dtype, device: device).unsqueeze(0);
        var logLikelihood = new Tensor[2];
        var sines = new Tensor[2];
        var cosines = new Tensor[2];
        for (int i = 0; i < 2; i++)
        {
            Tensor low = xis[i].narrow(1, 0, 1);
            Tensor high = xis[i].narrow(1, 1, 1);
            Tensor theta = low + ((high - low) * u);
            logLikelihood[i] = LogLikelihood(ys[i], fs[i], theta, steerings[i], noiseVariance);
            Tensor bearing = theta + geometry.Orientations[i];
            (sines[i], cosines[i]) = (bearing.sin(), bearing.cos());
        }

        Tensor sa = sines[0].unsqueeze(2), ca = cosines[0].unsqueeze(2);
        Tensor sb = sines[1].unsqueeze(1), cb = cosines[1].unsqueeze(1);
        (double ex, double ey) = (geometry.Baseline.X, geometry.Baseline.Y);
        Tensor det = (sb * ca) - (sa * cb);
        Tensor r1 = ((sb * ey) - (cb * ex)) / det;
        Tensor r2 = ((sa * ey) - (ca * ex)) / det;
        Tensor px = (r1 * sa) + geometry.First.X;
        Tensor py = (r1 * ca) + geometry.First.Y;
        Tensor kept = (r1 > 0).logical_and(r2 > 0).logical_and(px >= geometry.Area.MinX).logical_and(px <= geometry.Area.MaxX)
            .logical_and(py >= geometry.Area.MinY).logical_and(py <= geometry.Area.MaxY);
        Tensor logArea = ((r1 * r2) / det.abs()).clamp_min(Tiny).log();
        Tensor score = logLikelihood[0].unsqueeze(2) + logLikelihood[1].unsqueeze(1) + logArea;
        Tensor masked = where(kept, score, full_like(score, MaskedLogWeight));
        Tensor peak = masked.amax([1, 2], keepdim: true).detach();
        Tensor weight = (masked - peak).exp();
        Tensor zero = zeros_like(px);
        Tensor sum = weight.sum([1, 2]);
        Tensor sumX = (weight * where(kept, px, zero)).sum([1, 2]);
        Tensor sumY = (weight * where(kept, py, zero)).sum([1, 2]);
        Tensor safeSum = sum.clamp_min(Tiny);
        Tensor any = sum > 0;
        Tensor estimateX = where(any, sumX / safeSum, full_like(sum, geometry.Area.Center.X));
        Tensor estimateY = where(any, sumY / safeSum, full_like(sum, geometry.Area.Center.Y));
        return stack([estimateX, estimateY], 1).MoveToOuterDisposeScope();
    }

    /// <summary>L(theta) = log I0(2 |b^H y| / sigma^2) - ||b||^2 / sigma^2 on the grid theta [B, G]; y [B, 2T], F [B, 2, N_Tx, T]. [B, G].</summary>
    private static Tensor LogLikelihood(Tensor y, Tensor f, Tensor theta, Func<Tensor, (Tensor Real, Tensor Imaginary)> steering, double noiseVariance)
    {
        long batch = theta.shape[0], points = theta.shape[1];
        long t = y.shape[1] / 2;
        (Tensor aRe, Tensor aIm) = steering(theta.reshape(-1));
        aRe = aRe.reshape(batch, points, -1);
        aIm = aIm.reshape(batch, points, -1);
        Tensor fRe = f.select(1, 0), fIm = f.select(1, 1);
        Tensor bRe = aRe.bmm(fRe) - aIm.bmm(fIm);
        Tensor bIm = aRe.bmm(fIm) + aIm.bmm(fRe);
        Tensor yRe = y.narrow(1, 0, t).unsqueeze(1), yIm = y.narrow(1, t, t).unsqueeze(1);
        Tensor bb = ((bRe * bRe) + (bIm * bIm)).sum(2);
        Tensor zRe = ((bRe * yRe) + (bIm * yIm)).sum(2);
        Tensor zIm = ((bRe * yIm) - (bIm * yRe)).sum(2);
        Tensor magnitude = ((zRe * zRe) + (zIm * zIm) + Tiny).sqrt();
        return LogBesselI0.Of(magnitude * (2 / noiseVariance)) - (bb * (1 / noiseVariance));
    }

    /// <summary>Checks sigma^2: finite and &gt; 0.</summary>
    public static double CheckNoiseVariance(double noiseVariance) => double.IsFinite(noiseVariance) && noiseVariance > 0
        ? noiseVariance
        : throw new ArgumentOutOfRangeException(nameof(noiseVariance), noiseVariance, "expected a finite noise variance > 0.");
}

/// <summary>
/// The constants of <see cref="PosteriorMeanPositionEstimator"/>: the grid fractions g / (G - 1) [G], the BS orientations
/// psi_i (rad), BS 1's position q_1, the baseline q_2 - q_1 (m) and the area P.
/// </summary>
public sealed record PosteriorGeometry(double[] Fractions, double[] Orientations, PlanePoint First, PlanePoint Baseline, PositionPrior Area)
{
    /// <summary>The geometry of <paramref name="scenario"/> (two BSs) with <paramref name="gridPoints"/> points per BS.</summary>
    public static PosteriorGeometry Of(Scenario scenario, int gridPoints)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.BaseStationCount != 2)
        {
            throw new ArgumentException($"a scenario with {scenario.BaseStationCount} BSs: the posterior-mean estimator expects 2 (it intersects two bearings).", nameof(scenario));
        }

        if (!PosteriorMeanPositionEstimator.IsValidGridSize(gridPoints))
        {
            throw new ArgumentOutOfRangeException(nameof(gridPoints), gridPoints, $"expected grid points per BS within {PosteriorMeanPositionEstimator.GridRange}.");
        }

        BaseStation first = scenario.BaseStations[0], second = scenario.BaseStations[1];
        double[] fractions = Enumerable.Range(0, gridPoints).Select(g => g / (double)(gridPoints - 1)).ToArray();
        return new PosteriorGeometry(
            fractions,
            [first.OrientationRad, second.OrientationRad],
            first.Position,
            new PlanePoint(second.Position.X - first.Position.X, second.Position.Y - first.Position.Y),
            scenario.PositionPrior);
    }
}
