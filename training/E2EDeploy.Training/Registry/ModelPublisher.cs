using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using E2EDeploy.Shared;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Estimators;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Training;
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
/// precoder (precoder-bs1.onnx, ...), the estimator (aod-estimator.onnx or position-estimator.onnx, any
/// <see cref="IExportableEstimator"/>) and manifest.json.
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

    /// <summary>
    /// Exports <paramref name="run"/> with the estimator that <paramref name="settings"/> choose into <paramref name="target"/>:
    /// loads the run, builds the estimator (<see cref="EstimatorSettings.Create"/>) and publishes both.
    /// </summary>
    public static PublishResult Publish(RunDirectory run, PublishTarget target, EstimatorSettings settings, RegressionMeasure measure, Action<string>? afterFileWritten = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using TrainedRun trained = TrainedRun.Load(run, settings.ProjectOntoPrior);
        using IExportableEstimator estimator = settings.Create(trained);
        return Publish(trained, estimator, target, measure, afterFileWritten);
    }

    /// <summary>
    /// Exports the precoders of <paramref name="trained"/> and <paramref name="estimator"/> as a new version of
    /// <paramref name="target"/>, with its manifest, golden data and the regression metric that <paramref name="measure"/>
    /// takes of the staged version.
    /// </summary>
    /// <param name="trained">The loaded run.</param>
    /// <param name="estimator">The UE estimator, built from the run's parts (the plug-in point).</param>
    /// <param name="target">Registry, family and version.</param>
    /// <param name="measure">Measures the staged version through the deployed runtime for the manifest's regression metric.</param>
    /// <param name="afterFileWritten">Test hook, called with each file written into the temporary folder.</param>
    public static PublishResult Publish(TrainedRun trained, IExportableEstimator estimator, PublishTarget target, RegressionMeasure measure, Action<string>? afterFileWritten = null)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(measure);
        target.Validate();
        string family = target.Family;
        string familyFolder = Path.Combine(Path.GetFullPath(target.Registry), family);
        Directory.CreateDirectory(familyFolder);
        RemoveStaleStaging(familyFolder);
        (string version, FolderLock reservation) = Reserve(familyFolder, family, target);
        using (reservation)
        {
            try
            {
                return PublishReserved(trained, estimator, target, measure, afterFileWritten, familyFolder, version);
            }
            finally
            {
                File.Delete(reservation.Path);
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="target"/>'s version (or the next free vN) with a lock that no other export can take while this
    /// one works, so that two exports never pick the same version and the loser learns it before its work.
    /// </summary>
    private static (string Version, FolderLock Reservation) Reserve(string familyFolder, string family, PublishTarget target)
    {
        string version = target.Version ?? RegistryName.NextVersion(familyFolder);
        while (true)
        {
            string folder = Path.Combine(familyFolder, version);
            FolderLock? reservation = Directory.Exists(folder) ? null : FolderLock.TryAcquire(ReservationPath(familyFolder, version));
            if (reservation is not null && !Directory.Exists(folder))
            {
                return (version, reservation);
            }

            reservation?.Dispose();
            if (target.Version is not null)
            {
                throw new InvalidSettingException("Version", $"{family}/{version}", Directory.Exists(folder)
                    ? $"a version that is not yet in '{target.Registry}': versions are immutable"
                    : $"a version that no other export is writing into '{target.Registry}' now");
            }

            version = $"v{RegistryName.VersionNumber(version)!.Value + 1}";
        }
    }

    private static string ReservationPath(string familyFolder, string version) => Path.Combine(familyFolder, $".{version}.lock");

    /// <summary>Removes the staging folders of exports that died (their version's reservation is no longer held).</summary>
    private static void RemoveStaleStaging(string familyFolder)
    {
        foreach (string staging in Directory.GetDirectories(familyFolder, ".staging-*"))
        {
            string name = Path.GetFileName(staging)[".staging-".Length..];
            int dash = name.LastIndexOf('-');
            string version = dash > 0 ? name[..dash] : name;
            if (!FolderLock.IsHeld(ReservationPath(familyFolder, version)))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static PublishResult PublishReserved(TrainedRun trained, IExportableEstimator estimator, PublishTarget target, RegressionMeasure measure, Action<string>? afterFileWritten, string familyFolder, string version)
    {
        TrainingConfig config = trained.Config;
        Scenario scenario = trained.Scenario;
        Autoencoder model = trained.Model;
        string family = target.Family;
        string folder = Path.Combine(familyFolder, version);

        ManifestEstimator description = estimator.Description;
        string created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var metrics = new ManifestMetrics(model.Unit, trained.Best.Step, trained.Best.ValidationRmse, trained.Best.ReferenceRmse);
        var impairment = new ManifestImpairment(config.Impairment.ToString().ToLowerInvariant(), model.Arrays.Select(a => a.RealizationSeed).ToArray());
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
            ["e2e.estimator"] = JsonSerializer.Serialize(description, ModelManifest.JsonOptions),
            ["e2e.scenario"] = JsonNode.Parse(ScenarioFile.ToJson(scenario))!.ToJsonString(),
            ["e2e.training"] = trainingJson.ToJsonString(),
            ["e2e.torchsharp_version"] = torchVersion,
            ["e2e.onnxruntime_version"] = ortVersion,
            ["e2e.created"] = created,
            ["e2e.source_commit"] = commit,
        };

        string staging = Path.Combine(familyFolder, $".staging-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var files = new List<ManifestFile>();
            var checks = new List<ExportCheckResult>();
            float[]? graphGolden = null;
            void Write(string fileName, ModelKind kind, int? bs, byte[] onnx, nn.Module<Tensor, Tensor> module, float[]? input = null)
            {
                ModelSignature signature = ModelContract.Signature(kind, scenario.AntennaCount, scenario.TransmissionCount, bsCount, description.TakesRegion);
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

            Write($"{ModelContract.KindName(estimator.Kind)}.onnx", estimator.Kind, null, estimator.Export(Metadata(estimator.Kind, null)), estimator.GraphModule, estimator.CheckInputs);
            if (description.RuntimeScoring)
            {
                // The graph is the decoder; what the runtime answers, and what the golden cases hold it to, is the whole
                // estimator: TorchSharp's refined estimate of the same inputs.
                ExportCheckResult decoderCheck = checks[^1];
                graphGolden = decoderCheck.GoldenOutput;
                checks[^1] = decoderCheck with { GoldenOutput = Evaluate(estimator.Module, decoderCheck.GoldenInput, decoderCheck.GoldenShape) };
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
                Estimator = description,
                Files = files,
                Metrics = metrics,
                Scenario = scenario,
                Training = trainingJson,
                TorchSharpVersion = torchVersion,
                OnnxRuntimeVersion = ortVersion,
                Created = created,
                SourceCommit = commit,
                ReproducingCommand = target.ReproducingCommand,
            };
            string manifestPath = Path.Combine(staging, "manifest.json");
            manifest.Save(manifestPath);

            // Regression data: golden pairs from the export check, and the deployed model's RMSE at the training SNR (the
            // reference SNR of a range) on a fixed seed, measured through the runtime exactly as `e2e validate` measures it.
            double regressionSnr = config.Snr.ReferenceDb;
            RegressionMeasurement measured = measure(staging, regressionSnr, RegressionTrials, RegressionSeed);
            manifest = manifest with
            {
                Golden = files.Select((f, i) => new GoldenCase(f.File, checks[i].GoldenShape, checks[i].GoldenInput, checks[i].GoldenOutput)
                {
                    GraphOutput = f.BaseStation is null ? graphGolden : null,
                }).ToArray(),
                Regression = new RegressionMetric(regressionSnr, RegressionTrials, RegressionSeed, measured.Unit, measured.LearnedRmse, RegressionTolerance),
            };
            manifest.Save(manifestPath);
            afterFileWritten?.Invoke(manifestPath);
            Directory.Move(staging, folder);
            return new PublishResult(folder, manifest, checks);
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

    /// <summary><paramref name="module"/>'s output for <paramref name="input"/> of shape <paramref name="shape"/>, float32 row-major.</summary>
    private static float[] Evaluate(nn.Module<Tensor, Tensor> module, float[] input, long[] shape)
    {
        using var noGrad = no_grad();
        using Tensor x = tensor(input, shape);
        using Tensor y = module.call(x);
        return y.contiguous().data<float>().ToArray();
    }

    /// <summary>
    /// The source commit of this build: git HEAD of the repository that holds the running binaries (found upward from them,
    /// never from the current folder), with "+dirty" when tracked files differ; "unknown" for binaries outside a repository
    /// (an installed copy) or without git. Git runs with its fsmonitor hook and the untracked cache off, so no hook or
    /// configured command of the repository runs.
    /// </summary>
    internal static string SourceCommit()
    {
        string? repository = null;
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                repository = folder.FullName;
                break;
            }
        }

        if (repository is null)
        {
            return "unknown";
        }

        string? Git(params string[] arguments)
        {
            try
            {
                var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repository };
                foreach (string argument in (string[])["-C", repository, "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", .. arguments])
                {
                    start.ArgumentList.Add(argument);
                }

                start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
                using var process = Process.Start(start);
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

        string? head = Git("rev-parse", "HEAD");
        if (head is null)
        {
            return "unknown";
        }

        string? status = Git("status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "+dirty";
    }
}
