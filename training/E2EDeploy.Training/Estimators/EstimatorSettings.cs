using E2EDeploy.Shared;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Estimators;

/// <summary>
/// Which estimator a trained run is exported with: its learned decoder, projected onto the prior's support or not
/// (<see cref="LearnedDecoderEstimator"/>), or that decoder refined by Fisher-scoring steps (<see cref="FisherScoringEstimator"/>,
/// the released models' choice). Immutable.
/// </summary>
/// <param name="ProjectOntoPrior">The decoder's estimate is projected onto U (AoD; needs a decoder that takes the region) or P (position).</param>
/// <param name="RefinementSteps">Fisher-scoring steps after the decoder, within [0, <see cref="FisherScoringEstimator.MaxSteps"/>]; 0 for none.</param>
/// <param name="ScoringInGraph">
/// Whether the scoring steps go into the estimator's ONNX graph (<see cref="E2EDeploy.Shared.Models.ManifestEstimator.FisherScoringKind"/>: one
/// self-contained file, hundreds of nodes, about 1 ms at batch 1) instead of the runtime (the default,
/// <see cref="E2EDeploy.Shared.Models.ManifestEstimator.RuntimeFisherScoringKind"/>: the graph is the decoder, the runtime runs the steps).
/// </param>
public sealed record EstimatorSettings(bool ProjectOntoPrior = false, int RefinementSteps = 0, bool ScoringInGraph = false)
{
    /// <summary>Whether a model-based step follows the decoder, so that the run's array model matters.</summary>
    public bool IsModelBased => RefinementSteps > 0;

    /// <summary>Checks the settings against the run; throws <see cref="InvalidSettingException"/> naming the setting.</summary>
    public EstimatorSettings Validate(TrainedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RefinementSteps < 0 || RefinementSteps > FisherScoringEstimator.MaxSteps)
        {
            throw new InvalidSettingException(nameof(RefinementSteps), RefinementSteps, $"an integer within [0, {FisherScoringEstimator.MaxSteps}]");
        }

        if (ProjectOntoPrior != run.ProjectsOntoPrior)
        {
            throw new InvalidSettingException(nameof(ProjectOntoPrior), ProjectOntoPrior ? "on" : "off", $"the run loaded the same way (TrainedRun.Load with projectOntoPrior {(run.ProjectsOntoPrior ? "on" : "off")})");
        }

        if (IsModelBased && !run.HasCalibration && run.Config.Impairment != ImpairmentKind.None)
        {
            throw new InvalidSettingException(nameof(RefinementSteps), RefinementSteps, $"a calibrated run for impaired arrays ({run.Config.Impairment.ToString().ToLowerInvariant()}): '{run.Run.FullPath}' has no {ArrayCalibration.FileName}; calibrate it first");
        }

        return this;
    }

    /// <summary>The estimator these settings choose, built from the parts of <paramref name="run"/> (which must outlive it).</summary>
    public IExportableEstimator Create(TrainedRun run)
    {
        Validate(run);
        if (!IsModelBased)
        {
            return new LearnedDecoderEstimator(run.Model);
        }

        return FisherScoringEstimator.Create(run.Model, run.LoadArrays(), run.HasCalibration, RefinementSteps, run.Config.Snr.ReferenceDb, ScoringInGraph);
    }
}
