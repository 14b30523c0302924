using System.CommandLine;
using E2EDeploy.Pipeline.Commands;

namespace E2EDeploy.Pipeline;

/// <summary>The `e2e-train` command line: trains the autoencoders (and, later, exports them).</summary>
public static class TrainingCli
{
    /// <summary>Exit code for bad input.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for an I/O failure (a full disk, an unwritable file): one message, nothing half-written kept.</summary>
    public const int InputOutputFailure = 3;

    /// <summary>Exit code for an interrupted run (a checkpoint was written).</summary>
    public const int Interrupted = 130;

    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("e2e-train: trains the end-to-end AoD and position autoencoders of E2EDeploy in TorchSharp.");
        root.Subcommands.Add(TrainCommand.Build());
        root.Subcommands.Add(CalibrateCommand.Build());
        root.Subcommands.Add(ExportCommand.Build());
        root.Subcommands.Add(ImportCommand.Build());
        root.Subcommands.Add(MoveScoringCommand.Build());
        root.Subcommands.Add(PipelineCommand.Build());
        root.Subcommands.Add(ThroughputCommand.Build());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. First, before libtorch loads, idle OpenMP workers are set to sleep rather
    /// than spin (<see cref="E2EDeploy.Training.TorchThreading.PreferPassiveWaiting"/>), so that a training beside other
    /// work on the same cores is not slowed by both processes' spinning threads.
    /// </summary>
    public static int Run(string[] args)
    {
        E2EDeploy.Training.TorchThreading.PreferPassiveWaiting();
        return Build().Parse(args).Invoke();
    }
}
