using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Registry;

/// <summary>The outcome of verifying one model version folder.</summary>
/// <param name="Folder">The version folder.</param>
/// <param name="Model">family/version (from the folder names).</param>
/// <param name="Problems">Every mismatch found, each naming the file and what differs; empty when the version is sound.</param>
public sealed record VersionReport(string Folder, string Model, IReadOnlyList<string> Problems)
{
    /// <summary>Whether nothing was wrong.</summary>
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks model versions of the registry against their manifests and the shared <see cref="ModelContract"/>: each file
/// exists and has the manifest's SHA-256, loads in ONNX Runtime, has the contract's input and output names and shapes
/// for the manifest's kind, Ntx, T and I, and carries metadata_props that agree with the manifest.
/// </summary>
public static class RegistryVerifier
{
    /// <summary>The version folders under <paramref name="path"/>: a registry root, a family folder or a version folder.</summary>
    public static IReadOnlyList<string> VersionFolders(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new ArgumentException($"'{path}' is not a folder: expected a registry root (models), a family folder or a version folder.");
        }

        if (File.Exists(Path.Combine(path, "manifest.json")))
        {
            return [Path.GetFullPath(path)];
        }

        var versions = new List<string>();
        foreach (string child in Directory.GetDirectories(path).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(child, "manifest.json")))
            {
                versions.Add(Path.GetFullPath(child));
            }
            else
            {
                versions.AddRange(Directory.GetDirectories(child).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).Select(Path.GetFullPath));
            }
        }

        return versions;
    }

    /// <summary>Verifies one version folder.</summary>
    public static VersionReport Verify(string folder, string? root = null)
    {
        string version = Path.GetFileName(folder);
        string family = Path.GetFileName(Path.GetDirectoryName(folder)) ?? string.Empty;
        string model = $"{family}/{version}";
        var problems = new List<string>();
        if (root is not null && !ConfinedPath.IsWithin(folder, root))
        {
            return new VersionReport(folder, model, [$"{model}: the version folder resolves to '{ConfinedPath.Resolve(folder)}': expected a folder inside the registry '{root}'."]);
        }

        string manifestPath = Path.Combine(folder, "manifest.json");
        ModelManifest manifest;
        try
        {
            var manifestFile = new FileInfo(ConfinedPath.Resolve(manifestPath));
            if (!ConfinedPath.IsWithin(manifestPath, folder) || !manifestFile.Exists || manifestFile.Length > MaxFileBytes || manifestFile.Length < 1)
            {
                return new VersionReport(folder, model, [$"{model}/manifest.json: expected a regular file of 1 byte to {MaxFileBytes} bytes inside the version folder."]);
            }

            manifest = ModelManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new VersionReport(folder, model, [$"{model}/manifest.json: {e.Message}"]);
        }

        if (manifest.Family != family || manifest.Version != version)
        {
            problems.Add($"{model}/manifest.json: names family/version '{manifest.Family}/{manifest.Version}': expected '{model}' (the folder names).");
        }

        foreach (string extra in Directory.GetFiles(folder).Select(Path.GetFileName).Where(f => f != "manifest.json" && manifest.Files.All(m => m.File != f)).Order(StringComparer.Ordinal)!)
        {
            problems.Add($"{model}/{extra}: the file is not listed in manifest.json.");
        }

        foreach (ManifestFile file in manifest.Files)
        {
            problems.AddRange(VerifyFile(folder, model, manifest, file));
        }

        return new VersionReport(folder, model, problems);
    }

    private static IEnumerable<string> VerifyFile(string folder, string model, ModelManifest manifest, ManifestFile file)
    {
        string label = $"{model}/{file.File}";
        string path = Path.Combine(folder, file.File);
        List<string> problems = CheckFile(label, folder, file).ToList();
        bool loadable = problems.All(p => p.Contains(": sha256 is ", StringComparison.Ordinal));  // a changed file is still a confined regular file
        if (!loadable || ParseKind(file) is null)
        {
            return problems.Concat(ParseKind(file) is null ? [$"{label}: manifest kind '{file.Kind}': expected precoder, aod-estimator or position-estimator."] : []);
        }

        InferenceSession session;
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            problems.Add($"{label}: ONNX Runtime cannot load the file: {FirstLine(e.Message)}");
            return problems;
        }

        using (session)
        {
            problems.AddRange(CheckSession(label, manifest, file, session));
        }

        return problems;
    }

    /// <summary>The largest model file the registry accepts, checked before the file is hashed or loaded: 512 MiB.</summary>
    public const long MaxFileBytes = 512L << 20;

    /// <summary>
    /// Checks that <paramref name="file"/> of the version in <paramref name="folder"/> is a plain name, a regular file inside
    /// the folder after every symbolic link is resolved, of 1 byte to <see cref="MaxFileBytes"/>, and that its SHA-256 is the
    /// manifest's. A FIFO or a device has no size and is refused before it is opened, so nothing here can hang.
    /// </summary>
    public static IEnumerable<string> CheckFile(string label, string folder, ManifestFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!ModelManifest.IsPlainFileName(file.File))
        {
            yield return $"{label}: the manifest names the file '{file.File}': expected a plain file name inside the version folder.";
            yield break;
        }

        string path = Path.Combine(folder, file.File);
        var info = new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            yield return $"{label}: the file is missing.";
            yield break;
        }

        string? outside = null;
        try
        {
            if (!ConfinedPath.IsWithin(path, folder))
            {
                outside = ConfinedPath.Resolve(path);
            }
        }
        catch (IOException e)
        {
            outside = e.Message;
        }

        if (outside is not null)
        {
            yield return $"{label}: the file resolves to '{outside}': expected a file inside the version folder '{folder}'.";
            yield break;
        }

        var resolved = new FileInfo(ConfinedPath.Resolve(path));
        if (!resolved.Exists || resolved.Length < 1 || resolved.Length > MaxFileBytes)
        {
            yield return $"{label}: the file is {(resolved.Exists ? $"{resolved.Length} bytes long" : "not a regular file")}: expected a regular file of 1 byte to {MaxFileBytes} bytes (a FIFO or a device is refused).";
            yield break;
        }

        string actualHash = ModelManifest.Sha256Of(resolved.FullName);
        if (actualHash != file.Sha256)
        {
            yield return $"{label}: sha256 is {actualHash}: expected {file.Sha256} (manifest.json); the file was changed or truncated ({resolved.Length} bytes).";
        }
    }

    /// <summary>A loaded model has the kind, contract signature and metadata that its manifest entry says.</summary>
    public static IEnumerable<string> CheckSession(string label, ModelManifest manifest, ManifestFile file, InferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(session);
        if (ParseKind(file) is not ModelKind kind)
        {
            yield return $"{label}: manifest kind '{file.Kind}': expected precoder, aod-estimator or position-estimator.";
            yield break;
        }

        IReadOnlyDictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
        string actualKind = metadata.TryGetValue(ModelContract.KindKey, out string? k) ? k : "(none)";
        if (actualKind != file.Kind)
        {
            yield return $"{label}: the file is a {actualKind} model (metadata {ModelContract.KindKey}): expected a {file.Kind} in this slot.";
        }

        ModelSignature expected = manifest.SignatureOf(kind);
        foreach (string problem in CompareSignature(label, manifest, expected, session))
        {
            yield return problem;
        }

        foreach ((string key, string value) in ExpectedMetadata(manifest, file))
        {
            string actual = metadata.TryGetValue(key, out string? v) ? v : "(none)";
            if (actual != value)
            {
                yield return $"{label}: metadata {key} is '{actual}': expected '{value}' (manifest.json).";
            }
        }

        foreach (string problem in CompareFacts(label, manifest, metadata))
        {
            yield return problem;
        }
    }

    private static ModelKind? ParseKind(ManifestFile file) =>
        Enum.GetValues<ModelKind>().Cast<ModelKind?>().FirstOrDefault(k => ModelContract.KindName(k!.Value) == file.Kind);

    private static IEnumerable<string> CompareSignature(string label, ModelManifest manifest, ModelSignature expected, InferenceSession session)
    {
        string sizes = string.Create(CultureInfo.InvariantCulture, $"manifest Ntx = {manifest.AntennaCount}, T = {manifest.TransmissionCount}, I = {manifest.BaseStationCount}");
        foreach ((IReadOnlyDictionary<string, NodeMetadata> actual, TensorContract contract, string what) in new[]
        {
            (session.InputMetadata, expected.Input, "input"),
            (session.OutputMetadata, expected.Output, "output"),
        })
        {
            if (actual.Count != 1 || !actual.TryGetValue(contract.Name, out NodeMetadata? node))
            {
                yield return $"{label}: the graph's {what}s are [{string.Join(", ", actual.Keys)}]: expected [{contract.Name}] for a {ModelContract.KindName(expected.Kind)}.";
                continue;
            }

            long[] shape = node.Dimensions.Select(d => (long)d).ToArray();
            if (!shape.SequenceEqual(contract.Shape))
            {
                string actualText = "[" + string.Join(", ", shape.Select(d => d == -1 ? ModelContract.BatchName : d.ToString(CultureInfo.InvariantCulture))) + "]";
                yield return $"{label}: {what} '{contract.Name}' has shape {actualText}: expected {contract.ShapeText} ({sizes}).";
            }
        }
    }

    private static IEnumerable<(string Key, string Value)> ExpectedMetadata(ModelManifest manifest, ManifestFile file)
    {
        yield return ("e2e.family", manifest.Family);
        yield return ("e2e.version", manifest.Version);
        yield return ("e2e.task", manifest.Task);
        yield return ("e2e.antenna_count", manifest.AntennaCount.ToString(CultureInfo.InvariantCulture));
        yield return ("e2e.transmission_count", manifest.TransmissionCount.ToString(CultureInfo.InvariantCulture));
        yield return ("e2e.base_station_count", manifest.BaseStationCount.ToString(CultureInfo.InvariantCulture));
        yield return ("e2e.base_station", file.BaseStation?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        yield return ("e2e.snr_db", manifest.SnrDb.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The facts that the export wrote into every file's metadata as JSON (impairment and seeds, metrics, scenario, training
    /// config), compared with the manifest's as JSON values, so that an edited manifest cannot pass for the exported model.
    /// </summary>
    private static IEnumerable<string> CompareFacts(string label, ModelManifest manifest, IReadOnlyDictionary<string, string> metadata)
    {
        foreach ((string key, JsonNode? expected) in new (string, JsonNode?)[]
        {
            ("e2e.impairment", JsonSerializer.SerializeToNode(manifest.Impairment, ModelManifest.JsonOptions)),
            ("e2e.metrics", JsonSerializer.SerializeToNode(manifest.Metrics, ModelManifest.JsonOptions)),
            ("e2e.scenario", JsonNode.Parse(ScenarioFile.ToJson(manifest.Scenario))),
            ("e2e.training", manifest.Training),
            ("e2e.estimator", JsonSerializer.SerializeToNode(manifest.Estimator, ModelManifest.JsonOptions)),
        })
        {
            if (key == "e2e.estimator" && !metadata.ContainsKey(key))
            {
                continue;  // exported before the estimator object; its settings show in the graph's contract instead
            }

            if (!metadata.TryGetValue(key, out string? text))
            {
                yield return $"{label}: metadata {key} is missing: expected the manifest's value.";
                continue;
            }

            (JsonNode? actual, string? error) = ParseFact(key, text);
            if (error is not null)
            {
                yield return $"{label}: metadata {key} is not valid JSON ({error}).";
            }
            else if (!JsonNode.DeepEquals(actual, expected))
            {
                yield return $"{label}: metadata {key} is {text}: expected {expected?.ToJsonString() ?? "null"} (manifest.json); the manifest was edited after the export.";
            }
        }
    }

    private static (JsonNode? Value, string? Error) ParseFact(string key, string text)
    {
        try
        {
            return (key == "e2e.scenario" ? JsonNode.Parse(ScenarioFile.ToJson(ScenarioFile.Parse(text))) : JsonNode.Parse(text), null);
        }
        catch (Exception e) when (e is JsonException or ScenarioException)
        {
            return (null, e.Message);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
