using System.Diagnostics;
using System.Text.Json;
using E2EDeploy.Shared;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.IO;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Training;

/// <summary>What the trainer reports while it runs.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, double Loss, double ValidationRmse, double LearningRate, string Unit);

/// <summary>The outcome of a run.</summary>
/// <param name="Steps">Optimiser steps done.</param>
/// <param name="BestStep">The step of the best validation RMSE, whose weights are in model.bin.</param>
/// <param name="ValidationRmse">Best validation RMSE (deg or m).</param>
/// <param name="ReferenceRmse">Reference-set RMSE of the same weights (deg or m).</param>
/// <param name="Unit">deg or m.</param>
/// <param name="EarlyStopped">Whether the plateau rule stopped training.</param>
/// <param name="Interrupted">Whether the run was cancelled (a checkpoint was written).</param>
/// <param name="ElapsedSeconds">Training time over all resumptions.</param>
/// <param name="StepsPerSecond">Steps per second in this invocation.</param>
public sealed record TrainingResult(int Steps, int BestStep, double ValidationRmse, double ReferenceRmse, string Unit, bool EarlyStopped, bool Interrupted, double ElapsedSeconds, double StepsPerSecond);

/// <summary>
/// Trains an autoencoder (section IV-B): Adam with the plateau schedule, batch k drawn from a seed derived from
/// (seed, k), evaluation every EvalEvery steps on a held-out set of fixed seed (model.bin keeps the weights with the best
/// validation RMSE), checkpoints every CheckpointEvery steps and on cancellation. Because every batch depends only on the seed and the step, a resumed run repeats an
/// uninterrupted one exactly on the CPU.
/// </summary>
public static class Trainer
{
    /// <summary>Starts a run in <paramref name="run"/> (which must hold no checkpoint) or resumes the one it holds.</summary>
    /// <param name="run">The run folder.</param>
    /// <param name="config">The training config (ignored on resume except <see cref="TrainingConfig.Steps"/> when <paramref name="stepsOverride"/> is set).</param>
    /// <param name="scenario">The scenario (ignored on resume: the run's own is used).</param>
    /// <param name="resume">Continue from checkpoint.bin.</param>
    /// <param name="stepsOverride">On resume, a new total step count.</param>
    /// <param name="progress">Receives progress after every step.</param>
    /// <param name="cancellationToken">Stops after the current step, writing a checkpoint.</param>
    public static TrainingResult Run(RunDirectory run, TrainingConfig config, Scenario scenario, bool resume, int? stepsOverride = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        using FolderLock writer = run.AcquireWriter();
        if (resume)
        {
            if (!run.HasCheckpoint)
            {
                throw new InvalidSettingException(nameof(resume), "on", $"a run folder with a checkpoint.bin to resume from; '{run.FullPath}' holds none");
            }

            (config, scenario) = run.ReadConfig();
            if (stepsOverride is int steps)
            {
                config = config with { Steps = steps };
            }
        }
        else if (run.HasCheckpoint)
        {
            throw new InvalidSettingException(nameof(run), $"'{run.FullPath}'", "a folder without a run (it holds one: resume it, or choose a new folder)");
        }

        config.Validate();
        scenario = (scenario with { Impairments = scenario.Impairments with { Kind = config.Impairment } }).Validate();
        Device device = TorchDevices.Resolve(config.Device);

        using var model = Autoencoder.Create(config.Task, scenario, config.Hidden, device, config.DecoderInput, config.DecoderRegion);
        using (var initGenerator = new Generator((ulong)(uint)SeedSequence.Derive(config.Seed, -1), device))
        {
            model.Initialize(initGenerator);
        }

        if (!resume && config.InitFrom is string initFrom)
        {
            WarmStart(model, initFrom);
        }

        using OptimizerHelper optimizer = optim.Adam(model.parameters(), config.LearningRate);
        var state = new TrainerState(0, PlateauScheduler.Start(config.LearningRate), 0, false);
        List<LogRow> log = [];
        if (resume)
        {
            state = Checkpoint.Load(run.CheckpointPath, model, optimizer);
            log = run.ReadLog().Where(row => row.Step <= state.Step).ToList();
            if (stepsOverride is not null)
            {
                // The run's config records its total steps, so that the manifest describes the run as one uninterrupted run of that length.
                run.WriteConfig(config, scenario, model.Arrays);
            }
        }
        else
        {
            run.WriteConfig(config, scenario, model.Arrays);
            run.WriteLog(log, model.Unit);
        }

        SetLearningRate(optimizer, state.Scheduler.LearningRate);
        var sampler = new PriorSampler(scenario, config.Snr, device);
        using TrainingSample validation = ValidationSample(sampler, config, config.ValidationSeed, reference: false);
        using TrainingSample reference = ValidationSample(sampler, config, config.ValidationSeed + 1, reference: true);

        var clock = Stopwatch.StartNew();
        double startElapsed = state.ElapsedSeconds;
        int startStep = state.Step;
        double lastValidation = log.Count > 0 ? log[^1].ValidationRmse : double.NaN;
        double lastReference = log.Count > 0 ? log[^1].ReferenceRmse : double.NaN;
        double lastLoss = log.Count > 0 ? log[^1].Loss : double.NaN;
        bool interrupted = false;
        model.train();
        while (state.Step < config.Steps && !state.Stopped)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            int step = state.Step + 1;
            using (var scope = NewDisposeScope())
            {
                using var generator = new Generator((ulong)(uint)SeedSequence.Derive(config.Seed, step), device);
                using TrainingSample batch = Sample(sampler, config, config.BatchSize, generator);
                Tensor loss = model.Loss(batch, config.BoundWeight);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lastLoss = loss.item<float>();
            }

            state = state with { Step = step, ElapsedSeconds = startElapsed + clock.Elapsed.TotalSeconds, LossSum = state.LossSum + lastLoss, LossCount = state.LossCount + 1 };
            if (step % config.EvalEvery == 0 || step == config.Steps)
            {
                lastValidation = Rmse(model, validation);
                lastReference = Rmse(model, reference);
                double referenceBound = Math.Sqrt(model.MeanBound(reference)) * model.UnitScale;
                double objective = lastValidation;
                (PlateauScheduler scheduler, bool stop) = state.Scheduler.Observe(objective, config);
                log.Add(new LogRow(step, state.LossSum / state.LossCount, lastValidation, lastReference, scheduler.LearningRate, state.ElapsedSeconds, referenceBound, objective));
                state = state with { Scheduler = scheduler, Stopped = stop, LossSum = 0, LossCount = 0 };
                SetLearningRate(optimizer, scheduler.LearningRate);
                run.WriteLog(log, model.Unit);
                if (scheduler.SinceImprovement == 0)
                {
                    SaveWeights(run.ModelPath, model);
                }
            }

            if (step % config.CheckpointEvery == 0 || step == config.Steps || state.Stopped)
            {
                Checkpoint.Save(run.CheckpointPath, state, model, optimizer);
            }

            progress?.Report(new TrainingProgress(step, config.Steps, lastLoss, lastValidation, state.Scheduler.LearningRate, model.Unit));
        }

        if (interrupted)
        {
            Checkpoint.Save(run.CheckpointPath, state, model, optimizer);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        LogRow? best = log.Count == 0 ? null : log.MinBy(row => row.Selection);
        var result = new TrainingResult(state.Step, best?.Step ?? 0, best?.ValidationRmse ?? double.NaN, best?.ReferenceRmse ?? double.NaN, model.Unit, state.Stopped, interrupted, state.ElapsedSeconds,
            seconds > 0 ? (state.Step - startStep) / seconds : 0);
        AtomicFile.WriteAllText(run.SummaryPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        return result;
    }

    /// <summary>
    /// Loads the best weights of another run (its folder or its model.bin) into <paramref name="model"/>: a warm start,
    /// e.g. an impaired model from the unimpaired one. The networks must have the same task, sizes and decoder input.
    /// One widening is allowed: a model whose decoder takes the regions (<see cref="Networks.AodDecoder.TakesRegion"/>,
    /// <see cref="Networks.PositionDecoder.TakesRegion"/>) starts from a run whose decoder does not; the regions' columns of
    /// the decoder's first layer start at zero, so the warm model computes exactly the source run's function until training
    /// teaches it to use the regions.
    /// </summary>
    public static void WarmStart(Autoencoder model, string initFrom)
    {
        ArgumentNullException.ThrowIfNull(model);
        string path = Directory.Exists(initFrom) ? new RunDirectory(initFrom).ModelPath : initFrom;
        if (!File.Exists(path))
        {
            throw new InvalidSettingException("InitFrom", $"'{initFrom}'", $"a run folder or a model.bin (looked for '{Path.GetFullPath(path)}')");
        }

        try
        {
            model.load(path, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            if (WithoutRegion(model) is Autoencoder narrow)
            {
                using (narrow)
                {
                    if (TryWidenFrom(model, narrow, path))
                    {
                        return;
                    }
                }
            }

            throw new InvalidSettingException("InitFrom", $"'{initFrom}'", $"weights of this network; '{path}' holds others (task {model.GetType().Name}, sizes and decoder input must match): {e.Message}", e);
        }
    }

    /// <summary>The same network as <paramref name="model"/> without the region input, or null when its decoder takes none.</summary>
    private static Autoencoder? WithoutRegion(Autoencoder model) => model switch
    {
        AodAutoencoder { Decoder.TakesRegion: true } aod => new AodAutoencoder(aod.Scenario, aod.Decoder.Hidden, aod.parameters().First().device, aod.Decoder.Input, decoderRegion: false),
        PositionAutoencoder { Decoder.TakesRegion: true } position => new PositionAutoencoder(position.Scenario, position.Decoder.Hidden, position.parameters().First().device, position.Decoder.Input, decoderRegion: false),
        _ => null,
    };

    /// <summary>Loads the weights of <paramref name="source"/>'s kind of model (without the region input) into <paramref name="model"/>, widening the decoder's first layer with zero columns.</summary>
    private static bool TryWidenFrom(Autoencoder model, Autoencoder source, string path)
    {
        source.to(model.parameters().First().device);
        try
        {
            source.load(path, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            return false;
        }

        Dictionary<string, Tensor> from = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var noGrad = no_grad();
        foreach ((string name, TorchSharp.Modules.Parameter target) in model.named_parameters())
        {
            Tensor value = from[name];
            if (value.shape.SequenceEqual(target.shape))
            {
                target.copy_(value);
            }
            else
            {
                // The decoder's first layer: [H, width] from [H, width - 3 I]; the regions' columns start at zero.
                long width = value.shape[1];
                target.zero_();
                target.narrow(1, 0, width).copy_(value);
            }
        }

        return true;
    }

    /// <summary>Writes the model's weights atomically (TorchSharp's module format).</summary>
    public static void SaveWeights(string path, Autoencoder model) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });

    /// <summary>RMSE of the model on a fixed sample, in deg or m, evaluated in chunks without gradients.</summary>
    public static double Rmse(Autoencoder model, TrainingSample sample)
    {
        using var noGrad = no_grad();
        model.eval();
        (double sum, long count) = model.SquaredErrorSum(sample);
        model.train();
        return Math.Sqrt(sum / count) * model.UnitScale;
    }

    private static TrainingSample Sample(PriorSampler sampler, TrainingConfig config, int size, Generator generator) => config.Task switch
    {
        TrainingTask.Aod => sampler.SampleAod(size, generator),
        _ => sampler.SamplePosition(size, generator),
    };

    private static TrainingSample ValidationSample(PriorSampler sampler, TrainingConfig config, int seed, bool reference)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(uint)seed, TorchDevices.Resolve(config.Device));
        TrainingSample sample = (config.Task, reference) switch
        {
            (TrainingTask.Aod, false) => sampler.SampleAod(config.ValidationSize, generator),
            (TrainingTask.Aod, true) => sampler.SampleAodInRegion(config.ValidationSize, sampler.Scenario.AodTestRegion, generator),
            (_, false) => sampler.SamplePosition(config.ValidationSize, generator),
            (_, true) => sampler.SamplePosition(config.ValidationSize, generator, sampler.Scenario.PositionTestPoint),
        };
        return sample.Keep();
    }

    private static void SetLearningRate(OptimizerHelper optimizer, double rate)
    {
        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
