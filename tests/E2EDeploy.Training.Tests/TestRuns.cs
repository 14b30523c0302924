using E2EDeploy.Pipeline;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Estimators;
using E2EDeploy.Training.Registry;
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

    /// <summary>Exports <paramref name="run"/> with the deployed-runtime regression metric, as `e2e-train export` does.</summary>
    public static PublishResult Publish(RunDirectory run, string registry, string family, string? version = null, bool project = false, int refine = 0, Action<string>? afterFileWritten = null, bool scoringInGraph = false) =>
        ModelPublisher.Publish(run, new PublishTarget(registry, family, version), new EstimatorSettings(project, refine, scoringInGraph), DeployedRegression.Measure, afterFileWritten);

    /// <summary>Learns the UE's array models of <paramref name="run"/> (20 steps) and saves them beside its weights, as `e2e-train calibrate` does.</summary>
    public static void Calibrate(RunDirectory run) =>
        ArrayCalibration.CalibrateRun(run, new CalibrationSettings(Steps: 20, BatchSize: 64));

    public static string NewFolder(string name) => Path.Combine(Path.GetTempPath(), "e2e-train-tests", $"{name}-{Guid.NewGuid():N}");

    /// <summary>Runs `e2e-train` in-process with these arguments; returns its exit code and what it wrote to stderr.</summary>
    public static (int Code, string Stderr) RunCli(params string[] args)
    {
        TextWriter original = Console.Error;
        using var stderr = new StringWriter();
        Console.SetError(stderr);
        try
        {
            return (TrainingCli.Run(args), stderr.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
