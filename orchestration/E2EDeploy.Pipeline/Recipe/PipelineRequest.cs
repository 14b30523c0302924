using System.Globalization;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>
/// What `e2e-train pipeline` is asked to do: the scenario (its impairment and test points included), the tasks, the profile,
/// the SNRs, where the runs, models and reports go, and the seeds. Immutable; <see cref="PipelineRecipe.For"/> derives the
/// stages from it.
/// </summary>
public sealed record PipelineRequest
{
    /// <summary>The scenario (the paper's by default).</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The scenario file as the user named it, for the reproducing command; null for the paper's scenario.</summary>
    public string? ScenarioFile { get; init; }

    /// <summary>The tasks, in the order they run.</summary>
    public required IReadOnlyList<TrainingTask> Tasks { get; init; }

    /// <summary>The recipe.</summary>
    public required PipelineProfile Profile { get; init; }

    /// <summary>A fixed training SNR, dB (--snr); null for the profile's choice.</summary>
    public double? SnrDb { get; init; }

    /// <summary>The training SNR range, dB (--snr-range); null for the scenario's SNR grid (release) or the fixed SNR.</summary>
    public (double Min, double Max)? SnrRangeDb { get; init; }

    /// <summary>Folder of the runs (OUT/runs), the reports (OUT/reports) and the pipeline's state (OUT/pipeline.json).</summary>
    public required string Output { get; init; }

    /// <summary>Registry root that receives the versions (default OUT/models).</summary>
    public required string Registry { get; init; }

    /// <summary>The families' name after the task: the families are aod-NAME and position-NAME.</summary>
    public required string FamilyName { get; init; }

    /// <summary>Validation trials per SNR and estimator.</summary>
    public int Trials { get; init; } = 10_000;

    /// <summary>Seed of the training and of the validation draws.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Total optimiser steps of a task over its training stages, replacing the recipe's (smoke runs); null keeps the recipe's.</summary>
    public int? Steps { get; init; }

    /// <summary>A run folder whose best weights start the first stage (a warm start; one task only); null for a seeded random start.</summary>
    public string? InitFrom { get; init; }

    /// <summary>The family of <paramref name="task"/>: aod-NAME or position-NAME.</summary>
    public string FamilyOf(TrainingTask task) => $"{TaskName(task)}-{FamilyName}";

    /// <summary>aod or position.</summary>
    public static string TaskName(TrainingTask task) => task == TrainingTask.Aod ? "aod" : "position";

    /// <summary>
    /// The one command that reproduces the family of <paramref name="task"/> (recorded in its manifest): this request for that
    /// task alone. The scenario file it names is the manifest's scenario.
    /// </summary>
    public string CommandFor(TrainingTask task)
    {
        var arguments = new List<string> { "pipeline" };
        if (ScenarioFile is not null)
        {
            arguments.AddRange(["--scenario", ScenarioFile]);
        }

        arguments.AddRange(["--task", TaskName(task), "--profile", Profile.Name]);
        if (SnrDb is double snr)
        {
            arguments.AddRange(["--snr", Number(snr)]);
        }

        if (SnrRangeDb is (double min, double max))
        {
            arguments.Add($"--snr-range={Number(min)}:{Number(max)}");
        }

        if (Steps is int steps)
        {
            arguments.AddRange(["--steps", steps.ToString(CultureInfo.InvariantCulture)]);
        }

        if (InitFrom is not null)
        {
            arguments.AddRange(["--init-from", InitFrom]);
        }

        arguments.AddRange(["--family", FamilyName, "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--trials", Trials.ToString(CultureInfo.InvariantCulture)]);
        return CommandLineText.Of("e2e-train", arguments);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
