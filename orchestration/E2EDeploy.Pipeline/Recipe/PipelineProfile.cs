using E2EDeploy.Shared;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>
/// The lower-threshold stage of the release recipe (docs/research-log.md, "Lower-threshold precoders"): a fine-tune from the
/// first stage's best weights with less weight on the bound, so that the precoders give up a little Fisher information for a
/// lower threshold SNR, which the Fisher-scoring steps then reach. AoD also moves the knee of the sample weights to the lowest
/// training SNR (no SNR of the range falls off faster than the CRB's 10 dB per 10 dB).
/// </summary>
/// <param name="AodSteps">Optimiser steps for AoD (release: 5,000).</param>
/// <param name="PositionSteps">Optimiser steps for position (release: 9,000).</param>
/// <param name="AodBoundWeight">Bound weight for AoD (release: 0, the paper's loss).</param>
/// <param name="PositionBoundWeight">Bound weight for position (release: 1).</param>
/// <param name="LearningRate">Adam's starting rate of the fine-tune (release: 1e-4).</param>
public sealed record LowerThresholdSettings(int AodSteps, int PositionSteps, double AodBoundWeight, double PositionBoundWeight, double LearningRate)
{
    /// <summary>The stage's steps for <paramref name="task"/>.</summary>
    public int StepsFor(TrainingTask task) => task == TrainingTask.Aod ? AodSteps : PositionSteps;

    /// <summary>The stage's bound weight for <paramref name="task"/>.</summary>
    public double BoundWeightFor(TrainingTask task) => task == TrainingTask.Aod ? AodBoundWeight : PositionBoundWeight;
}

/// <summary>
/// A recipe of `e2e-train pipeline` (the recipe is code, one record per profile): which training profile the first stage
/// starts from, whether a lower-threshold stage follows, how the UE's arrays are calibrated, and how the estimator is
/// exported. <see cref="PipelineRecipe"/> turns a profile, a scenario and a task into the stages.
/// </summary>
public sealed record PipelineProfile
{
    /// <summary>quick, release or paper.</summary>
    public required string Name { get; init; }

    /// <summary>The <see cref="TrainingConfig.ForProfile"/> profile of the first training stage.</summary>
    public required string TrainingProfile { get; init; }

    /// <summary>The first stage trains over the scenario's SNR range (true) or at one SNR (false; <see cref="DefaultSnrDb"/>).</summary>
    public bool TrainsOverRange { get; init; }

    /// <summary>The fixed training SNR when the profile does not train over a range and no SNR is given, dB.</summary>
    public double DefaultSnrDb { get; init; } = 20;

    /// <summary>The UE decoder sees the regions (needed for the projection onto U of an AoD estimator).</summary>
    public bool DecoderRegion { get; init; }

    /// <summary>The lower-threshold stage, or null for none.</summary>
    public LowerThresholdSettings? LowerThreshold { get; init; }

    /// <summary>Fisher-scoring steps of the exported estimator (0: the learned decoder alone).</summary>
    public int RefinementSteps { get; init; }

    /// <summary>The exported estimator projects onto U or P.</summary>
    public bool ProjectOntoPrior { get; init; }

    /// <summary>The calibration of the UE's arrays, run for an impaired scenario when the estimator refines.</summary>
    public CalibrationSettings Calibration { get; init; } = new(Steps: 2000, LearningRate: 1e-2);

    /// <summary>The antenna count up to which <see cref="Calibration"/>'s steps serve unchanged.</summary>
    public const int CalibrationReferenceAntennaCount = 32;

    /// <summary>
    /// The calibration for <paramref name="scenario"/>: <see cref="Calibration"/> with its steps multiplied by
    /// (N / 32)^2 where N = <see cref="Scenario.AntennaCount"/> exceeds 32. The array model has more to learn as N grows,
    /// and Adam's steps with it: at N = 64 with spacing, 2,000 steps leave the refined AoD estimator 1.52 x its CRB at
    /// 30 dB, 4,000 steps 1.22 x and 8,000 steps 1.06 x (docs/research-log.md, "Calibration steps and N").
    /// </summary>
    public CalibrationSettings CalibrationFor(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        double scale = Math.Max(1.0, (double)scenario.AntennaCount / CalibrationReferenceAntennaCount);
        return Calibration with { Steps = (int)Math.Ceiling(Calibration.Steps * scale * scale) };
    }

    /// <summary>Overrides of the training profile's sizes (tests use tiny networks); null keeps the profile's.</summary>
    public TrainingSizes? Sizes { get; init; }

    /// <summary>The quick profile: minutes on 2 CPU cores, at one SNR, the paper's decoder, no refinement.</summary>
    public static PipelineProfile Quick { get; } = new() { Name = "quick", TrainingProfile = "quick" };

    /// <summary>
    /// The release profile, the recipe of the released models: over the scenario's SNR range with the bound term (15,000
    /// steps), the lower-threshold stage, the calibration (impaired scenarios) and 3 Fisher-scoring steps run by the runtime.
    /// </summary>
    public static PipelineProfile Release { get; } = new()
    {
        Name = "release",
        TrainingProfile = "release",
        TrainsOverRange = true,
        DecoderRegion = true,
        LowerThreshold = new LowerThresholdSettings(AodSteps: 5000, PositionSteps: 9000, AodBoundWeight: 0, PositionBoundWeight: 1, LearningRate: 1e-4),
        RefinementSteps = 3,
        ProjectOntoPrior = true,
    };

    /// <summary>The paper's sizes and its one SNR per model (for a GPU workstation).</summary>
    public static PipelineProfile Paper { get; } = new() { Name = "paper", TrainingProfile = "paper" };

    /// <summary>The profile called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidSettingException">No such profile.</exception>
    public static PipelineProfile Named(string name) => name switch
    {
        "quick" => Quick,
        "release" => Release,
        "paper" => Paper,
        _ => throw new InvalidSettingException("--profile", $"'{name}'", "quick, release or paper"),
    };
}
