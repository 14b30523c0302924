using System.Globalization;
using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Validation;

namespace E2EDeploy.Pipeline;

/// <summary>One SNR of a <see cref="ScoringComparison"/>.</summary>
/// <param name="SnrDb">SNR, dB.</param>
/// <param name="Largest">The largest |candidate - source| of one estimate (a coordinate for position), rad or m.</param>
/// <param name="SourceNoise">
/// The largest |difference| between the source's own estimates of the same observations in one batch and one at a time: how
/// far float32 rounding alone moves the source graph's estimates, rad or m.
/// </param>
/// <param name="SourceRmse">The source's RMSE over the draws, rad or m.</param>
/// <param name="CandidateRmse">The candidate's RMSE over the same draws, rad or m.</param>
/// <param name="Draws">Draws at this SNR.</param>
public sealed record ScoringComparisonRow(double SnrDb, double Largest, double SourceNoise, double SourceRmse, double CandidateRmse, int Draws)
{
    /// <summary>|candidate RMSE / source RMSE - 1|.</summary>
    public double RelativeRmseChange => Math.Abs((CandidateRmse / SourceRmse) - 1);
}

/// <summary>How far a migrated version's estimates are from its source's: over the golden cases and per SNR over the Monte-Carlo draws.</summary>
/// <param name="Unit">rad (AoD) or m (position).</param>
/// <param name="Golden">The largest |difference| from the golden outputs and from the source over the estimator's golden cases, one row at a time.</param>
/// <param name="Rows">One row per SNR of the scenario's grid.</param>
public sealed record ScoringComparison(string Unit, double Golden, IReadOnlyList<ScoringComparisonRow> Rows)
{
    /// <summary>The golden cases' tolerance: the regression test's (ModelVersionRegressionTests), rad or m.</summary>
    public const double GoldenTolerance = 1e-5;

    /// <summary>The largest per-estimate difference at any SNR.</summary>
    public double Largest => Math.Max(Golden, Rows.Max(r => r.Largest));

    /// <summary>
    /// Why the candidate may not replace the source, or null: its golden outputs beyond <see cref="GoldenTolerance"/>, or its
    /// RMSE at some SNR off the source's by more than the registry's regression tolerance (ModelPublisher.RegressionTolerance).
    /// </summary>
    public string? Refusal(double relativeRmseTolerance)
    {
        if (Golden > GoldenTolerance)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the golden cases differ by up to {Golden:0.00e+00} {Unit}: expected at most {GoldenTolerance:0e+00}");
        }

        ScoringComparisonRow? worst = Rows.MaxBy(r => r.RelativeRmseChange);
        return worst is not null && worst.RelativeRmseChange > relativeRmseTolerance
            ? string.Create(CultureInfo.InvariantCulture, $"at {worst.SnrDb} dB the RMSE is {worst.CandidateRmse:g6} against the source's {worst.SourceRmse:g6} {Unit} (relative change {worst.RelativeRmseChange:0.00e+00}): expected at most {relativeRmseTolerance:0e+00}")
            : null;
    }
}

/// <summary>
/// The check of <c>e2e-train move-scoring</c>: the new version (scoring in the runtime, double precision) and its source
/// (scoring in the float32 graph) estimate from the same observations: the golden cases first, then the draws that
/// <c>e2e validate</c> makes at the test point at every SNR of the scenario. Beside each largest |difference| stands the
/// source's own: the same graph's estimates in one batch against one at a time, which float32 rounding alone sets apart.
/// </summary>
public static class ScoringMigrationCheck
{
    /// <summary>Compares <paramref name="candidateFolder"/> with <paramref name="sourceFolder"/> on <paramref name="trials"/> draws per SNR.</summary>
    public static ScoringComparison Compare(string sourceFolder, string candidateFolder, int trials, int seed)
    {
        if (trials < 1)
        {
            throw new InvalidSettingException("--trials", trials, "an integer >= 1");
        }

        ModelManifest manifest = ModelManifest.Load(Path.Combine(candidateFolder, "manifest.json"));
        Scenario scenario = manifest.Scenario;
        var options = new InferenceOptions { Scenario = scenario };
        ArrayResponse[] arrays = ArrayRealizations.ForAllBaseStations(scenario);
        var settings = new MonteCarloSettings(trials, seed);
        var rows = new List<ScoringComparisonRow>();
        if (manifest.Task == "aod")
        {
            using UeAodEstimator source = UeAodEstimator.Load(ModelReference.Version(sourceFolder), options);
            using UeAodEstimator candidate = UeAodEstimator.Load(ModelReference.Version(candidateFolder), options);
            using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Version(candidateFolder, 1), options);
            AngularRegion region = scenario.AodTestRegion;
            var experiment = new AodExperiment(precoder.Compute(region), region, arrays[0]);
            double golden = Golden(sourceFolder, candidateFolder, manifest);
            foreach (double snr in scenario.SnrGridDb)
            {
                var pair = new AodPair(source.WithRegion(region), candidate.WithRegion(region));
                EvaluationPoint candidatePoint = MonteCarloEvaluator.EvaluateAod(experiment, pair, snr, settings);
                EvaluationPoint sourcePoint = MonteCarloEvaluator.EvaluateAod(experiment, source.WithRegion(region), snr, settings);
                rows.Add(new ScoringComparisonRow(snr, pair.Differences.Largest, pair.Differences.SourceNoise, sourcePoint.Rmse, candidatePoint.Rmse, trials));
            }

            return new ScoringComparison("rad", golden, rows);
        }

        using UePositionEstimator sourcePosition = UePositionEstimator.Load(ModelReference.Version(sourceFolder), options);
        using UePositionEstimator candidatePosition = UePositionEstimator.Load(ModelReference.Version(candidateFolder), options);
        IReadOnlyList<AngularRegion> regions = scenario.PositionRegions(scenario.PositionTestPoint);
        var precoders = new Precoder[scenario.BaseStationCount];
        for (int i = 0; i < precoders.Length; i++)
        {
            using BsPrecoder bs = BsPrecoder.Load(ModelReference.Version(candidateFolder, i + 1), options);
            precoders[i] = bs.Compute(regions[i]);
        }

        var positionExperiment = new PositionExperiment(scenario.BaseStations, precoders, arrays, scenario.PositionTestPoint);
        double goldenPosition = Golden(sourceFolder, candidateFolder, manifest);
        foreach (double snr in scenario.SnrGridDb)
        {
            var pair = new PositionPair(sourcePosition.WithRegions(regions), candidatePosition.WithRegions(regions));
            EvaluationPoint candidatePoint = MonteCarloEvaluator.EvaluatePosition(positionExperiment, pair, snr, settings);
            EvaluationPoint sourcePoint = MonteCarloEvaluator.EvaluatePosition(positionExperiment, sourcePosition.WithRegions(regions), snr, settings);
            rows.Add(new ScoringComparisonRow(snr, pair.Differences.Largest, pair.Differences.SourceNoise, sourcePoint.Rmse, candidatePoint.Rmse, trials));
        }

        return new ScoringComparison("m", goldenPosition, rows);
    }

    /// <summary>
    /// The largest |difference| over the estimator's golden case, through the runtime one row at a time: the candidate
    /// against the recorded outputs and against the source.
    /// </summary>
    private static double Golden(string sourceFolder, string candidateFolder, ModelManifest manifest)
    {
        float[] candidate = GoldenReplay.RunEstimator(candidateFolder, manifest);
        float[] source = GoldenReplay.RunEstimator(sourceFolder, ModelManifest.Load(Path.Combine(sourceFolder, "manifest.json")));
        float[] recorded = manifest.Golden!.Single(g => g.File == manifest.Files.Single(f => f.BaseStation is null).File).Output;
        double largest = 0;
        for (int k = 0; k < candidate.Length; k++)
        {
            largest = Math.Max(largest, Math.Max(Math.Abs(candidate[k] - source[k]), Math.Abs(candidate[k] - recorded[k])));
        }

        return largest;
    }

    /// <summary>An estimator call on [B, per-sample] observations writing [B, width] estimates.</summary>
    private delegate void EstimateCall(ReadOnlySpan<Complex> observations, Span<double> estimates);

    /// <summary>
    /// Runs the source and the candidate on the same observations, answers the candidate's estimates, and keeps the largest
    /// |candidate - source| and the largest |source in one batch - source one row at a time|. Thread-safe.
    /// </summary>
    private sealed class Differences(int perSample, int width)
    {
        private readonly Lock gate = new();

        public double Largest { get; private set; }

        /// <summary>The largest |difference| between the source's estimates in one batch and one row at a time.</summary>
        public double SourceNoise { get; private set; }

        public void Run(ReadOnlySpan<Complex> observations, Span<double> estimates, EstimateCall source, EstimateCall candidate)
        {
            double[] reference = new double[estimates.Length];
            source(observations, reference);
            candidate(observations, estimates);
            double largest = 0, noise = 0;
            var single = new double[width];
            for (int b = 0; b < estimates.Length / width; b++)
            {
                source(observations.Slice(b * perSample, perSample), single);
                for (int k = 0; k < width; k++)
                {
                    largest = Math.Max(largest, Math.Abs(estimates[(b * width) + k] - reference[(b * width) + k]));
                    noise = Math.Max(noise, Math.Abs(single[k] - reference[(b * width) + k]));
                }
            }

            lock (gate)
            {
                Largest = Math.Max(Largest, largest);
                SourceNoise = Math.Max(SourceNoise, noise);
            }
        }
    }

    /// <summary>Both AoD estimators on the same observations (<see cref="Differences"/>).</summary>
    private sealed class AodPair(IAodEstimator source, IAodEstimator candidate) : IAodEstimator
    {
        public Differences Differences { get; } = new(candidate.TransmissionCount, 1);

        public int TransmissionCount => candidate.TransmissionCount;

        public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad) => Differences.Run(observations, aodRad, source.Estimate, candidate.Estimate);
    }

    /// <summary>Both position estimators on the same observations (<see cref="Differences"/>, per coordinate).</summary>
    private sealed class PositionPair(IPositionEstimator source, IPositionEstimator candidate) : IPositionEstimator
    {
        public Differences Differences { get; } = new(candidate.BaseStationCount * candidate.TransmissionCount, 2);

        public int BaseStationCount => candidate.BaseStationCount;

        public int TransmissionCount => candidate.TransmissionCount;

        public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM) => Differences.Run(observations, positionsM, source.Estimate, candidate.Estimate);
    }
}
