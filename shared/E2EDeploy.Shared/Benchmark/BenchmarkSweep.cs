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
}
