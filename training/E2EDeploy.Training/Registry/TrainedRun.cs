using E2EDeploy.Shared;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Registry;

/// <summary>
/// A finished (or interrupted) training run loaded for export: its config, scenario, best log row and the autoencoder with
/// the best weights (model.bin), on the CPU in evaluation mode. Owns the autoencoder.
/// </summary>
public sealed class TrainedRun : IDisposable
{
    private TrainedRun(RunDirectory run, TrainingConfig config, Scenario scenario, LogRow best, Autoencoder model, bool projectsOntoPrior)
    {
        ProjectsOntoPrior = projectsOntoPrior;
        Run = run;
        Config = config;
        Scenario = scenario;
        Best = best;
        Model = model;
    }

    /// <summary>The run folder.</summary>
    public RunDirectory Run { get; }

    /// <summary>The run's training config.</summary>
    public TrainingConfig Config { get; }

    /// <summary>The run's scenario, with its impairment.</summary>
    public Scenario Scenario { get; }

    /// <summary>The log row of the weights in model.bin (the best validation objective).</summary>
    public LogRow Best { get; }

    /// <summary>The autoencoder with the best weights.</summary>
    public Autoencoder Model { get; }

    /// <summary>Whether the decoder was built with the projection onto U or P as its last step.</summary>
    public bool ProjectsOntoPrior { get; }

    /// <summary>Whether the run holds the UE's learned arrays (<see cref="ArrayCalibration.FileName"/>).</summary>
    public bool HasCalibration => File.Exists(CalibrationPath);

    private string CalibrationPath => Path.Combine(Run.FullPath, ArrayCalibration.FileName);

    /// <summary>
    /// Loads <paramref name="run"/>. <paramref name="projectOntoPrior"/> builds the decoder with the projection onto U or P as
    /// its last step (<see cref="Autoencoder.Create"/>); the weights are the run's either way.
    /// </summary>
    /// <exception cref="InvalidSettingException">The run has no model.bin or no evaluation in its log.</exception>
    public static TrainedRun Load(RunDirectory run, bool projectOntoPrior = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!File.Exists(run.ModelPath))
        {
            throw new InvalidSettingException("run", run.FullPath, "a trained run folder with model.bin: train it first");
        }

        (TrainingConfig config, Scenario scenario) = run.ReadConfig();
        LogRow best = run.ReadLog().MinBy(row => row.Selection)
            ?? throw new InvalidSettingException("run", run.FullPath, "a run whose log.csv has an evaluation");
        if (projectOntoPrior && config.Task == TrainingTask.Aod && !config.DecoderRegion)
        {
            throw new InvalidSettingException("ProjectOntoPrior", "on", $"a run whose AoD decoder takes the region (DecoderRegion), so that there is a U to project onto; '{run.FullPath}' has none");
        }

        Autoencoder model = Autoencoder.Create(config.Task, scenario, config.Hidden, CPU, config.DecoderInput, config.DecoderRegion, projectOntoPrior);
        try
        {
            model.load(run.ModelPath);
            model.eval();
        }
        catch
        {
            model.Dispose();
            throw;
        }

        return new TrainedRun(run, config, scenario, best, model, projectOntoPrior);
    }

    /// <summary>The UE's model of every BS's array: the learned one where the run was calibrated, the nominal ULA otherwise. The caller owns it.</summary>
    public LearnedArrays LoadArrays() => HasCalibration ? ArrayCalibration.Load(CalibrationPath, Scenario) : ArrayCalibration.Nominal(Scenario);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
