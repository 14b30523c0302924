using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests;

/// <summary>Tiny training configurations and temporary run folders for tests.</summary>
internal static class TestRuns
{
    public static TrainingConfig Tiny(TrainingTask task = TrainingTask.Aod, int steps = 30) => new TrainingConfig
    {
        Task = task,
        Hidden = 16,
        BatchSize = 32,
        Steps = steps,
        EvalEvery = 10,
        CheckpointEvery = 10,
        ValidationSize = 64,
        LearningRate = 3e-3,
    }.Validate();

    /// <summary>A small scenario (N = 8, T = 4) so that each step takes milliseconds.</summary>
    public static Scenario Small => Scenario.Paper with { AntennaCount = 8, TransmissionCount = 4 };

    public static string NewFolder(string name) => Path.Combine(Path.GetTempPath(), "e2e-train-tests", $"{name}-{Guid.NewGuid():N}");
}
