using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>Sizes that replace a training profile's (null keeps the profile's value).</summary>
public sealed record TrainingSizes(int? Hidden = null, int? BatchSize = null, int? ValidationSize = null, int? EvalEvery = null, int? CheckpointEvery = null)
{
    /// <summary><paramref name="config"/> with these sizes.</summary>
    public TrainingConfig ApplyTo(TrainingConfig config) => config with
    {
        Hidden = Hidden ?? config.Hidden,
        BatchSize = BatchSize ?? config.BatchSize,
        ValidationSize = ValidationSize ?? config.ValidationSize,
        EvalEvery = EvalEvery ?? config.EvalEvery,
        CheckpointEvery = CheckpointEvery ?? config.CheckpointEvery,
    };
}
