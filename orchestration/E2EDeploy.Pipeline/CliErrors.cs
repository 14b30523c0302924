using E2EDeploy.Shared;

namespace E2EDeploy.Pipeline;

/// <summary>
/// Maps the library's settings to this command line's flags: an <see cref="InvalidSettingException"/> names a property of
/// TrainingConfig, EstimatorSettings or PublishTarget, and the user sees the flag that sets it.
/// </summary>
public static class CliErrors
{
    /// <summary>Library setting -&gt; flag, for every setting that a flag of e2e-train sets.</summary>
    public static IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string>
    {
        ["Task"] = "--task",
        ["SnrDb"] = "--snr",
        ["SnrMaxDb"] = "--snr-max",
        ["SnrKneeDb"] = "--snr-knee",
        ["DecoderInput"] = "--decoder-input",
        ["DecoderRegion"] = "--decoder-region",
        ["InitFrom"] = "--init-from",
        ["ScoringInGraph"] = "--scoring-in-graph",
        ["BoundWeight"] = "--bound-weight",
        ["Impairment"] = "--impairment",
        ["Steps"] = "--steps",
        ["BatchSize"] = "--batch",
        ["Device"] = "--device",
        ["Hidden"] = "--hidden",
        ["LearningRate"] = "--learning-rate",
        ["EvalEvery"] = "--eval-every",
        ["CheckpointEvery"] = "--checkpoint-every",
        ["ValidationSize"] = "--validation-size",
        ["profile"] = "--profile",
        ["run"] = "--run",
        ["RefinementSteps"] = "--refine-steps",
        ["ProjectOntoPrior"] = "--project-onto-prior",
        ["Registry"] = "--registry",
        ["Family"] = "--family",
        ["Version"] = "--version",
        ["resume"] = "--resume",
        ["versionFolder"] = "--model",
        ["runFolder"] = "--out",
    };

    /// <summary>The message a user sees for <paramref name="error"/>: a setting's error names its flag; any other error its own message.</summary>
    public static string Describe(Exception error) => InvalidSettingException.Describe(error, Flags);

    /// <summary>
    /// Prints <paramref name="error"/> as one line on <paramref name="console"/> and returns the exit code: an I/O failure
    /// (a full disk; not a missing file) <see cref="TrainingCli.InputOutputFailure"/>, anything else a bad input.
    /// </summary>
    public static int Report(Spectre.Console.IAnsiConsole console, Exception error)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        if (error is IOException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            Spectre.Console.AnsiConsoleExtensions.MarkupLineInterpolated(console, $"[red]error:[/] an I/O operation failed, nothing half-written was kept: {error.Message}");
            return TrainingCli.InputOutputFailure;
        }

        Spectre.Console.AnsiConsoleExtensions.MarkupLineInterpolated(console, $"[red]error:[/] {Describe(error)}");
        return TrainingCli.BadInput;
    }

    /// <summary>As <see cref="Describe(Exception)"/>, with the run folder called <paramref name="runFlag"/> (train's --out, export's --run).</summary>
    public static string Describe(Exception error, string runFlag) =>
        InvalidSettingException.Describe(error, new Dictionary<string, string>(Flags) { ["run"] = runFlag });
}
