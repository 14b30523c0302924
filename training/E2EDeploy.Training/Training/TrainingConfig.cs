using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;

namespace E2EDeploy.Training.Training;

/// <summary>Which autoencoder to train: Fig. 2 (AoD) or Fig. 3 (position).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingTask>))]
public enum TrainingTask
{
    /// <summary>Precoder per BS and the shared AoD decoder, loss eq. (6).</summary>
    Aod,

    /// <summary>Precoder per BS and the position decoder, loss eq. (7).</summary>
    Position,
}

/// <summary>
/// Everything that defines a training run besides the scenario. Immutable; profiles give the defaults and every
/// value can be overridden with <c>with</c>. <see cref="Validate"/> names the first bad value.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Which autoencoder.</summary>
    public TrainingTask Task { get; init; } = TrainingTask.Aod;

    /// <summary>The fixed SNR of this model, dB (section IV-B: one model per SNR), or the lowest SNR of its range.</summary>
    public double SnrDb { get; init; } = 20;

    /// <summary>With a value, the highest SNR of the range [SnrDb, SnrMaxDb] dB that every sample draws from (one model for the whole grid); null for the paper's fixed SNR.</summary>
    public double? SnrMaxDb { get; init; }

    /// <summary>With an SNR range, the knee of the sample weights, dB (<see cref="SnrRange.KneeDb"/>); null for the plain CRB scaling.</summary>
    public double? SnrKneeDb { get; init; }

    /// <summary>What the UE decoder sees of y: the paper's raw y, or the gain-phase-invariant products y y^H.</summary>
    public DecoderInput DecoderInput { get; init; } = DecoderInput.Raw;

    /// <summary>
    /// Whether the UE decoder also sees the a-priori regions xi_i (eq. 5) that its precoders see
    /// (<see cref="AodDecoder.TakesRegion"/>, <see cref="PositionDecoder.TakesRegion"/>); false is the paper's decoder, which sees y only.
    /// </summary>
    public bool DecoderRegion { get; init; }


    /// <summary>A run folder (or its model.bin) whose best weights initialise this run (warm start); null for a seeded random start.</summary>
    public string? InitFrom { get; init; }

    /// <summary>The training SNRs as a range.</summary>
    [JsonIgnore]
    public SnrRange Snr => new(SnrDb, SnrMaxDb ?? SnrDb, SnrMaxDb is null ? null : SnrKneeDb);

    /// <summary>
    /// Weight of the bound term of the loss (<see cref="Autoencoder.Loss"/>): the mean CRB (rad^2) or PEB^2 (m^2) of the
    /// learned precoders at the reference SNR, added to the MSE. 0 is the paper's loss (eqs. 6, 7).
    /// </summary>
    public double BoundWeight { get; init; }


    /// <summary>The impairment of the true channel during training.</summary>
    public ImpairmentKind Impairment { get; init; } = ImpairmentKind.None;

    /// <summary>The profile the defaults came from (quick or paper).</summary>
    public string Profile { get; init; } = "quick";

    /// <summary>Maximum number of optimiser steps.</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Mini-batch size (samples per step, over all BSs; paper: 10,000).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Seed of the initial weights and of every training batch (batch k is drawn from a seed derived from this and k).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>cpu or cuda.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>H, hidden width (Table I; paper: 256).</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>Adam's initial learning rate (paper: 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Floor of the plateau scheduler (paper: 1e-8).</summary>
    public double MinLearningRate { get; init; } = 1e-8;

    /// <summary>Factor applied to the learning rate on a plateau.</summary>
    public double PlateauFactor { get; init; } = 0.5;

    /// <summary>Evaluations without improvement before the learning rate drops.</summary>
    public int PlateauPatience { get; init; } = 4;

    /// <summary>Evaluations without improvement before training stops early.</summary>
    public int EarlyStopPatience { get; init; } = 12;

    /// <summary>Steps between evaluations on the validation set.</summary>
    public int EvalEvery { get; init; } = 100;

    /// <summary>Steps between checkpoints.</summary>
    public int CheckpointEvery { get; init; } = 200;

    /// <summary>Size of the held-out validation set (and of the reference set).</summary>
    public int ValidationSize { get; init; } = 4000;

    /// <summary>Seed of the held-out validation set, fixed so that runs are comparable.</summary>
    public int ValidationSeed { get; init; } = 20231;

    /// <summary>
    /// The quick profile (a few minutes on 2 CPU cores), the release profile (the recipe of the models in models/, on 2 CPU
    /// cores: one model over the SNR grid with a weight knee at 10 dB, gain-phase-invariant decoder input, H = 128, bound term of weight 10;
    /// docs/research-log.md measures each choice) or
    /// the paper profile (the paper's sizes, for a GPU workstation).
    /// </summary>
    public static TrainingConfig ForProfile(string profile, TrainingTask task) => profile switch
    {
        "quick" => new TrainingConfig { Task = task, Profile = "quick", Steps = 3000, PlateauPatience = 2, EarlyStopPatience = 8 },
        "release" => new TrainingConfig
        {
            Task = task,
            Profile = "release",
            SnrDb = -5,
            SnrMaxDb = 30,
            SnrKneeDb = 10,
            DecoderInput = DecoderInput.Gram,
            BoundWeight = 10,
            Hidden = 128,
            Steps = 15_000,
            BatchSize = 1000,
            EvalEvery = 200,
            CheckpointEvery = 1000,
            ValidationSize = 8000,
            PlateauPatience = 4,
            EarlyStopPatience = 15,
        },
        "paper" => new TrainingConfig
        {
            Task = task,
            Profile = "paper",
            Steps = 200_000,
            BatchSize = 10_000,
            EvalEvery = 500,
            CheckpointEvery = 2000,
            ValidationSize = 10_000,
            PlateauPatience = 10,
            EarlyStopPatience = 40,
        },
        _ => throw new InvalidSettingException("profile", $"'{profile}'", "quick, release or paper"),
    };

    /// <summary>Checks every value; throws <see cref="InvalidSettingException"/> naming the first bad property.</summary>
    public TrainingConfig Validate()
    {
        Check(Enum.IsDefined(Task), nameof(Task), Task, "aod or position");
        Check(double.IsFinite(SnrDb) && SnrDb >= -30 && SnrDb <= 60, nameof(SnrDb), SnrDb, "an SNR in dB within [-30, 60]");
        Check(SnrMaxDb is null || (double.IsFinite(SnrMaxDb.Value) && SnrMaxDb.Value >= SnrDb && SnrMaxDb.Value <= 60), nameof(SnrMaxDb), SnrMaxDb ?? 0, $"an SNR in dB within [{SnrDb} (the lowest SNR), 60]");
        Check(SnrKneeDb is null || double.IsFinite(SnrKneeDb.Value), nameof(SnrKneeDb), SnrKneeDb ?? 0, "a finite SNR in dB");
        Check(Enum.IsDefined(DecoderInput), nameof(DecoderInput), DecoderInput, "raw or gram");
        Check(InitFrom is null || InitFrom.Length > 0, nameof(InitFrom), InitFrom ?? string.Empty, "a run folder or a model.bin");
        Check(double.IsFinite(BoundWeight) && BoundWeight >= 0, nameof(BoundWeight), BoundWeight, "a finite number >= 0");
        Check(Enum.IsDefined(Impairment), nameof(Impairment), Impairment, "none, spacing or coupling");
        Check(Steps >= 1, nameof(Steps), Steps, "an integer >= 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "an integer >= 1");
        Check(Device is "cpu" or "cuda", nameof(Device), Device, "cpu or cuda");
        Check(Hidden >= 1, nameof(Hidden), Hidden, "an integer >= 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a finite value > 0");
        Check(MinLearningRate > 0 && MinLearningRate <= LearningRate, nameof(MinLearningRate), MinLearningRate, $"a value in (0, {LearningRate}]");
        Check(PlateauFactor > 0 && PlateauFactor < 1, nameof(PlateauFactor), PlateauFactor, "a value in (0, 1)");
        Check(PlateauPatience >= 1, nameof(PlateauPatience), PlateauPatience, "an integer >= 1");
        Check(EarlyStopPatience >= 1, nameof(EarlyStopPatience), EarlyStopPatience, "an integer >= 1");
        Check(EvalEvery >= 1, nameof(EvalEvery), EvalEvery, "an integer >= 1");
        Check(CheckpointEvery >= 1, nameof(CheckpointEvery), CheckpointEvery, "an integer >= 1");
        Check(ValidationSize >= 1, nameof(ValidationSize), ValidationSize, "an integer >= 1");
        return this;
    }

    /// <summary>
    /// The options of research runs that the product no longer has (docs/research-log.md): a run's config.json or a manifest's
    /// training section may still name them, with their default value, which means the product's behaviour.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonNode?> RetiredOptions { get; } = new Dictionary<string, JsonNode?>
    {
        ["decoderRegionHead"] = JsonValue.Create(false),
        ["freezePrecoders"] = JsonValue.Create(false),
        ["boundCap"] = null,
        ["posteriorGridPoints"] = null,
    };

    /// <summary>
    /// Reads a config from JSON (a run's config.json, a manifest's training section). Options that the product retired are
    /// accepted at their default value and refused otherwise; any other unknown name is an error.
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is not a config, or it asks for a retired option.</exception>
    public static TrainingConfig FromJson(JsonNode node, string source)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.DeepClone() is not JsonObject json)
        {
            throw new InvalidDataException($"{source}: the training config is not a JSON object.");
        }

        foreach ((string name, JsonNode? retiredDefault) in RetiredOptions)
        {
            if (json.TryGetPropertyValue(name, out JsonNode? value))
            {
                if (!JsonNode.DeepEquals(value, retiredDefault))
                {
                    throw new InvalidDataException($"{source}: {name} {value?.ToJsonString() ?? "null"} is a research option that the product no longer has (docs/research-log.md); expected {retiredDefault?.ToJsonString() ?? "null"}.");
                }

                json.Remove(name);
            }
        }

        try
        {
            return json.Deserialize<TrainingConfig>(ScenarioFile.JsonOptions) ?? throw new InvalidDataException($"{source}: the training config is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: malformed training config ({e.Message}).", e);
        }
    }

    private static void Check(bool condition, string name, object value, string expected)
    {
        if (!condition)
        {
            throw new InvalidSettingException(name, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value}"), expected);
        }
    }
}
