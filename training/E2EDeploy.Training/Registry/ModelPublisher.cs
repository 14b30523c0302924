using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Training;
using E2EDeploy.Validation;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Registry;

/// <summary>What an export produced.</summary>
/// <param name="Folder">The new version folder.</param>
/// <param name="Manifest">Its manifest.</param>
/// <param name="Checks">The export check of each file.</param>
public sealed record PublishResult(string Folder, ModelManifest Manifest, IReadOnlyList<ExportCheckResult> Checks);

/// <summary>
/// Exports a trained run into the model registry: <c>&lt;registry&gt;/&lt;family&gt;/&lt;version&gt;/</c> with one ONNX file per
/// precoder (precoder-bs1.onnx, ...), the estimator (aod-estimator.onnx or position-estimator.onnx) and manifest.json.
/// Every file is checked against TorchSharp before it is written. Everything is written into a hidden temporary folder
/// that is renamed into place at the end, so a failure at any point leaves the registry as it was; an existing version
/// is never overwritten.
/// </summary>
public static class ModelPublisher
{
    /// <summary>Trials of the regression metric recorded at export.</summary>
    public const int RegressionTrials = 2000;

    /// <summary>Seed of the regression metric.</summary>
    public const int RegressionSeed = 1;

    /// <summary>
    /// Relative drift allowed for the regression metric: float32 kernels that differ across CPUs or ONNX Runtime versions
    /// move single estimates by about 1e-6 of their value, far below this, while any change of weights, layout or
    /// simulator moves the RMSE by much more.
    /// </summary>
    public const double RegressionTolerance = 1e-3;

    /// <summary>The most Fisher-scoring steps an export takes (each is a few hundred nodes).</summary>
    public const int MaxRefinementSteps = 10;

    /// <summary>Exports <paramref name="run"/> as family <paramref name="family"/>, version <paramref name="version"/> (default: the next vN).</summary>
    /// <param name="run">A finished (or interrupted) training run with model.bin.</param>
    /// <param name="registry">The registry root, e.g. models.</param>
    /// <param name="family">Family name: lower-case letters, digits, '-', '_' and '.'.</param>
    /// <param name="version">Version name (same alphabet), or null for v1, v2, ...</param>
    /// <param name="afterFileWritten">Test hook, called with each file written into the temporary folder.</param>
    /// <param name="projectOntoPrior">
    /// Whether the exported estimator projects its estimate onto the prior's support (U for AoD, P for position; see
    /// <see cref="Autoencoder.Create"/>): the run's weights, with the projection as the graph's last step. Recorded in the manifest.
    /// </param>
    /// <param name="refinementSteps">
    /// Fisher-scoring steps appended to the estimator (<see cref="RefinedAodEstimator"/>, <see cref="RefinedPositionEstimator"/>;
    /// 0 for none). They use the run's learned arrays (<see cref="ArrayCalibration.FileName"/>) where the run has them, the
    /// nominal array otherwise; an impaired run must have them. Recorded in the manifest.
    /// </param>
    /// <param name="posteriorGridPoints">
    /// Position at a fixed SNR only: export the posterior-mean estimator (<see cref="PosteriorMeanPositionEstimator"/>) on
    /// this many grid points per BS instead of the learned decoder, with the run's learned arrays where it has them, the
    /// nominal array otherwise. Null: the run's own choice (<see cref="TrainingConfig.PosteriorGridPoints"/>). Recorded in the manifest.
    /// </param>
    public static PublishResult Publish(RunDirectory run, string registry, string family, string? version = null, Action<string>? afterFileWritten = null, bool projectOntoPrior = false, int refinementSteps = 0, int? posteriorGridPoints = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        RegistryName.Check(family, "--family");
        if (version is not null)
        {
            RegistryName.Check(version, "--version");
        }

        if (!File.Exists(run.ModelPath))
        {
            throw new ArgumentException($"--run '{run.FullPath}' has no model.bin: train it first.");
        }

        (TrainingConfig config, Scenario scenario) = run.ReadConfig();
        LogRow best = run.ReadLog().MinBy(row => row.Selection) ?? throw new ArgumentException($"--run '{run.FullPath}': log.csv has no evaluation.");
        string familyFolder = Path.Combine(Path.GetFullPath(registry), family);
        version ??= RegistryName.NextVersion(familyFolder);
        string target = Path.Combine(familyFolder, version);
        if (Directory.Exists(target))
        {
            throw new ArgumentException($"model {family}/{version} already exists in '{registry}': versions are immutable; export under a new --version.");
        }

        if (projectOntoPrior && config.Task == TrainingTask.Aod && !config.DecoderRegion)
        {
            throw new ArgumentException($"--project-onto-prior for '{run.FullPath}': its AoD decoder does not take the region (--decoder-region), so it has no U to project onto; expected a run trained with --decoder-region.");
        }

        if (refinementSteps < 0 || refinementSteps > MaxRefinementSteps)
        {
            throw new ArgumentException($"--refine-steps {refinementSteps}: expected an integer within [0, {MaxRefinementSteps}].");
        }

        posteriorGridPoints ??= config.PosteriorGridPoints;
        if (posteriorGridPoints is int points)
        {
            if (config.Task != TrainingTask.Position || config.SnrMaxDb is not null || refinementSteps > 0)
            {
                throw new ArgumentException($"--posterior-grid {points} for '{run.FullPath}' (task {config.Task.ToString().ToLowerInvariant()}, SNR {(config.SnrMaxDb is null ? $"{config.SnrDb} dB" : $"range {config.SnrDb} to {config.SnrMaxDb} dB")}, --refine-steps {refinementSteps}): expected a position run at a fixed SNR, without --refine-steps.");
            }

            if (!PosteriorMeanPositionEstimator.IsValidGridSize(points))
            {
                throw new ArgumentException($"--posterior-grid {points}: expected grid points per BS within {PosteriorMeanPositionEstimator.GridRange}.");
            }
        }

        bool modelBased = refinementSteps > 0 || posteriorGridPoints is not null;
        string calibrationPath = Path.Combine(run.FullPath, ArrayCalibration.FileName);
        bool learnedArray = modelBased && File.Exists(calibrationPath);
        if (modelBased && !learnedArray && config.Impairment != ImpairmentKind.None)
        {
            throw new ArgumentException($"--refine-steps or --posterior-grid for '{run.FullPath}': its arrays are impaired ({config.Impairment.ToString().ToLowerInvariant()}) and the run has no {ArrayCalibration.FileName}; run e2e-train calibrate --run on it first.");
        }

        bool takesRegion = config.DecoderRegion || modelBased;
        using var model = Autoencoder.Create(config.Task, scenario, config.Hidden, CPU, config.DecoderInput, config.DecoderRegion, config.DecoderRegionHead, projectOntoPrior);
        model.load(run.ModelPath);
        model.eval();
        using LearnedArrays arrays = learnedArray ? ArrayCalibration.Load(calibrationPath, scenario) : ArrayCalibration.Nominal(scenario);

        string created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var metrics = new ManifestMetrics(model.Unit, best.Step, best.ValidationRmse, best.ReferenceRmse);
        var impairment = new ManifestImpairment(config.Impairment.ToString().ToLowerInvariant(), model.Arrays.Select(a => a.RealizationSeed).ToArray());
        JsonNode scenarioJson = JsonNode.Parse(ScenarioFile.ToJson(scenario))!;
        JsonNode trainingJson = JsonSerializer.SerializeToNode(config, ScenarioFile.JsonOptions)!;
        string ortVersion = OrtEnv.Instance().GetVersionString();
        string torchVersion = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";
        string commit = SourceCommit();
        string task = config.Task.ToString().ToLowerInvariant();
        int bsCount = scenario.BaseStationCount;

        Dictionary<string, string> Metadata(ModelKind kind, int? bs) => new()
        {
            ["e2e.family"] = family,
            ["e2e.version"] = version,
            ["e2e.task"] = task,
            ["e2e.kind"] = ModelContract.KindName(kind),
            ["e2e.base_station"] = bs?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["e2e.antenna_count"] = scenario.AntennaCount.ToString(CultureInfo.InvariantCulture),
            ["e2e.transmission_count"] = scenario.TransmissionCount.ToString(CultureInfo.InvariantCulture),
            ["e2e.base_station_count"] = bsCount.ToString(CultureInfo.InvariantCulture),
            ["e2e.snr_db"] = config.SnrDb.ToString("R", CultureInfo.InvariantCulture),
            ["e2e.impairment"] = JsonSerializer.Serialize(impairment, ModelManifest.JsonOptions),
            ["e2e.metrics"] = JsonSerializer.Serialize(metrics, ModelManifest.JsonOptions),
            ["e2e.scenario"] = scenarioJson.ToJsonString(),
            ["e2e.training"] = trainingJson.ToJsonString(),
            ["e2e.torchsharp_version"] = torchVersion,
            ["e2e.onnxruntime_version"] = ortVersion,
            ["e2e.created"] = created,
            ["e2e.source_commit"] = commit,
        };

        Directory.CreateDirectory(familyFolder);
        string staging = Path.Combine(familyFolder, $".staging-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var files = new List<ManifestFile>();
            var checks = new List<ExportCheckResult>();
            void Write(string fileName, ModelKind kind, int? bs, byte[] onnx, nn.Module<Tensor, Tensor> module, float[]? input = null)
            {
                ModelSignature signature = ModelContract.Signature(kind, scenario.AntennaCount, scenario.TransmissionCount, bsCount, takesRegion);
                checks.Add(ExportCheck.Run(onnx, signature, module, $"{family}/{version}/{fileName}", input: input));
                string path = Path.Combine(staging, fileName);
                AtomicFile.WriteAllBytes(path, onnx);
                files.Add(new ManifestFile(fileName, ModelContract.KindName(kind), bs, ModelManifest.Sha256Of(path)));
                afterFileWritten?.Invoke(path);
            }

            for (int i = 0; i < bsCount; i++)
            {
                byte[] onnx = OnnxExporter.Export(model.Precoders[i], bsCount, Metadata(ModelKind.Precoder, i + 1));
                Write($"precoder-bs{i + 1}.onnx", ModelKind.Precoder, i + 1, onnx, model.Precoders[i]);
            }

            if (posteriorGridPoints is int grid)
            {
                using var estimator = PosteriorMeanPositionEstimator.Create(model.Precoders, arrays.All, scenario, ChannelSimulator.NoiseVariance(config.SnrDb), grid);
                Write("position-estimator.onnx", ModelKind.PositionEstimator, null, OnnxExporter.Export(estimator, scenario.AntennaCount, Metadata(ModelKind.PositionEstimator, null)), estimator, ChannelInputs(model, config));
            }
            else if (refinementSteps > 0 && model is AodAutoencoder refinedAod)
            {
                using var estimator = new RefinedAodEstimator(refinedAod.Decoder, refinedAod.Precoders, arrays.All, refinementSteps);
                Write("aod-estimator.onnx", ModelKind.AodEstimator, null, OnnxExporter.Export(estimator, scenario.AntennaCount, bsCount, Metadata(ModelKind.AodEstimator, null)), estimator, ChannelInputs(model, config));
            }
            else if (refinementSteps > 0 && model is PositionAutoencoder refinedPosition)
            {
                using var estimator = RefinedPositionEstimator.Create(refinedPosition.Decoder, refinedPosition.Precoders, arrays.All, scenario, refinementSteps);
                Write("position-estimator.onnx", ModelKind.PositionEstimator, null, OnnxExporter.Export(estimator, scenario.AntennaCount, Metadata(ModelKind.PositionEstimator, null)), estimator, ChannelInputs(model, config));
            }
            else if (model is AodAutoencoder aod)
            {
                Write("aod-estimator.onnx", ModelKind.AodEstimator, null, OnnxExporter.Export(aod.Decoder, scenario.AntennaCount, bsCount, Metadata(ModelKind.AodEstimator, null)), aod.Decoder);
            }
            else if (model is PositionAutoencoder position)
            {
                Write("position-estimator.onnx", ModelKind.PositionEstimator, null, OnnxExporter.Export(position.Decoder, scenario.AntennaCount, Metadata(ModelKind.PositionEstimator, null)), position.Decoder);
            }

            var manifest = new ModelManifest
            {
                Family = family,
                Version = version,
                Task = task,
                AntennaCount = scenario.AntennaCount,
                TransmissionCount = scenario.TransmissionCount,
                BaseStationCount = bsCount,
                SnrDb = config.SnrDb,
                SnrMaxDb = config.SnrMaxDb,
                Impairment = impairment,
                EstimatorTakesRegion = takesRegion,
                EstimatorProjectsOntoPrior = projectOntoPrior || modelBased,
                EstimatorRefinementSteps = refinementSteps,
                EstimatorPosteriorGrid = posteriorGridPoints ?? 0,
                EstimatorArray = !modelBased ? null : learnedArray ? "learned" : "nominal",
                Files = files,
                Metrics = metrics,
                Scenario = scenarioJson,
                Training = trainingJson,
                TorchSharpVersion = torchVersion,
                OnnxRuntimeVersion = ortVersion,
                Created = created,
                SourceCommit = commit,
            };
            string manifestPath = Path.Combine(staging, "manifest.json");
            manifest.Save(manifestPath);

            // Regression data: golden pairs from the export check, and the deployed model's RMSE at the training SNR (the
            // reference SNR of a range) on a fixed seed, measured through the runtime exactly as `e2e validate` measures it.
            double regressionSnr = config.Snr.ReferenceDb;
            ValidationOutcome validation = ModelValidator.RunFolder(staging, [regressionSnr], RegressionTrials, RegressionSeed);
            manifest = manifest with
            {
                Golden = files.Select((f, i) => new GoldenCase(f.File, checks[i].GoldenShape, checks[i].GoldenInput, checks[i].GoldenOutput)).ToArray(),
                Regression = new RegressionMetric(regressionSnr, RegressionTrials, RegressionSeed, validation.Unit, validation.Rows[0].LearnedRmse, RegressionTolerance),
            };
            manifest.Save(manifestPath);
            afterFileWritten?.Invoke(manifestPath);
            Directory.Move(staging, target);
            return new PublishResult(target, manifest, checks);
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
    /// 1,000 estimator inputs [y, xi] drawn from the run's training prior at its reference SNR (20 dB for the release
    /// profile), through its precoders and true channel, seed <see cref="RegressionSeed"/>: AoD rows [y_i, xi_i] of every
    /// BS in turn, position rows [y_1..y_I, xi_1..xi_I]. Above the threshold SNR the scoring steps contract, and ONNX
    /// Runtime and TorchSharp agree to about 1e-7 rad; far below it (-5 dB) a step from a wrong basin is a ratio of small
    /// numbers that amplifies float rounding to a few 1e-5 rad, against an RMSE of degrees there.
    /// </summary>
    private static float[] ChannelInputs(Autoencoder model, TrainingConfig config)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sampler = new PriorSampler(model.Scenario, config.Snr.ReferenceDb, CPU);
        using var generator = new TorchSharp.torch.Generator((ulong)RegressionSeed, CPU);
        using TrainingSample sample = config.Task == TrainingTask.Aod ? sampler.SampleAod(1000, generator) : sampler.SamplePosition(1000, generator);
        int bsCount = model.Scenario.BaseStationCount;
        Tensor[] observations = Enumerable.Range(0, bsCount).Select(i => model.Transmit(i, sample).Observation).ToArray();
        Tensor rows = config.Task == TrainingTask.Aod
            ? cat(Enumerable.Range(0, bsCount).Select(i => cat([observations[i], sample.Xi[i]], 1)).ToArray(), 0)
            : cat([.. observations, .. sample.Xi], 1);
        return rows.contiguous().data<float>().ToArray();
    }

    /// <summary>git HEAD of the working folder, with "+dirty" when tracked files differ; "unknown" without git.</summary>
    private static string SourceCommit()
    {
        string? Git(string arguments)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
                if (process is null)
                {
                    return null;
                }

                string output = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return process.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        string? head = Git("rev-parse HEAD");
        if (head is null)
        {
            return "unknown";
        }

        string? status = Git("status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "+dirty";
    }
}
