using System.Runtime.ExceptionServices;
using E2EDeploy.Inference;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Validation;

/// <summary>What to validate and how.</summary>
/// <param name="Registry">Registry root, e.g. models.</param>
/// <param name="Family">Model family.</param>
/// <param name="Version">Version, or null for the highest vN.</param>
/// <param name="SnrsDb">SNRs, dB; null for the scenario's grid.</param>
/// <param name="Trials">Monte-Carlo trials per SNR and per estimator.</param>
/// <param name="Seed">Seed of the channel realisations, shared by the learned model and the benchmark.</param>
/// <param name="Ideal">Whether to also run <see cref="ModelValidator"/>'s ideal estimator on the learned precoders (a diagnostic).</param>
/// <param name="PriorPositions">Position models: 0 for the paper's test point, or this many UEs drawn from the model's training prior, over which <paramref name="Trials"/> are split evenly.</param>
public sealed record ValidationRequest(string Registry, string Family, string? Version, IReadOnlyList<double>? SnrsDb, int Trials, int Seed, bool Ideal = false, int PriorPositions = 0);

/// <summary>
/// One SNR: the learned model and the benchmark on the same channel realisations. Units: deg (AoD) or m (position).
/// Over UEs of the prior (<see cref="ValidationOutcome.PriorPositions"/> > 0), each RMSE pools every UE's draws and each
/// bound is the RMS of the UEs' PEBs, so that a ratio is sqrt(mean squared error / mean PEB^2).
/// </summary>
public sealed record ValidationRow(double SnrDb, double LearnedRmse, double LearnedBound, double BenchmarkRmse, double BenchmarkBound, int Trials)
{
    /// <summary>
    /// RMSE of the ideal estimator on the learned precoders and the same draws, or null when it was not run: the ML
    /// estimator eq. (11) (with eq. 12 for position) that knows the TRUE arrays and the learned precoders. It is not a
    /// deployable estimator (the UE does not know the impaired arrays); it shows how close an efficient estimator gets to
    /// the learned precoders' bound, and so how much of the learned RMSE's excess is the learned decoder's.
    /// </summary>
    public double? IdealRmse { get; init; }

    /// <summary>
    /// What the learned precoders allow over the prior (docs/conventions.md point 12): the Ziv-Zakai bound, the Bayes-optimal
    /// estimator's RMSE on the same draws and the known-magnitude bound; null where the rows are at one fixed position
    /// (these hold over a prior only).
    /// </summary>
    public BayesianReference? LearnedReference { get; init; }

    /// <summary>The same for the benchmark precoders (with the true arrays).</summary>
    public BayesianReference? BenchmarkReference { get; init; }

    /// <summary>The standard errors of the learned and benchmark RMSEs.</summary>
    public (double Learned, double Benchmark, double Ideal) StandardErrors { get; init; }

    /// <summary>Learned RMSE / the MMSE RMSE on the learned precoders, or null.</summary>
    public double? LearnedToMmse => LearnedRmse / LearnedReference?.MmseRmse;

    /// <summary>Ideal RMSE / the learned bound, or null.</summary>
    public double? IdealRatio => IdealRmse / LearnedBound;

    /// <summary>Learned RMSE / its own bound.</summary>
    public double LearnedRatio => LearnedRmse / LearnedBound;

    /// <summary>Benchmark RMSE / its own bound.</summary>
    public double BenchmarkRatio => BenchmarkRmse / BenchmarkBound;

    /// <summary>Whether the learned model meets its bound within 10 %.</summary>
    public bool LearnedMeetsBound => LearnedRatio <= 1.10;
}

/// <summary>Aggregate beam pattern ||F^T a~(theta)||^2 of the learned and benchmark precoders of BS 1 for one region (Figs. 4a, 5, 8).</summary>
public sealed record BeamPattern(AngularRegion Region, double[] ThetaDeg, double[] Learned, double[] Benchmark);

/// <summary>The outcome of a validation.</summary>
public sealed record ValidationOutcome(ModelManifest Manifest, Scenario Scenario, string Unit, string BoundName, IReadOnlyList<ValidationRow> Rows, IReadOnlyList<BeamPattern> BeamPatterns)
{
    /// <summary>family/version.</summary>
    public string ModelName => $"{Manifest.Family}/{Manifest.Version}";

    /// <summary>0 for the paper's test point, or the number of UEs drawn from the training prior (position only).</summary>
    public int PriorPositions { get; init; }
}

/// <summary>
/// Validates a deployed model version (docs/conventions.md point 11): the learned precoder and estimator, loaded through
/// <see cref="E2EDeploy.Inference"/>, and the model-based benchmark, on the same channel realisations of the shared
/// simulator, under the impairment the model was trained for (the benchmark stays unaware of it). AoD: BS 1 with
/// theta ~ U(U1), U1 the scenario's AoD test region (the paper's [40, 60] deg by default), RMSE next to sqrt(mean CRB) of
/// each precoder. Position: the scenario's test point p (the paper's [0.5, 5] m, the centre of P) with
/// U_i = theta_i(p) +/- the prior's half-width, RMSE next to each PEB; or, on request, UEs drawn from the training prior
/// (<see cref="PositionPriorDraw"/>), each with its own regions and precoders. The benchmark's numbers are those of `e2e bench` for the same
/// seed, SNR and scenario: same code, same draws. On request, the ideal estimator (<see cref="ValidationRow.IdealRmse"/>)
/// runs on the learned precoders and the same draws as well.
/// </summary>
public static class ModelValidator
{
    /// <summary>Resolves the version folder of a request; throws <see cref="ArgumentException"/> naming what is missing.</summary>
    public static string ResolveFolder(ValidationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RegistryName.Check(request.Family, nameof(request.Family));
        if (request.Version is not null)
        {
            RegistryName.Check(request.Version, nameof(request.Version));
        }

        if (!Directory.Exists(request.Registry))
        {
            throw new InvalidSettingException(nameof(request.Registry), $"'{request.Registry}'", "an existing registry folder such as models");
        }

        string familyFolder = Path.Combine(Path.GetFullPath(request.Registry), request.Family);
        if (!Directory.Exists(familyFolder))
        {
            throw new InvalidSettingException(nameof(request.Family), $"'{request.Family}'", $"a family in '{request.Registry}'");
        }

        string? version = request.Version ?? RegistryName.HighestVersion(familyFolder);
        string folder = Path.Combine(familyFolder, version ?? string.Empty);
        if (version is null || !File.Exists(Path.Combine(folder, "manifest.json")))
        {
            throw new InvalidSettingException(nameof(request.Family), $"'{request.Family}{(request.Version is null ? string.Empty : "/" + request.Version)}'", $"a model version with a manifest.json in '{familyFolder}'");
        }

        return folder;
    }

    /// <summary>Runs the validation; <paramref name="progress"/> receives completed trials.</summary>
    public static ValidationOutcome Run(ValidationRequest request, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunFolder(ResolveFolder(request), request.SnrsDb, request.Trials, request.Seed, progress, cancellationToken, request.Ideal, request.PriorPositions);
    }

    /// <summary>
    /// Validates the model version in <paramref name="folder"/> (a folder with manifest.json, which may be a staging folder).
    /// With <paramref name="ideal"/>, each row also holds <see cref="ValidationRow.IdealRmse"/>. With
    /// <paramref name="priorPositions"/> > 0 (position models), the UEs are drawn from the training prior with
    /// <paramref name="seed"/>, and each gets trials / priorPositions draws.
    /// </summary>
    public static ValidationOutcome RunFolder(string folder, IReadOnlyList<double>? snrsDb, int trials, int seed, IProgress<int>? progress = null, CancellationToken cancellationToken = default, bool ideal = false, int priorPositions = 0)
    {
        if (trials < 1)
        {
            throw new InvalidSettingException("Trials", trials, "an integer >= 1");
        }

        if (priorPositions < 0 || (priorPositions > 0 && trials % priorPositions != 0))
        {
            throw new InvalidSettingException("PriorPositions", priorPositions, $"0 (the test point) or a number of UEs >= 1 that divides the trials ({trials})");
        }

        ModelManifest manifest = ModelManifest.Load(Path.Combine(folder, "manifest.json"));
        if (priorPositions > 0 && manifest.Task != "position")
        {
            throw new InvalidSettingException("PriorPositions", priorPositions, $"0 for {manifest.Family}/{manifest.Version}, an {manifest.Task} model (the prior's UEs need a position model)");
        }

        Scenario scenario = manifest.Scenario;
        IReadOnlyList<double> snrs = snrsDb ?? scenario.SnrGridDb;
        var settings = new MonteCarloSettings(trials, seed);
        var options = new InferenceOptions { Scenario = scenario };
        ArrayResponse[] arrays = ArrayRealizations.ForAllBaseStations(scenario);
        var precoders = new BsPrecoder[scenario.BaseStationCount];
        try
        {
            for (int i = 0; i < precoders.Length; i++)
            {
                precoders[i] = BsPrecoder.Load(ModelReference.Version(folder, i + 1), options);
            }

            List<ValidationRow> rows;
            string unit, bound;
            if (manifest.Task == "aod")
            {
                (unit, bound) = ("deg", "sqrt(CRB)");
                using UeAodEstimator estimator = UeAodEstimator.Load(ModelReference.Version(folder), options);
                AngularRegion testRegion = scenario.AodTestRegion;
                var learned = new AodExperiment(precoders[0].Compute(testRegion), testRegion, arrays[0]);
                (AodExperiment benchmark, MlAodEstimator ml) = BenchmarkSweep.AodSetup(scenario, 0, testRegion);
                MlAodEstimator? idealEstimator = ideal ? new MlAodEstimator(learned.Precoder, testRegion, arrays[0]) : null;
                double scale = Units.RadiansToDegrees(1);
                rows = snrs.Select(snr =>
                {
                    EvaluationPoint l = MonteCarloEvaluator.EvaluateAod(learned, estimator.WithRegion(testRegion), snr, settings, progress, cancellationToken);
                    EvaluationPoint b = MonteCarloEvaluator.EvaluateAod(benchmark, ml, snr, settings, progress, cancellationToken);
                    EvaluationPoint? i = idealEstimator is null ? null : MonteCarloEvaluator.EvaluateAod(learned, idealEstimator, snr, settings, progress, cancellationToken);
                    BayesianReference learnedReference = BayesianReference.Aod(learned, snr, settings, progress, cancellationToken);
                    BayesianReference benchmarkReference = BayesianReference.Aod(benchmark, snr, settings, progress, cancellationToken);
                    return new ValidationRow(snr, l.Rmse * scale, l.Bound * scale, b.Rmse * scale, b.Bound * scale, trials)
                    {
                        IdealRmse = i?.Rmse * scale,
                        LearnedReference = Scaled(learnedReference, scale),
                        BenchmarkReference = Scaled(benchmarkReference, scale),
                        StandardErrors = (l.RmseStandardError * scale, b.RmseStandardError * scale, (i?.RmseStandardError ?? 0) * scale),
                    };
                }).ToList();
            }
            else
            {
                (unit, bound) = ("m", priorPositions == 0 ? "PEB" : "RMS PEB");
                using UePositionEstimator estimator = UePositionEstimator.Load(ModelReference.Version(folder), options);
                PositionPriorDraw[] ues = priorPositions == 0
                    ? [new PositionPriorDraw(scenario.PositionTestPoint, scenario.PositionRegions(scenario.PositionTestPoint))]
                    : PositionPriorDraw.Draw(scenario, priorPositions, seed).Draws;
                // The test point's draws run in parallel chunks; over the prior, the UEs run in parallel, each on one thread with a
                // seed of its own, so the numbers do not depend on the thread count. A UE's set-up (its precoders, codebooks and
                // estimators) is made on first use and kept for the other SNRs.
                var cases = new PositionCase?[ues.Length];
                rows = snrs.Select(snr =>
                {
                    var l = new EvaluationPoint[ues.Length];
                    var b = new EvaluationPoint[ues.Length];
                    var i = new EvaluationPoint[ideal ? ues.Length : 0];
                    bool overPrior = priorPositions > 0;
                    var lr = new BayesianReference[overPrior ? ues.Length : 0];
                    var br = new BayesianReference[overPrior ? ues.Length : 0];
                    ForEachUe(ues.Length, cancellationToken, m =>
                    {
                        PositionCase c = cases[m] ??= PositionCase.Create(ues[m], scenario, precoders, arrays, estimator, ideal);
                        MonteCarloSettings s = priorPositions == 0 ? settings : BenchmarkSweep.UeSettings(settings, priorPositions, m);
                        l[m] = MonteCarloEvaluator.EvaluatePosition(c.Learned, c.Estimator, snr, s, progress, cancellationToken);
                        b[m] = MonteCarloEvaluator.EvaluatePosition(c.Benchmark, c.Ml, snr, s, progress, cancellationToken);
                        if (ideal)
                        {
                            i[m] = MonteCarloEvaluator.EvaluatePosition(c.Learned, c.Ideal!, snr, s, progress, cancellationToken);
                        }

                        if (overPrior)
                        {
                            lr[m] = BayesianReference.Position(c.Learned, ues[m].Regions, scenario.PositionPrior, snr, s, progress, cancellationToken);
                            br[m] = BayesianReference.Position(c.Benchmark, ues[m].Regions, scenario.PositionPrior, snr, s, progress, cancellationToken);
                        }
                    });
                    EvaluationPoint lp = EvaluationPoint.Pool(l), bp = EvaluationPoint.Pool(b);
                    EvaluationPoint? ip = ideal ? EvaluationPoint.Pool(i) : null;
                    return new ValidationRow(snr, lp.Rmse, lp.Bound, bp.Rmse, bp.Bound, trials)
                    {
                        IdealRmse = ip?.Rmse,
                        LearnedReference = overPrior ? BayesianReference.Pool(lr) : null,
                        BenchmarkReference = overPrior ? BayesianReference.Pool(br) : null,
                        StandardErrors = (lp.RmseStandardError, bp.RmseStandardError, ip?.RmseStandardError ?? 0),
                    };
                }).ToList();
            }

            BeamPattern[] beams = [Beams(precoders[0], arrays[0], scenario, scenario.AodTestRegion), Beams(precoders[0], arrays[0], scenario, PaperTestPoints.BeamPatternRegion)];
            return new ValidationOutcome(manifest, scenario, unit, bound, rows, beams) { PriorPositions = priorPositions };
        }
        finally
        {
            foreach (BsPrecoder? precoder in precoders)
            {
                precoder?.Dispose();
            }
        }
    }

    /// <summary>A reference in another unit.</summary>
    private static BayesianReference Scaled(BayesianReference reference, double scale) =>
        new(reference.ZivZakaiBound * scale, reference.MmseRmse * scale, reference.KnownMagnitudeBound * scale) { MmseStandardError = reference.MmseStandardError * scale };

    /// <summary>Runs <paramref name="body"/> for 0..count-1: inline for one, in parallel for more, rethrowing the first error as itself.</summary>
    private static void ForEachUe(int count, CancellationToken cancellationToken, Action<int> body)
    {
        if (count == 1)
        {
            body(0);
            return;
        }

        try
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static BeamPattern Beams(BsPrecoder learned, ArrayResponse array, Scenario scenario, AngularRegion region)
    {
        Precoder learnedPrecoder = learned.Compute(region);
        Precoder benchmark = BenchmarkPrecoder.Design(region, scenario.AntennaCount, scenario.TransmissionCount).Precoder;
        double[] degrees = Enumerable.Range(0, 361).Select(i => -89.5 + (i * 179.0 / 360)).ToArray();
        return new BeamPattern(
            region,
            degrees,
            degrees.Select(d => learnedPrecoder.BeamPattern(array, Units.DegreesToRadians(d))).ToArray(),
            degrees.Select(d => benchmark.BeamPattern(array, Units.DegreesToRadians(d))).ToArray());
    }

    /// <summary>One UE of a position validation: the learned and benchmark experiments and estimators for its regions.</summary>
    private sealed record PositionCase(PositionExperiment Learned, IPositionEstimator Estimator, PositionExperiment Benchmark, MlPositionEstimator Ml, MlPositionEstimator? Ideal)
    {
        public static PositionCase Create(PositionPriorDraw ue, Scenario scenario, BsPrecoder[] precoders, ArrayResponse[] arrays, UePositionEstimator estimator, bool ideal)
        {
            IReadOnlyList<AngularRegion> regions = ue.Regions;
            Precoder[] learnedPrecoders = regions.Select((region, i) => precoders[i].Compute(region)).ToArray();
            (PositionExperiment benchmark, MlPositionEstimator ml) = BenchmarkSweep.PositionSetup(scenario, ue.Position, regions);
            MlPositionEstimator? idealEstimator = ideal
                ? new MlPositionEstimator(scenario.BaseStations, regions.Select((region, i) => new MlAodEstimator(learnedPrecoders[i], region, arrays[i])).ToArray(), scenario.PositionPrior)
                : null;
            return new PositionCase(new PositionExperiment(scenario.BaseStations, learnedPrecoders, arrays, ue.Position), estimator.WithRegions(regions), benchmark, ml, idealEstimator);
        }
    }
}
