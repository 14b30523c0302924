using System.Globalization;
using System.Text.Json;
using E2EDeploy.Shared;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Onnx.Proto;
using Google.Protobuf;

namespace E2EDeploy.Training.Registry;

/// <summary>What <see cref="ScoringMigration.Migrate"/> wrote: the new version's folder and manifest, and the estimator graph's node count before and after.</summary>
public sealed record ScoringMigrationResult(string Folder, ModelManifest Manifest, int NodesBefore, int NodesAfter);

/// <summary>
/// Makes, from a version whose estimator graph holds the Fisher-scoring steps (<see cref="ManifestEstimator.FisherScoringKind"/>),
/// the next version of its family with the same weights whose runtime runs those steps
/// (<see cref="ManifestEstimator.RuntimeFisherScoringKind"/>): the estimator graph cut down to its learned decoder
/// (<see cref="OnnxGraphPruning"/>; the decoder's output is the first input of the graph's first Min, the projection onto
/// the prior that the exporter writes right after the decoder), the UE's array model of each BS read from the graph's
/// initializers bs{i}_phase_scale (2 pi x [1, N]) and bs{i}_coupling_t_real / _imag (B^T [N, N]; in the block form,
/// bs{i}_coupling_block [[Re B^T, Im B^T], [-Im B^T, Re B^T]]) into the manifest, and
/// the precoder graphs unchanged. Only the metadata that names the version and the estimator changes in every file. The
/// golden cases and the regression metric are the old version's: the new version must reproduce them, which
/// the check given to <see cref="Migrate"/> verifies before the version appears.
/// </summary>
public static class ScoringMigration
{
    /// <summary>Writes the new version next to <paramref name="versionFolder"/> (models/&lt;family&gt;/&lt;version&gt;).</summary>
    /// <param name="versionFolder">The version to migrate; it is only read.</param>
    /// <param name="check">Called with the staging folder and its manifest before the version is moved into place; throws to refuse it.</param>
    /// <exception cref="InvalidSettingException">The folder is not an intact version with the scoring steps in its graph.</exception>
    public static ScoringMigrationResult Migrate(string versionFolder, Action<string, ModelManifest> check)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionFolder);
        ArgumentNullException.ThrowIfNull(check);
        string from = Path.GetFullPath(versionFolder);
        string manifestPath = Path.Combine(from, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new InvalidSettingException("--model", $"'{versionFolder}'", "a model version folder with a manifest.json, such as models/aod-none/v12");
        }

        ModelManifest old = ModelManifest.Load(manifestPath);
        string name = $"{old.Family}/{old.Version}";
        if (old.Estimator.Kind != ManifestEstimator.FisherScoringKind)
        {
            throw new InvalidSettingException("--model", name, $"a version whose estimator graph holds the Fisher-scoring steps (estimator kind '{ManifestEstimator.FisherScoringKind}'); this one is '{old.Estimator.Kind}'");
        }

        foreach (ManifestFile file in old.Files)
        {
            string path = Path.Combine(from, file.File);
            if (!File.Exists(path) || ModelManifest.Sha256Of(path) != file.Sha256)
            {
                throw new InvalidSettingException("--model", name, $"an intact version; {file.File} is missing or its SHA-256 differs from the manifest's");
            }
        }

        string familyFolder = Path.GetDirectoryName(from)!;
        string version = RegistryName.NextVersion(familyFolder);
        ManifestFile estimatorEntry = old.Files.Single(f => f.BaseStation is null);
        ModelKind estimatorKind = ModelContract.ParseKind(estimatorEntry.Kind);
        ModelProto estimatorGraph = Parse(Path.Combine(from, estimatorEntry.File));
        NodeProto firstMin = estimatorGraph.Graph.Node.FirstOrDefault(n => n.OpType == "Min")
            ?? throw new InvalidSettingException("--model", name, "an estimator graph with the projection (Min, Max) after its decoder");
        string outputName = old.SignatureOf(estimatorKind).Output.Name;
        string decoded = firstMin.Input[0];

        // The block form (FisherScoringGraph) turns the AoD decoder's [N] output into a column [N, 1] before projecting it.
        NodeProto? column = estimatorKind == ModelKind.AodEstimator ? estimatorGraph.Graph.Node.FirstOrDefault(n => n.Output.Contains(decoded) && n.OpType == "Reshape") : null;
        decoded = column?.Input[0] ?? decoded;
        ModelProto decoder = OnnxGraphPruning.KeepUpTo(estimatorGraph, decoded, outputName);

        ManifestEstimator estimator = old.Estimator with
        {
            Kind = ManifestEstimator.RuntimeFisherScoringKind,
            Arrays = ReadArrays(estimatorGraph, old, name),
        };
        string derivedFrom = $"{name}: the same weights and estimates, with its {old.Estimator.RefinementSteps} Fisher-scoring steps run by the runtime instead of the graph (e2e-train move-scoring)";
        var metadata = new Dictionary<string, string>
        {
            ["e2e.version"] = version,
            ["e2e.estimator"] = JsonSerializer.Serialize(estimator, ModelManifest.JsonOptions),
            ["e2e.derived_from"] = derivedFrom,
        };

        string staging = Path.Combine(familyFolder, $".staging-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var files = new List<ManifestFile>();
            foreach (ManifestFile file in old.Files)
            {
                ModelProto model = file.BaseStation is null ? decoder : Parse(Path.Combine(from, file.File));
                SetMetadata(model, metadata);
                string path = Path.Combine(staging, file.File);
                AtomicFile.WriteAllBytes(path, model.ToByteArray());
                files.Add(file with { Sha256 = ModelManifest.Sha256Of(path) });
            }

            GoldenCase[]? golden = old.Golden?.Select(g => g.File == estimatorEntry.File ? g with { GraphOutput = GraphOutput(decoder, g, old.SignatureOf(estimatorKind)) } : g).ToArray();
            ModelManifest manifest = old with
            {
                Version = version,
                Estimator = estimator,
                Files = files,
                Golden = golden,
                Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                SourceCommit = ModelPublisher.SourceCommit(),
                DerivedFrom = derivedFrom,
            };
            manifest.Save(Path.Combine(staging, "manifest.json"));
            check(staging, ModelManifest.Load(Path.Combine(staging, "manifest.json")));
            string folder = Path.Combine(familyFolder, version);
            Directory.Move(staging, folder);
            return new ScoringMigrationResult(folder, manifest, estimatorGraph.Graph.Node.Count, decoder.Graph.Node.Count);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    /// <summary>
    /// The array model of each BS from the refined graph's initializers: null for a "nominal" array, after checking that the
    /// graph's is the half-wavelength ULA without coupling; the positions x = phase scale / (2 pi) and B^T otherwise.
    /// </summary>
    private static IReadOnlyList<ManifestArray>? ReadArrays(ModelProto graph, ModelManifest manifest, string name)
    {
        var initializers = graph.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        int n = manifest.AntennaCount;
        var arrays = new ManifestArray[manifest.BaseStationCount];
        for (int i = 0; i < arrays.Length; i++)
        {
            float[] phases = Floats(initializers, $"bs{i + 1}_phase_scale", n, name);
            float[] real, imaginary;
            if (initializers.ContainsKey($"bs{i + 1}_coupling_block"))
            {
                float[] block = Floats(initializers, $"bs{i + 1}_coupling_block", 4 * n * n, name);
                real = [.. Enumerable.Range(0, n * n).Select(k => block[((k / n) * 2 * n) + (k % n)])];
                imaginary = [.. Enumerable.Range(0, n * n).Select(k => block[((k / n) * 2 * n) + n + (k % n)])];
            }
            else
            {
                real = Floats(initializers, $"bs{i + 1}_coupling_t_real", n * n, name);
                imaginary = Floats(initializers, $"bs{i + 1}_coupling_t_imag", n * n, name);
            }

            arrays[i] = new ManifestArray(
                phases.Select(p => p / (2 * Math.PI)).ToArray(),
                real.Select(v => (double)v).ToArray(),
                imaginary.Select(v => (double)v).ToArray());
            if (manifest.Estimator.Array == "nominal")
            {
                bool ula = phases.Select((p, k) => Math.Abs(p - (float)(Math.PI * k)) <= 1e-5 * Math.Max(1, k)).All(b => b);
                bool identity = real.Select((v, k) => v == (k / n == k % n ? 1f : 0f)).All(b => b) && imaginary.All(v => v == 0f);
                if (!ula || !identity)
                {
                    throw new InvalidSettingException("--model", name, $"a version whose 'nominal' array is the half-wavelength ULA without coupling; BS {i + 1}'s graph holds another array");
                }
            }
        }

        return manifest.Estimator.Array == "nominal" ? null : arrays;
    }

    private static float[] Floats(Dictionary<string, TensorProto> initializers, string key, int count, string name)
    {
        if (!initializers.TryGetValue(key, out TensorProto? stored) || stored.DataType != (int)TensorProto.Types.DataType.Float || stored.RawData.Length != 4 * count)
        {
            throw new InvalidSettingException("--model", name, $"an estimator graph with the float initializer {key} of {count} values (the exporter's refined graph)");
        }

        float[] values = new float[count];
        Buffer.BlockCopy(stored.RawData.ToByteArray(), 0, values, 0, 4 * count);
        return values;
    }

    /// <summary>The cut graph's own output for the golden input (ONNX Runtime), which the cross-checks that run the file alone compare with.</summary>
    private static float[] GraphOutput(ModelProto graph, GoldenCase golden, ModelSignature signature)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { LogSeverityLevel = Microsoft.ML.OnnxRuntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(graph.ToByteArray(), options);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(golden.Input.ToArray(), golden.InputShape);
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(runOptions, [signature.Input.Name], [input], [signature.Output.Name]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static ModelProto Parse(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }

    private static void SetMetadata(ModelProto model, IReadOnlyDictionary<string, string> values)
    {
        foreach ((string key, string value) in values)
        {
            StringStringEntryProto? entry = model.MetadataProps.FirstOrDefault(e => e.Key == key);
            if (entry is null)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
            else
            {
                entry.Value = value;
            }
        }
    }
}
