using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Estimators;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>
/// Turns a request into the stages of each family (docs/guide/training.md, "The pipeline's recipe"). The schedule comes from
/// the scenario, not from a family name: the SNR range is the scenario's SNR grid (or --snr-range), the lower-threshold
/// stage moves the AoD knee to the lowest SNR of that range, and the calibration runs where the scenario's arrays are
/// impaired and the estimator refines, with more steps for more antennas (<see cref="PipelineProfile.CalibrationFor"/>).
/// </summary>
public static class PipelineRecipe
{
    /// <summary>The stages of <paramref name="task"/>'s family, in order.</summary>
    public static IReadOnlyList<RecipeStage> For(PipelineRequest request, TrainingTask task)
    {
        ArgumentNullException.ThrowIfNull(request);
        PipelineProfile profile = request.Profile;
        Scenario scenario = request.Scenario;
        string family = request.FamilyOf(task);
        string runs = Path.GetFullPath(Path.Combine(request.Output, "runs", family));
        TrainingConfig first = TrainingConfig.ForProfile(profile.TrainingProfile, task) with
        {
            Impairment = scenario.Impairments.Kind,
            Seed = request.Seed,
            DecoderRegion = profile.DecoderRegion,
            InitFrom = request.InitFrom is null ? null : Path.GetFullPath(request.InitFrom),
        };
        first = profile.Sizes?.ApplyTo(first) ?? first;
        first = WithSnr(first, request, scenario);
        (int firstSteps, int lowerSteps) = Steps(request, task, first.Steps);
        first = first with { Steps = firstSteps };

        var stages = new List<RecipeStage>();
        string firstFolder = Path.Combine(runs, "train");
        stages.Add(new TrainStage(family, "train", firstFolder, first.Validate(), scenario));
        string last = firstFolder;
        if (profile.LowerThreshold is LowerThresholdSettings lower)
        {
            string folder = Path.Combine(runs, "lower-threshold");
            TrainingConfig config = first with
            {
                InitFrom = firstFolder,
                LearningRate = lower.LearningRate,
                BoundWeight = lower.BoundWeightFor(task),
                SnrKneeDb = task == TrainingTask.Aod && first.SnrMaxDb is not null ? first.SnrDb : first.SnrKneeDb,
                Steps = lowerSteps,
            };
            stages.Add(new TrainStage(family, "lower-threshold", folder, config.Validate(), scenario));
            last = folder;
        }

        if (profile.RefinementSteps > 0 && scenario.Impairments.Kind != ImpairmentKind.None)
        {
            stages.Add(new CalibrateStage(family, last, profile.CalibrationFor(scenario).Validate()));
        }

        string registry = Path.GetFullPath(request.Registry);
        stages.Add(new ExportStage(family, last, registry, new EstimatorSettings(profile.ProjectOntoPrior, profile.RefinementSteps), request.CommandFor(task)));
        stages.Add(new ValidateStage(family, registry, Path.GetFullPath(Path.Combine(request.Output, "reports", family)), request.Trials, request.Seed));
        return stages;
    }

    private static TrainingConfig WithSnr(TrainingConfig config, PipelineRequest request, Scenario scenario)
    {
        if (request.SnrDb is double fixedSnr)
        {
            return config with { SnrDb = fixedSnr, SnrMaxDb = null, SnrKneeDb = null };
        }

        (double min, double max)? range = request.SnrRangeDb
            ?? (request.Profile.TrainsOverRange ? (scenario.SnrGridDb.Min(), scenario.SnrGridDb.Max()) : null);
        if (range is not (double low, double high) || low == high)
        {
            return config with { SnrDb = range?.min ?? request.Profile.DefaultSnrDb, SnrMaxDb = null, SnrKneeDb = null };
        }

        // The knee of the profile (release: 10 dB) where it lies inside the range, else the range's middle.
        double knee = config.SnrKneeDb is double k && k >= low && k <= high ? k : 0.5 * (low + high);
        return config with { SnrDb = low, SnrMaxDb = high, SnrKneeDb = knee };
    }

    /// <summary>The steps of the first and the lower-threshold stage: the recipe's, or --steps split in the recipe's proportion.</summary>
    private static (int First, int Lower) Steps(PipelineRequest request, TrainingTask task, int profileSteps)
    {
        int lower = request.Profile.LowerThreshold?.StepsFor(task) ?? 0;
        if (request.Steps is not int total)
        {
            return (profileSteps, lower);
        }

        if (lower == 0)
        {
            return (total, 0);
        }

        int first = Math.Clamp((int)Math.Round(total * (double)profileSteps / (profileSteps + lower)), 1, Math.Max(1, total - 1));
        return (first, Math.Max(1, total - first));
    }
}
