using System.Text.Json;
using E2EDeploy.Shared.IO;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>One SNR of a validation, as the pipeline's state keeps it for the summary (deg or m).</summary>
public sealed record ValidationSummaryRow(double SnrDb, double LearnedRmse, double LearnedBound, double BenchmarkRmse, double BenchmarkBound)
{
    /// <summary>Learned RMSE / its own bound.</summary>
    public double LearnedRatio => LearnedRmse / LearnedBound;
}

/// <summary>What the pipeline knows of one stage: its definition, whether it finished, its time and its result.</summary>
/// <param name="Definition">The stage's <see cref="RecipeStage.Definition"/> when it ran.</param>
/// <param name="Done">Finished; a later run skips it while the definition is unchanged.</param>
/// <param name="Seconds">Wall time of the stage, over all runs of the pipeline, s.</param>
/// <param name="Detail">One line on the result.</param>
/// <param name="Version">For the export: the version reserved for it (recorded before it is written) and then written.</param>
/// <param name="Rows">For the validation: its rows.</param>
public sealed record StageRecord(string Definition, bool Done, double Seconds, string Detail, string? Version = null, IReadOnlyList<ValidationSummaryRow>? Rows = null);

/// <summary>
/// OUT/pipeline.json: the record of every stage, written atomically after each change, so that a killed pipeline resumes
/// where it stopped and a finished stage is not redone. Safe for the families that one pipeline runs side by side (one lock
/// around every read and write); the pipeline holds OUT/.pipeline.lock while it runs, so no other process writes it.
/// </summary>
public sealed class PipelineState
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
    private readonly Dictionary<string, StageRecord> stages;
    private readonly Lock gate = new();

    private PipelineState(string path, Dictionary<string, StageRecord> stages)
    {
        Path = path;
        this.stages = stages;
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>Reads OUT/pipeline.json, or starts an empty state.</summary>
    /// <exception cref="InvalidDataException">The file is not a pipeline state.</exception>
    public static PipelineState Open(string output)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(output), "pipeline.json");
        if (!File.Exists(path))
        {
            return new PipelineState(path, []);
        }

        try
        {
            var stages = JsonSerializer.Deserialize<Dictionary<string, StageRecord>>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"'{path}' holds JSON null: expected the pipeline's stage records.");
            return new PipelineState(path, stages);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a pipeline state ({e.Message}); move it away to start the pipeline afresh in this folder.", e);
        }
    }

    /// <summary>The record of <paramref name="stage"/>, or null.</summary>
    public StageRecord? Get(RecipeStage stage)
    {
        lock (gate)
        {
            return stages.GetValueOrDefault(stage.Key);
        }
    }

    /// <summary>Whether <paramref name="stage"/> finished with its present definition.</summary>
    public bool IsDone(RecipeStage stage) => Get(stage) is { Done: true } r && r.Definition == stage.Definition;

    /// <summary>Records <paramref name="record"/> for <paramref name="stage"/> and writes the file.</summary>
    public void Set(RecipeStage stage, StageRecord record)
    {
        lock (gate)
        {
            stages[stage.Key] = record;
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(stages, Options));
        }
    }
}
