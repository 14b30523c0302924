using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using E2EDeploy.Shared.IO;

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
/// <param name="Output">ONNX Runtime's output at export, row-major.</param>
public sealed record GoldenCase(string File, long[] InputShape, float[] Input, float[] Output);

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

    /// <summary>
    /// Whether the estimator takes the a-priori region(s) after y (input <c>y_xi</c>, <see cref="ModelContract"/>): the AoD
    /// estimator U, the position estimator every BS's U_i;
    /// false (and absent in older manifests) for the paper's estimator, which sees y only.
    /// </summary>
    public bool EstimatorTakesRegion { get; init; }

    /// <summary>
    /// Whether the estimator's graph ends by projecting its estimate onto the prior's support: U (AoD) or the area P
    /// (position), as the ML estimators constrain theirs. False (and absent in older manifests) for the paper's estimator.
    /// </summary>
    public bool EstimatorProjectsOntoPrior { get; init; }

    /// <summary>
    /// Fisher-scoring steps that refine the learned decoder's estimate inside the estimator's graph (beyond the paper;
    /// 0, and absent in older manifests, for none). A refining estimator takes the region(s), feeds them to copies of the
    /// BS precoders inside its graph, and keeps its estimate in U or P.
    /// </summary>
    public int EstimatorRefinementSteps { get; init; }

    /// <summary>
    /// With a value &gt; 0, the position estimator is the posterior mean E[p | y] under the training prior at the model's SNR,
    /// on this many grid points of each BS's region (beyond the paper; no learned decoder); 0, and absent in older
    /// manifests, for a learned decoder.
    /// </summary>
    public int EstimatorPosteriorGrid { get; init; }

    /// <summary>
    /// The UE's array model that the refinement or the posterior mean uses: "learned" (calibrated from the training data,
    /// e2e-train calibrate) or "nominal" (the half-wavelength ULA); null for a learned decoder alone.
    /// </summary>
    public string? EstimatorArray { get; init; }

    /// <summary>The contract of this version's model of <paramref name="kind"/>: its sizes and, for an estimator, whether it takes the region(s).</summary>
    public ModelSignature SignatureOf(ModelKind kind) => ModelContract.Signature(kind, AntennaCount, TransmissionCount, BaseStationCount, EstimatorTakesRegion);

    /// <summary>The ONNX files.</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>Validation metrics.</summary>
    public required ManifestMetrics Metrics { get; init; }

    /// <summary>The scenario, as in a scenario file.</summary>
    public required JsonNode Scenario { get; init; }

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
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: the manifest is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: malformed manifest ({e.Message}).", e);
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
