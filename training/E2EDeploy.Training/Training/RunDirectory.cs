using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Training.Training;

/// <summary>One row of log.csv: an evaluation.</summary>
/// <param name="Step">Optimiser steps done.</param>
/// <param name="Loss">Mean training loss since the previous evaluation (rad^2 or m^2).</param>
/// <param name="ValidationRmse">RMSE on the held-out validation set (deg or m).</param>
/// <param name="ReferenceRmse">RMSE on the reference set of docs/conventions.md point 11: U1 = [40, 60] deg, or p = [0.5, 5] m (deg or m).</param>
/// <param name="LearningRate">Learning rate after this evaluation.</param>
/// <param name="ElapsedSeconds">Training time so far, over all resumptions.</param>
/// <param name="ReferenceBound">sqrt(mean CRB) or sqrt(mean PEB^2) of the learned precoders on the reference set, at the reference SNR (deg or m); NaN in logs written before it existed.</param>
/// <param name="ValidationObjective">
/// What selects the best weights and drives the learning-rate plateaus, deg or m: the validation RMSE (research runs with a
/// bound cap logged their validation loss here); NaN in logs written before it existed, which then select by the RMSE.
/// </param>
public sealed record LogRow(int Step, double Loss, double ValidationRmse, double ReferenceRmse, double LearningRate, double ElapsedSeconds, double ReferenceBound = double.NaN, double ValidationObjective = double.NaN)
{
    /// <summary>The value the best row minimises: <see cref="ValidationObjective"/>, or the RMSE in older logs.</summary>
    public double Selection => double.IsNaN(ValidationObjective) ? ValidationRmse : ValidationObjective;
}

/// <summary>
/// A training run's folder: config.json (training config, scenario, impairment realisation seeds), log.csv,
/// checkpoint.bin, model.bin (best validation weights) and summary.json. Every file is written atomically.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Opens (and creates) the folder, checking that it can be written.</summary>
    public RunDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FullPath = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(FullPath);
            string probe = Path.Combine(FullPath, ".write-test");
            AtomicFile.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingException("run", $"'{path}'", $"a folder that can be written ({e.Message})");
        }
    }

    /// <summary>Absolute path of the folder.</summary>
    public string FullPath { get; }

    /// <summary>The lock file of the run's one writer (<see cref="AcquireWriter"/>).</summary>
    public string LockPath => Path.Combine(FullPath, ".writer.lock");

    /// <summary>
    /// Takes the run's writer lock for a training or a calibration: one writer at a time, so that two processes never mix
    /// their files in one folder. The lock dies with its process.
    /// </summary>
    /// <exception cref="InvalidSettingException">Another process is writing the run.</exception>
    public FolderLock AcquireWriter() => FolderLock.TryAcquire(LockPath)
        ?? throw new InvalidSettingException("run", $"'{FullPath}'", "a run folder that no other process is writing: another training or calibration holds its lock (.writer.lock); wait for it, or choose another folder");

    /// <summary>config.json.</summary>
    public string ConfigPath => Path.Combine(FullPath, "config.json");

    /// <summary>log.csv.</summary>
    public string LogPath => Path.Combine(FullPath, "log.csv");

    /// <summary>checkpoint.bin: the latest state, for --resume.</summary>
    public string CheckpointPath => Path.Combine(FullPath, "checkpoint.bin");

    /// <summary>model.bin: the weights with the best validation RMSE so far.</summary>
    public string ModelPath => Path.Combine(FullPath, "model.bin");

    /// <summary>summary.json.</summary>
    public string SummaryPath => Path.Combine(FullPath, "summary.json");

    /// <summary>Whether the folder holds a run that can be resumed.</summary>
    public bool HasCheckpoint => File.Exists(CheckpointPath);

    /// <summary>Writes config.json.</summary>
    public void WriteConfig(TrainingConfig config, Scenario scenario, IReadOnlyList<ArrayResponse> arrays)
    {
        var root = new JsonObject
        {
            ["training"] = JsonSerializer.SerializeToNode(config, ScenarioFile.JsonOptions),
            ["scenario"] = JsonNode.Parse(ScenarioFile.ToJson(scenario)),
            ["realizations"] = new JsonArray(arrays.Select((a, i) => (JsonNode)new JsonObject
            {
                ["bs"] = i + 1,
                ["impairment"] = a.Impairment.ToString().ToLowerInvariant(),
                ["seed"] = a.RealizationSeed,
            }).ToArray()),
            ["torchSharpVersion"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
        };
        AtomicFile.WriteAllText(ConfigPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads the training config and scenario of an existing run.</summary>
    public (TrainingConfig Config, Scenario Scenario) ReadConfig()
    {
        if (!File.Exists(ConfigPath))
        {
            throw new InvalidSettingException("run", $"'{FullPath}'", "a training run folder with a config.json");
        }

        JsonNode root = JsonNode.Parse(File.ReadAllText(ConfigPath)) ?? throw new ArgumentException($"{ConfigPath} is empty.");
        TrainingConfig config = TrainingConfig.FromJson(root["training"] ?? throw new InvalidDataException($"{ConfigPath} has no training section."), ConfigPath);
        Scenario scenario = ScenarioFile.Parse(root["scenario"]?.ToJsonString() ?? throw new ArgumentException($"{ConfigPath} has no scenario section."));
        return (config.Validate(), scenario);
    }

    /// <summary>Writes log.csv with all rows.</summary>
    public void WriteLog(IReadOnlyList<LogRow> rows, string unit)
    {
        var text = new StringBuilder($"step,loss,val_rmse_{unit},ref_rmse_{unit},learning_rate,elapsed_s,ref_bound_{unit},val_objective_{unit}\n");
        foreach (LogRow r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Step},{r.Loss:R},{r.ValidationRmse:R},{r.ReferenceRmse:R},{r.LearningRate:R},{r.ElapsedSeconds:0.###},{r.ReferenceBound:R},{r.Selection:R}\n");
        }

        AtomicFile.WriteAllText(LogPath, text.ToString());
    }

    /// <summary>Reads log.csv (empty when absent).</summary>
    public List<LogRow> ReadLog()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        return File.ReadAllLines(LogPath).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            string[] f = line.Split(',');
            return new LogRow(
                int.Parse(f[0], CultureInfo.InvariantCulture),
                double.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture),
                double.Parse(f[4], CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture),
                f.Length > 6 ? double.Parse(f[6], CultureInfo.InvariantCulture) : double.NaN,
                f.Length > 7 ? double.Parse(f[7], CultureInfo.InvariantCulture) : double.NaN);
        }).ToList();
    }
}
