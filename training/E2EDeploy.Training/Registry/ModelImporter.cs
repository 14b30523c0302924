using System.Text.Json;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx.Proto;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Registry;

/// <summary>
/// The inverse of <see cref="ModelPublisher"/> for the weights: turns a released version back into a training run
/// (config.json, model.bin, log.csv), so that a released model can be fine-tuned (`train --init-from`) or re-exported
/// when its original run folder is gone. The precoders' and the learned decoder's weights are read from the ONNX
/// initializers that the exporter names layer{k}_weight [out, in] and layer{k}_bias [out] (<see cref="Onnx.OnnxExporter"/>);
/// the training config and scenario from the manifest. Every parameter of the network must be found, with its shape.
/// </summary>
public static class ModelImporter
{
    /// <summary>Imports <paramref name="versionFolder"/> (models/&lt;family&gt;/&lt;version&gt;) into the empty run folder <paramref name="runFolder"/>.</summary>
    /// <returns>The number of parameter tensors imported.</returns>
    /// <exception cref="ArgumentException">The version is not complete, not intact or not importable, or the run folder is not empty.</exception>
    public static int Import(string versionFolder, string runFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        string manifestPath = Path.Combine(versionFolder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new InvalidSettingException(nameof(versionFolder), $"'{versionFolder}'", "a model version folder with a manifest.json, such as models/aod-none/v12");
        }

        if (Directory.Exists(runFolder) && Directory.EnumerateFileSystemEntries(runFolder).Any())
        {
            throw new InvalidSettingException(nameof(runFolder), $"'{runFolder}'", "a new or empty run folder, so that no run is overwritten");
        }

        ModelManifest manifest = ModelManifest.Load(manifestPath);
        foreach (ManifestFile file in manifest.Files)
        {
            string path = Path.Combine(versionFolder, file.File);
            if (!File.Exists(path) || ModelManifest.Sha256Of(path) != file.Sha256)
            {
                throw new InvalidSettingException(nameof(versionFolder), $"'{versionFolder}'", $"an intact version; {file.File} is missing or its SHA-256 differs from the manifest's");
            }
        }

        if (manifest.Estimator.Kind == ManifestEstimator.PosteriorMeanKind)
        {
            throw new InvalidSettingException(nameof(versionFolder), $"'{versionFolder}'", $"a version with a learned decoder; its estimator is the posterior mean ({manifest.Estimator.GridPoints} grid points), which holds none to import");
        }

        TrainingConfig config = TrainingConfig.FromJson(manifest.Training, manifestPath).Validate();
        Scenario scenario = manifest.Scenario;
        using var model = Autoencoder.Create(config.Task, scenario, config.Hidden, CPU, config.DecoderInput, config.DecoderRegion);
        var assigned = new HashSet<TorchSharp.Modules.Parameter>(ReferenceEqualityComparer.Instance);
        string estimatorFile = manifest.Files.Single(f => f.BaseStation is null).File;
        Mlp decoder = model switch
        {
            AodAutoencoder aod => aod.Decoder.Body,
            PositionAutoencoder position => position.Decoder.Body,
            _ => throw new InvalidSettingException(nameof(versionFolder), $"'{versionFolder}'", $"an aod or position version, not task {config.Task}"),
        };
        CopyLayers(decoder, Path.Combine(versionFolder, estimatorFile), assigned);
        for (int i = 0; i < model.Precoders.Count; i++)
        {
            string precoderFile = manifest.Files.Single(f => f.BaseStation == i + 1).File;
            CopyLayers(model.Precoders[i].Body, Path.Combine(versionFolder, precoderFile), assigned);
        }

        int total = model.parameters().Count();
        if (assigned.Count != total)
        {
            throw new InvalidSettingException(nameof(versionFolder), $"'{versionFolder}'", $"ONNX files that hold all {total} parameter tensors of the network; {assigned.Count} are there");
        }

        var run = new RunDirectory(runFolder);
        run.WriteConfig(config with { InitFrom = null }, scenario, ArrayRealizations.ForAllBaseStations(scenario));
        Trainer.SaveWeights(run.ModelPath, model);
        ManifestMetrics metrics = manifest.Metrics;
        run.WriteLog([new LogRow(metrics.Step, double.NaN, metrics.ValidationRmse, metrics.ReferenceRmse, double.NaN, 0)], metrics.Unit);
        return assigned.Count;
    }

    /// <summary>Copies layer{k}_weight and layer{k}_bias of the graph in <paramref name="onnxPath"/> into <paramref name="mlp"/>.</summary>
    private static void CopyLayers(Mlp mlp, string onnxPath, HashSet<TorchSharp.Modules.Parameter> assigned)
    {
        ModelProto proto;
        using (FileStream stream = File.OpenRead(onnxPath))
        {
            proto = ModelProto.Parser.ParseFrom(stream);
        }

        var initializers = proto.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        using var noGrad = no_grad();
        IReadOnlyList<TorchSharp.Modules.Linear> layers = mlp.Layers;
        for (int k = 0; k < layers.Count; k++)
        {
            Copy(layers[k].weight!, initializers, $"layer{k}_weight", onnxPath);
            Copy(layers[k].bias!, initializers, $"layer{k}_bias", onnxPath);
            assigned.Add(layers[k].weight!);
            assigned.Add(layers[k].bias!);
        }
    }

    private static void Copy(TorchSharp.Modules.Parameter parameter, Dictionary<string, TensorProto> initializers, string name, string onnxPath)
    {
        if (!initializers.TryGetValue(name, out TensorProto? stored))
        {
            throw new ArgumentException($"'{onnxPath}' has no initializer {name}; expected the exporter's layer names.");
        }

        long[] shape = parameter.shape;
        if (stored.DataType != (int)TensorProto.Types.DataType.Float || !stored.Dims.SequenceEqual(shape) || stored.RawData.Length != 4 * shape.Aggregate(1L, (a, b) => a * b))
        {
            throw new ArgumentException($"'{onnxPath}': initializer {name} is [{string.Join(", ", stored.Dims)}] of type {stored.DataType}: expected float32 raw data of shape [{string.Join(", ", shape)}], the network's (same sizes as the manifest's training section).");
        }

        float[] values = new float[stored.RawData.Length / 4];
        Buffer.BlockCopy(stored.RawData.ToByteArray(), 0, values, 0, stored.RawData.Length);
        using Tensor source = tensor(values, shape);
        parameter.copy_(source);
    }
}
