using System.CommandLine;
using E2EDeploy.Cli.Commands;

namespace E2EDeploy.Cli;

/// <summary>The `e2e` command line: the lightweight tool that runs the benchmark and the deployed models (no TorchSharp).</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (a bad option value or a bad scenario file).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for an I/O failure (a full disk, a closed stdout): one message, no stack trace.</summary>
    public const int InputOutputFailure = 3;

    /// <summary>Exit code for an interrupted run.</summary>
    public const int Cancelled = 130;

    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("E2EDeploy: end-to-end learned mmWave positioning. The model-based benchmark against CRB/PEB, and the deployed models: registry, inference and validation.");
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(ModelsCommand.Build());
        root.Subcommands.Add(InferCommand.Build());
        root.Subcommands.Add(ValidateCommand.Build());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args) => Build().Parse(args).Invoke();
}
