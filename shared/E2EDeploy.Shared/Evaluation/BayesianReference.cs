using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Evaluation;

/// <summary>
/// What the precoders allow at every SNR, over the prior (docs/conventions.md point 12): the Ziv-Zakai bound, the RMSE of the
/// Bayes-optimal estimator on the evaluator's draws, and the known-magnitude CRB / PEB that the bound tends to at high SNR.
/// Units: rad (AoD) or m (position).
/// </summary>
/// <param name="ZivZakaiBound">The Ziv-Zakai bound on the RMSE.</param>
/// <param name="MmseRmse">The RMSE of the posterior-mean estimator with the true arrays.</param>
/// <param name="KnownMagnitudeBound">sqrt(mean known-magnitude CRB) over U, or the RMS known-magnitude PEB over the support.</param>
public sealed record BayesianReference(double ZivZakaiBound, double MmseRmse, double KnownMagnitudeBound)
{
    /// <summary>The standard error of <see cref="MmseRmse"/>.</summary>
    public double MmseStandardError { get; init; }

    /// <summary>The bound leaves its high-SNR limit here: ZZB / known-magnitude bound above this marks the threshold region.</summary>
    public const double ThresholdRatio = 1.10;

    /// <summary>ZZB / known-magnitude bound.</summary>
    public double ThresholdExcess => ZivZakaiBound / KnownMagnitudeBound;

    /// <summary>
    /// The AoD reference of <paramref name="experiment"/> (theta uniform on its region, its precoder and true array) at
    /// <paramref name="snrDb"/>; the MMSE estimator sees the draws that <paramref name="settings"/> gives every estimator.
    /// </summary>
    public static BayesianReference Aod(AodExperiment experiment, double snrDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var estimator = new PosteriorMeanAodEstimator(experiment.Precoder, experiment.TrueArray, experiment.Region, snrDb);
        EvaluationPoint mmse = MonteCarloEvaluator.EvaluateAod(experiment, estimator, snrDb, settings, progress, cancellationToken);
        double zzb = AodZivZakaiBound.Compute(experiment.Precoder, experiment.TrueArray, experiment.Region, snrDb);
        double[] grid = experiment.Region.EvenGrid(257);
        double crb = KnownMagnitudeCramerRaoBound.Mean(experiment.Precoder, experiment.TrueArray, grid, snrDb);
        return new BayesianReference(zzb, mmse.Rmse, Math.Sqrt(crb)) { MmseStandardError = mmse.RmseStandardError };
    }

    /// <summary>
    /// The position reference of one UE: its experiment (precoders, true arrays, its position), its regions U_i and the area P.
    /// The bound and the known-magnitude PEB are over p uniform on the support of its regions; the MMSE RMSE is at its position
    /// on the evaluator's draws, so that over many UEs of the prior the pooled RMSE estimates the Bayesian one.
    /// </summary>
    public static BayesianReference Position(PositionExperiment experiment, IReadOnlyList<AngularRegion> regions, PositionPrior area, double snrDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(area);
        var estimator = new PosteriorMeanPositionEstimator(experiment.BaseStations, experiment.Precoders, experiment.TrueArrays, regions, area, snrDb);
        EvaluationPoint mmse = MonteCarloEvaluator.EvaluatePosition(experiment, estimator, snrDb, settings, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        double zzb = PositionZivZakaiBound.Compute(experiment.BaseStations, experiment.Precoders, experiment.TrueArrays, estimator.Support, snrDb);
        double sum = 0, weights = 0;
        foreach ((PlanePoint point, double weight) in estimator.Support.Quadrature(4))
        {
            double peb = KnownMagnitudeCramerRaoBound.PositionErrorBoundOf(experiment.BaseStations, experiment.Precoders, experiment.TrueArrays, point, snrDb);
            sum += weight * peb * peb;
            weights += weight;
        }

        return new BayesianReference(zzb, mmse.Rmse, Math.Sqrt(sum / weights)) { MmseStandardError = mmse.RmseStandardError };
    }

    /// <summary>The references of equally many trials per UE pooled: RMS of each column.</summary>
    public static BayesianReference Pool(IReadOnlyList<BayesianReference> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        Guard.AtLeast(references.Count, 1, "reference count");
        if (references.Count == 1)
        {
            return references[0];
        }

        static double Rms(IEnumerable<double> values) => Math.Sqrt(values.Average(v => v * v));
        EvaluationPoint mmse = EvaluationPoint.Pool(references.Select(r => new EvaluationPoint(0, r.MmseRmse, 1, 1) { RmseStandardError = r.MmseStandardError }).ToArray());
        return new BayesianReference(Rms(references.Select(r => r.ZivZakaiBound)), mmse.Rmse, Rms(references.Select(r => r.KnownMagnitudeBound)))
        {
            MmseStandardError = mmse.RmseStandardError,
        };
    }

    /// <summary>
    /// The threshold SNR of a sweep: the highest SNR at which the ZZB exceeds its high-SNR limit by more than
    /// <see cref="ThresholdRatio"/>, interpolated linearly in dB to where the ratio crosses it; null when it never does,
    /// or when it does at the highest SNR.
    /// </summary>
    public static double? ThresholdSnrDb(IReadOnlyList<double> snrsDb, IReadOnlyList<BayesianReference> references)
    {
        ArgumentNullException.ThrowIfNull(snrsDb);
        ArgumentNullException.ThrowIfNull(references);
        int[] order = Enumerable.Range(0, snrsDb.Count).OrderBy(k => snrsDb[k]).ToArray();
        for (int n = order.Length - 2; n >= 0; n--)
        {
            int low = order[n], high = order[n + 1];
            double a = references[low].ThresholdExcess, b = references[high].ThresholdExcess;
            if (a > ThresholdRatio && b <= ThresholdRatio)
            {
                double fraction = (a - ThresholdRatio) / (a - b);
                return snrsDb[low] + (fraction * (snrsDb[high] - snrsDb[low]));
            }
        }

        return null;
    }
}
