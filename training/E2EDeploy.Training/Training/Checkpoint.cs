using System.Text.Json;
using E2EDeploy.Shared.IO;
using TorchSharp.Modules;

namespace E2EDeploy.Training.Training;

/// <summary>The trainer's state besides the weights: enough to continue a run exactly.</summary>
/// <param name="Step">Optimiser steps done.</param>
/// <param name="Scheduler">Learning-rate schedule state.</param>
/// <param name="ElapsedSeconds">Training time so far.</param>
/// <param name="Stopped">Whether training had stopped early.</param>
/// <param name="LossSum">Sum of the training losses since the last evaluation.</param>
/// <param name="LossCount">Number of those losses.</param>
public sealed record TrainerState(int Step, PlateauScheduler Scheduler, double ElapsedSeconds, bool Stopped, double LossSum = 0, int LossCount = 0);

/// <summary>
/// checkpoint.bin: a header (magic, JSON trainer state), the model's weights and Adam's state, written atomically.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "E2EDEPLOY-CHECKPOINT-1";

    // The scheduler's best value is +infinity before the first evaluation.
    private static readonly JsonSerializerOptions StateJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes the checkpoint atomically.</summary>
    public static void Save(string path, TrainerState state, Autoencoder model, OptimizerHelper optimizer)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(state, StateJson));
            model.save(writer);
            optimizer.save_state_dict(writer);
        });
    }

    /// <summary>Loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/> and returns the trainer state.</summary>
    public static TrainerState Load(string path, Autoencoder model, OptimizerHelper optimizer)
    {
        using FileStream stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (EndOfStreamException)
        {
            magic = string.Empty;
        }

        if (magic != Magic)
        {
            throw new InvalidDataException($"'{path}' is not an E2EDeploy checkpoint.");
        }

        TrainerState state = JsonSerializer.Deserialize<TrainerState>(reader.ReadString(), StateJson)
            ?? throw new InvalidDataException($"'{path}' has an empty trainer state.");
        model.load(reader);
        optimizer.load_state_dict(reader);
        return state;
    }
}
