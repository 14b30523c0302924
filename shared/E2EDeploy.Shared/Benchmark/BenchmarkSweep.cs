using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Benchmark;

/// <summary>
/// The model-based benchmark end to end, as in the paper's figures: benchmark precoders designed with the
/// nominal array, observations generated with the scenario's true (possibly impaired) array, the ML
/// estimators of eqs. (11)-(12) with the nominal array, and the bounds with the true array.
/// </summary>
public static class BenchmarkSweep
{
    /// <summary>The AoD experiment and ML estimator of BS <paramref name="bsIndex"/> for region <paramref name="region"/>.</summary>
    public static (AodExperiment Experiment, MlAodEstimator Estimator) AodSetup(Scenario scenario, int bsIndex, AngularRegion region)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        ArrayResponse trueArray = ArrayRealizations.ForBaseStation(scenario, bsIndex);
        Precoder precoder = BenchmarkPrecoder.Design(region, scenario.AntennaCount, scenario.TransmissionCount).Precoder;
        var estimator = new MlAodEstimator(precoder, region, ArrayResponse.Nominal(scenario.AntennaCount));
        return (new AodExperiment(precoder, region, trueArray), estimator);
    }

    /// <summary>The position experiment at <paramref name="position"/> (U_i = theta_i(p) +/- the prior half-width) and the ML position estimator.</summary>
    public static (PositionExperiment Experiment, MlPositionEstimator Estimator) PositionSetup(Scenario scenario, PlanePoint position)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        return PositionSetupOf(scenario, position, scenario.PositionRegions(position));
    }

    /// <summary>The same for given regions U_i, rad, one per BS (a UE of the prior, <see cref="PositionPriorDraw"/>).</summary>
    public static (PositionExperiment Experiment, MlPositionEstimator Estimator) PositionSetup(Scenario scenario, PlanePoint position, IReadOnlyList<AngularRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(regions);
        scenario.Validate();
        if (regions.Count != scenario.BaseStationCount)
        {
            throw new ArgumentException($"{regions.Count} regions: expected one per BS ({scenario.BaseStationCount}).", nameof(regions));
        }

        return PositionSetupOf(scenario, position, regions);
    }

    /// <summary>The position set-up for a validated scenario and one region per BS.</summary>
    private static (PositionExperiment Experiment, MlPositionEstimator Estimator) PositionSetupOf(Scenario scenario, PlanePoint position, IReadOnlyList<AngularRegion> regions)
    {
        ArrayResponse nominal = ArrayResponse.Nominal(scenario.AntennaCount);
        var precoders = new Precoder[regions.Count];
        var estimators = new MlAodEstimator[regions.Count];
        for (int i = 0; i < regions.Count; i++)
        {
            precoders[i] = BenchmarkPrecoder.Design(regions[i], scenario.AntennaCount, scenario.TransmissionCount).Precoder;
            estimators[i] = new MlAodEstimator(precoders[i], regions[i], nominal);
        }

        var experiment = new PositionExperiment(scenario.BaseStations, precoders, ArrayRealizations.ForAllBaseStations(scenario), position);
        return (experiment, new MlPositionEstimator(scenario.BaseStations, estimators, scenario.PositionPrior));
    }

    /// <summary>AoD RMSE and sqrt(mean CRB) per SNR, rad.</summary>
    public static EvaluationPoint[] Aod(Scenario scenario, int bsIndex, AngularRegion region, IReadOnlyList<double> snrsDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snrsDb);
        (AodExperiment experiment, MlAodEstimator estimator) = AodSetup(scenario, bsIndex, region);
        return snrsDb.Select(snr => MonteCarloEvaluator.EvaluateAod(experiment, estimator, snr, settings, progress, cancellationToken)).ToArray();
    }

    /// <summary>Position RMSE and PEB per SNR, m.</summary>
    public static EvaluationPoint[] Position(Scenario scenario, PlanePoint position, IReadOnlyList<double> snrsDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snrsDb);
        (PositionExperiment experiment, MlPositionEstimator estimator) = PositionSetup(scenario, position);
        return snrsDb.Select(snr => MonteCarloEvaluator.EvaluatePosition(experiment, estimator, snr, settings, progress, cancellationToken)).ToArray();
    }

    /// <summary>
    /// The Bayesian reference of the benchmark precoder per SNR (<see cref="BayesianReference.Aod"/>: the ZZB, the MMSE
    /// estimator's RMSE on the same draws as <see cref="Aod"/> for the same settings, the known-magnitude CRB), rad.
    /// </summary>
    public static BayesianReference[] AodReference(Scenario scenario, int bsIndex, AngularRegion region, IReadOnlyList<double> snrsDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snrsDb);
        (AodExperiment experiment, _) = AodSetup(scenario, bsIndex, region);
        return snrsDb.Select(snr => BayesianReference.Aod(experiment, snr, settings, progress, cancellationToken)).ToArray();
    }

    /// <summary>
    /// The benchmark over UEs of the training prior (<see cref="PositionPriorDraw"/>), each UE with its own regions, benchmark
    /// precoders and ML estimator and trials / UEs draws of its own seed: per SNR the pooled RMSE and RMS PEB, and the pooled
    /// Bayesian reference of each UE's benchmark precoders (ZZB over its support, MMSE RMSE on the same draws), m. UEs run in
    /// parallel, one thread each, so the numbers do not depend on the thread count.
    /// </summary>
    public static (EvaluationPoint[] Points, BayesianReference[] References) PositionOverPrior(Scenario scenario, IReadOnlyList<PositionPriorDraw> ues, IReadOnlyList<double> snrsDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(ues);
        ArgumentNullException.ThrowIfNull(snrsDb);
        ArgumentNullException.ThrowIfNull(settings);
        if (ues.Count < 1 || settings.Trials % ues.Count != 0)
        {
            throw new ArgumentException($"{ues.Count} UEs for {settings.Trials} trials: expected at least one UE and a number of UEs that divides the trials.", nameof(ues));
        }

        var setups = new (PositionExperiment Experiment, MlPositionEstimator Estimator)[ues.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism };
        Parallel.For(0, ues.Count, options, m => setups[m] = PositionSetup(scenario, ues[m].Position, ues[m].Regions));
        var points = new EvaluationPoint[snrsDb.Count];
        var references = new BayesianReference[snrsDb.Count];
        for (int k = 0; k < snrsDb.Count; k++)
        {
            double snr = snrsDb[k];
            var perUe = new EvaluationPoint[ues.Count];
            var perUeReference = new BayesianReference[ues.Count];
            Parallel.For(0, ues.Count, options, m =>
            {
                var ueSettings = UeSettings(settings, ues.Count, m);
                perUe[m] = MonteCarloEvaluator.EvaluatePosition(setups[m].Experiment, setups[m].Estimator, snr, ueSettings, progress, cancellationToken);
                perUeReference[m] = BayesianReference.Position(setups[m].Experiment, ues[m].Regions, scenario.PositionPrior, snr, ueSettings, progress, cancellationToken);
            });
            points[k] = EvaluationPoint.Pool(perUe);
            references[k] = BayesianReference.Pool(perUeReference);
        }

        return (points, references);
    }

    /// <summary>
    /// The settings of UE <paramref name="ue"/> of <paramref name="ueCount"/> over the prior: trials / UEs draws, one thread,
    /// and a seed of its own derived from the settings' seed (the same derivation as `e2e validate --over-prior`).
    /// </summary>
    public static MonteCarloSettings UeSettings(MonteCarloSettings settings, int ueCount, int ue)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MonteCarloSettings(settings.Trials / ueCount, unchecked((settings.Seed * 1_000_003) + ue + 1), MaxDegreeOfParallelism: 1);
    }
}
