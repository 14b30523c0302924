using E2EDeploy.Shared;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Training;

/// <summary>Settings of <see cref="ArrayCalibration.Run"/>: steps, batch, Adam's rate (cosine-decayed to 1 %), the SNR of the draws (dB) and the seed.</summary>
public sealed record CalibrationSettings(int Steps = 2000, int BatchSize = 1000, double LearningRate = 1e-3, double SnrDb = 30, int Seed = 1)
{
    /// <summary>Checks every value; throws naming the bad one.</summary>
    public CalibrationSettings Validate()
    {
        if (Steps < 1)
        {
            throw new InvalidSettingException(nameof(Steps), Steps, "an integer >= 1");
        }

        if (BatchSize < 1)
        {
            throw new InvalidSettingException(nameof(BatchSize), BatchSize, "an integer >= 1");
        }

        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new InvalidSettingException(nameof(LearningRate), LearningRate, "a finite value > 0");
        }

        if (!double.IsFinite(SnrDb) || SnrDb < -30 || SnrDb > 60)
        {
            throw new InvalidSettingException(nameof(SnrDb), SnrDb, "an SNR in dB within [-30, 60]");
        }

        return this;
    }
}

/// <summary>The calibration's loss before and after, and its duration.</summary>
public sealed record CalibrationResult(double InitialLoss, double FinalLoss, double Seconds);

/// <summary>
/// Learns the UE's model of every BS's array (<see cref="LearnedArray"/>, beyond the paper) from the training data of a
/// trained autoencoder, whose precoders stay fixed: draws from the training prior, through the true channel, at a fixed
/// high SNR, and Adam on the loss mean(1 - |b^H y|^2 / (||b||^2 ||y||^2)), b = F^T a~_learned(theta) at the TRUE theta
/// of each draw. The loss is 0 exactly when the learned response explains every noiseless y, so it learns a~ on the
/// subspace the precoders excite, which is all the refinement (<see cref="RefinedAodEstimator"/>,
/// <see cref="RefinedPositionEstimator"/>) needs. The UE never sees the true impairment; it learns from the labelled
/// training data, as the decoder does.
/// </summary>
public static class ArrayCalibration
{
    /// <summary>The file in a run folder that holds the learned arrays.</summary>
    public const string FileName = "calibration.bin";

    /// <summary>A nominal <see cref="LearnedArray"/> per BS of <paramref name="scenario"/>, held in one module that owns them.</summary>
    public static LearnedArrays Nominal(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new LearnedArrays(scenario.BaseStationCount, scenario.AntennaCount);
    }

    /// <summary>The calibration loss of <paramref name="arrays"/> on a sample (see the class summary): a scalar, differentiable in the arrays only.</summary>
    public static Tensor Loss(Autoencoder model, IReadOnlyList<LearnedArray> arrays, TrainingSample sample)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = NewDisposeScope();
        var terms = new List<Tensor>();
        for (int i = 0; i < arrays.Count; i++)
        {
            if (sample.Theta[i].shape[0] == 0)
            {
                continue;
            }

            Tensor precoder, observation;
            using (no_grad())
            {
                (precoder, observation) = model.Transmit(i, sample);
            }

            (_, _, Tensor correlation) = FisherScoring.Terms(observation, precoder, arrays[i], sample.Theta[i]);
            terms.Add(1 - (correlation / observation.square().sum(1)));
        }

        return cat(terms, 0).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Calibrates <paramref name="arrays"/> (one per BS, in place) on <paramref name="model"/>'s channel and prior.
    /// <paramref name="progress"/> is called with (step, loss) every 50 steps and at the end.
    /// </summary>
    public static CalibrationResult Run(Autoencoder model, TrainingTask task, LearnedArrays arrays, CalibrationSettings settings, Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Device device = model.parameters().First().device;
        var sampler = new PriorSampler(model.Scenario, settings.SnrDb, device);
        using var generator = new Generator((ulong)settings.Seed, device);
        using var optimizer = optim.Adam(arrays.parameters(), settings.LearningRate);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, settings.Steps, settings.LearningRate / 100);
        model.eval();
        double initial = double.NaN, last = double.NaN;
        for (int step = 1; step <= settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using TrainingSample sample = task == TrainingTask.Aod ? sampler.SampleAod(settings.BatchSize, generator) : sampler.SamplePosition(settings.BatchSize, generator);
            optimizer.zero_grad();
            Tensor loss = Loss(model, arrays.All, sample);
            loss.backward();
            optimizer.step();
            schedule.step();
            last = loss.item<float>();
            if (step == 1)
            {
                initial = last;
            }

            if (step % 50 == 0 || step == settings.Steps)
            {
                progress?.Invoke(step, last);
            }
        }

        return new CalibrationResult(initial, last, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Calibrates the arrays of a trained run (its best weights, model.bin) and writes them into the run as
    /// <see cref="FileName"/>, atomically, holding the run's writer lock. Deterministic: the same run and settings give the
    /// same file. Cancelled, it writes nothing (a calibration takes under a minute, so it is simply run again).
    /// </summary>
    /// <exception cref="InvalidSettingException">The folder holds no trained run, or another process writes it.</exception>
    public static CalibrationResult CalibrateRun(RunDirectory run, CalibrationSettings settings, Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!File.Exists(run.ModelPath))
        {
            throw new InvalidSettingException("run", $"'{run.FullPath}'", "a trained run folder with model.bin");
        }

        using FolderLock writer = run.AcquireWriter();
        (TrainingConfig config, Scenario scenario) = run.ReadConfig();
        using var model = Autoencoder.Create(config.Task, scenario, config.Hidden, CPU, config.DecoderInput, config.DecoderRegion);
        model.load(run.ModelPath);
        using LearnedArrays arrays = Nominal(scenario);
        CalibrationResult result = Run(model, config.Task, arrays, settings, progress, cancellationToken);
        Save(arrays, Path.Combine(run.FullPath, FileName));
        return result;
    }

    /// <summary>Writes the arrays to <paramref name="path"/> atomically.</summary>
    public static void Save(LearnedArrays arrays, string path)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            arrays.save(writer);
        });
    }

    /// <summary>Reads arrays written by <see cref="Save"/> for <paramref name="scenario"/>; throws naming the file when it does not fit.</summary>
    public static LearnedArrays Load(string path, Scenario scenario)
    {
        LearnedArrays arrays = Nominal(scenario);
        try
        {
            using FileStream stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            arrays.load(reader);
            return arrays;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or IOException)
        {
            arrays.Dispose();
            throw new InvalidDataException($"'{path}' does not hold the learned arrays of {scenario.BaseStationCount} BSs of {scenario.AntennaCount} elements: {e.Message}", e);
        }
    }
}
