using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Models;

/// <summary>One ONNX file of a model version.</summary>
/// <param name="File">File name inside the version folder.</param>
/// <param name="Kind">precoder, aod-estimator or position-estimator.</param>
/// <param name="BaseStation">For a precoder, its BS (1-based); null for estimators.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
public sealed record ManifestFile(string File, string Kind, int? BaseStation, string Sha256);

/// <summary>Validation metrics of the trained autoencoder at the exported weights.</summary>
/// <param name="Unit">deg or m.</param>
/// <param name="Step">Training step of the weights.</param>
/// <param name="ValidationRmse">RMSE on the held-out validation set.</param>
/// <param name="ReferenceRmse">RMSE on the reference set (U1 = [40, 60] deg, or p = [0.5, 5] m).</param>
public sealed record ManifestMetrics(string Unit, int Step, double ValidationRmse, double ReferenceRmse);

/// <summary>The impairment the model was trained for, and each BS's realisation seed.</summary>
/// <param name="Kind">none, spacing or coupling.</param>
/// <param name="Seeds">Per BS, the realisation seed (null where the impairment is not random).</param>
public sealed record ManifestImpairment(string Kind, IReadOnlyList<int?> Seeds);

/// <summary>A golden input/output pair of one file, for model-versioned regression tests (contract layout, float32).</summary>
/// <param name="File">The ONNX file.</param>
/// <param name="InputShape">Shape of <paramref name="Input"/>, batch first.</param>
/// <param name="Input">The input, row-major.</param>
/// <param name="Output">
/// What the runtime answers for the input, row-major: ONNX Runtime's output at export, or, for an estimator whose runtime
/// runs the scoring steps after the graph (<see cref="ManifestEstimator.RuntimeScoring"/>), the refined estimate.
/// </param>
public sealed record GoldenCase(string File, long[] InputShape, float[] Input, float[] Output)
{
    /// <summary>
    /// The graph's own output for the input where the runtime adds a stage after it (the decoder's estimate before the
    /// runtime's scoring steps), for cross-checks that run the ONNX file alone; null where the graph's output is <see cref="Output"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? GraphOutput { get; init; }
}

/// <summary>The learned model's RMSE at export, on a fixed seed, and how far a re-run may drift from it.</summary>
/// <param name="SnrDb">SNR of the evaluation, dB (the training SNR).</param>
/// <param name="Trials">Monte-Carlo trials.</param>
/// <param name="Seed">Seed of the channel realisations.</param>
/// <param name="Unit">deg or m.</param>
/// <param name="LearnedRmse">RMSE of the deployed learned model (e2e validate's learned column).</param>
/// <param name="RelativeTolerance">Largest allowed |re-run - recorded| / recorded.</param>
public sealed record RegressionMetric(double SnrDb, int Trials, int Seed, string Unit, double LearnedRmse, double RelativeTolerance);

/// <summary>
/// manifest.json of one immutable model version <c>models/&lt;family&gt;/&lt;version&gt;/</c>: what the files are, what they
/// were trained for, how they scored, and where they came from.
/// </summary>
public sealed record ModelManifest
{
    private readonly ManifestEstimator? estimator;

    /// <summary>The family, e.g. aod-20db-none.</summary>
    public required string Family { get; init; }

    /// <summary>The version, e.g. v1.</summary>
    public required string Version { get; init; }

    /// <summary>aod or position: which autoencoder.</summary>
    public required string Task { get; init; }

    /// <summary>Ntx.</summary>
    public required int AntennaCount { get; init; }

    /// <summary>T.</summary>
    public required int TransmissionCount { get; init; }

    /// <summary>I.</summary>
    public required int BaseStationCount { get; init; }

    /// <summary>Training SNR, dB; with <see cref="SnrMaxDb"/>, the lowest SNR of the training range.</summary>
    public required double SnrDb { get; init; }

    /// <summary>With a value, the model was trained over the SNR range [<see cref="SnrDb"/>, SnrMaxDb] dB (one model for the grid); null for one fixed SNR.</summary>
    public double? SnrMaxDb { get; init; }

    /// <summary>The training SNR as text: "20 dB", or "-5..30 dB" for a range.</summary>
    [JsonIgnore]
    public string SnrText => SnrMaxDb is double max && max != SnrDb
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{SnrDb:0.##}..{max:0.##} dB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{SnrDb:0.##} dB");

    /// <summary>The impairment and its realisation seeds.</summary>
    public required ManifestImpairment Impairment { get; init; }

    /// <summary>The UE estimator: its kind and what its graph takes and does.</summary>
    [JsonIgnore]
    public ManifestEstimator Estimator
    {
        get => estimator ?? ManifestEstimator.FromSeparateFields(SeparateTakesRegion, SeparateProjectsOntoPrior, SeparateRefinementSteps, SeparatePosteriorGrid, SeparateArray);
        init => estimator = value;
    }

    /// <summary>The <c>estimator</c> object as written: always, for a manifest of this code (read from the separate fields for an older one).</summary>
    [JsonInclude]
    [JsonPropertyName("estimator")]
    internal ManifestEstimator? EstimatorObject
    {
        get => Estimator;
        init => estimator = value;
    }

    // The separate estimator* fields of manifests written before the estimator object (read only; never written again).
    [JsonInclude]
    [JsonPropertyName("estimatorTakesRegion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    internal bool SeparateTakesRegion { get; init; }

    [JsonInclude]
    [JsonPropertyName("estimatorProjectsOntoPrior")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    internal bool SeparateProjectsOntoPrior { get; init; }

    [JsonInclude]
    [JsonPropertyName("estimatorRefinementSteps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    internal int SeparateRefinementSteps { get; init; }

    [JsonInclude]
    [JsonPropertyName("estimatorPosteriorGrid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    internal int SeparatePosteriorGrid { get; init; }

    [JsonInclude]
    [JsonPropertyName("estimatorArray")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    internal string? SeparateArray { get; init; }

    /// <summary>The contract of this version's model of <paramref name="kind"/>: its sizes and, for an estimator, whether it takes the region(s).</summary>
    public ModelSignature SignatureOf(ModelKind kind) => ModelContract.Signature(kind, AntennaCount, TransmissionCount, BaseStationCount, Estimator.TakesRegion);

    /// <summary>The ONNX files.</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>Validation metrics.</summary>
    public required ManifestMetrics Metrics { get; init; }

    /// <summary>The scenario the model was trained for, stored as a scenario file holds it.</summary>
    [JsonConverter(typeof(ScenarioJsonConverter))]
    public required Scenario Scenario { get; init; }

    /// <summary>The training configuration.</summary>
    public required JsonNode Training { get; init; }

    /// <summary>TorchSharp version used for training.</summary>
    public required string TorchSharpVersion { get; init; }

    /// <summary>ONNX Runtime version used for the export check.</summary>
    public required string OnnxRuntimeVersion { get; init; }

    /// <summary>Creation time, UTC, ISO 8601.</summary>
    public required string Created { get; init; }

    /// <summary>Source commit of the exporter (git), or "unknown".</summary>
    public required string SourceCommit { get; init; }

    /// <summary>Golden input/output pairs of every file (null in manifests written before they existed).</summary>
    public IReadOnlyList<GoldenCase>? Golden { get; init; }

    /// <summary>
    /// For a version made from another without training (e2e-train move-scoring): that version, family/version, and what
    /// changed; null for a version exported from a training run.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DerivedFrom { get; init; }

    /// <summary>
    /// The one command that reproduces this version (`e2e-train pipeline ...` or `e2e-train export ...`), as it was given;
    /// a scenario file it names holds <see cref="Scenario"/>. Null in manifests written before it existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReproducingCommand { get; init; }

    /// <summary>The validation metric recorded at export (null in manifests written before it existed).</summary>
    public RegressionMetric? Regression { get; init; }

    /// <summary>JSON options of manifests.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads and parses a manifest; throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static ModelManifest Load(string path)
    {
        try
        {
            ModelManifest manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: the manifest is JSON null.");
            CheckComplete(manifest, path);
            if (!ManifestEstimator.Kinds.Contains(manifest.Estimator.Kind))
            {
                throw new InvalidDataException($"{path}: estimator kind '{manifest.Estimator.Kind}': expected one of {string.Join(", ", ManifestEstimator.Kinds)}.");
            }

            if (manifest.Estimator.RuntimeScoring)
            {
                if (manifest.Estimator.RefinementSteps < 1)
                {
                    throw new InvalidDataException($"{path}: estimator kind '{manifest.Estimator.Kind}' with refinementSteps = {manifest.Estimator.RefinementSteps}: expected at least 1 step.");
                }

                if (!manifest.Estimator.TakesRegion)
                {
                    throw new InvalidDataException($"{path}: estimator kind '{manifest.Estimator.Kind}' with takesRegion = false: expected an estimator that takes the regions, which its scoring steps project onto and its precoders are computed for.");
                }

                _ = manifest.Estimator.ScoringArrays(manifest.BaseStationCount, manifest.AntennaCount, path);
            }

            // Fix the estimator read from the separate fields of an older manifest, so that reading it never allocates, and drop
            // those fields, so that a manifest made from this one (manifest with { ... }) writes the estimator object only.
            return manifest with
            {
                Estimator = manifest.Estimator,
                SeparateTakesRegion = false,
                SeparateProjectsOntoPrior = false,
                SeparateRefinementSteps = 0,
                SeparatePosteriorGrid = 0,
                SeparateArray = null,
            };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: malformed manifest ({e.Message}).", e);
        }
    }

    /// <summary>Whether <paramref name="name"/> is a plain file name of a version folder: letters, digits, '.', '_' and '-', no separator, no "..".</summary>
    public static bool IsPlainFileName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 255 && char.IsAsciiLetterOrDigit(name[0]) && !name.Contains("..", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Every member a manifest needs is there, and every file it lists is a plain name inside its folder.</summary>
    private static void CheckComplete(ModelManifest manifest, string path)
    {
        foreach ((string name, object? value) in new (string, object?)[]
        {
            ("family", manifest.Family), ("version", manifest.Version), ("task", manifest.Task), ("impairment", manifest.Impairment),
            ("files", manifest.Files), ("metrics", manifest.Metrics), ("scenario", manifest.Scenario), ("training", manifest.Training),
        })
        {
            if (value is null)
            {
                throw new InvalidDataException($"{path}: \"{name}\" is null or missing: expected a value.");
            }
        }

        for (int i = 0; i < manifest.Files.Count; i++)
        {
            ManifestFile? file = manifest.Files[i];
            if (file is null || !IsPlainFileName(file.File) || file.Kind is null || file.Sha256 is null)
            {
                throw new InvalidDataException($"{path}: files[{i}] is {(file is null ? "null" : $"'{file.File}'")}: expected an entry with a plain file name inside the version folder (letters, digits, '.', '_', '-'; no separator, no '..'), a kind and a sha256.");
            }
        }
    }

    /// <summary>Writes the manifest atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
