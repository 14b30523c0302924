using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Channel;
using E2EDeploy.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Training;

/// <summary>
/// An end-to-end autoencoder: one precoder network per BS (Figs. 2 and 3), the differentiable channel of each BS
/// with its true array, and a UE-side decoder. Owns its modules and channels.
/// </summary>
public abstract class Autoencoder : nn.Module
{
    private readonly TorchChannel[] channels;
    private readonly TorchSharp.Modules.ModuleList<PrecoderNetwork> precoders;

    /// <summary>Creates the precoders and channels of every BS of <paramref name="scenario"/>.</summary>
    protected Autoencoder(string name, Scenario scenario, int hidden, Device device)
        : base(name)
    {
        Scenario = scenario;
        Arrays = ArrayRealizations.ForAllBaseStations(scenario);
        channels = Arrays.Select(array => new TorchChannel(array, device)).ToArray();
        precoders = new TorchSharp.Modules.ModuleList<PrecoderNetwork>();
        for (int i = 0; i < scenario.BaseStationCount; i++)
        {
            precoders.Add(new PrecoderNetwork(scenario.AntennaCount, scenario.TransmissionCount, hidden));
        }
    }

    /// <summary>The scenario (BSs, array size, priors, impairment).</summary>
    public Scenario Scenario { get; }

    /// <summary>The true array of each BS (its impairment realisation).</summary>
    public ArrayResponse[] Arrays { get; }

    /// <summary>The precoder network of each BS.</summary>
    public IReadOnlyList<PrecoderNetwork> Precoders => [.. precoders];

    /// <summary>The unit of <see cref="SquaredErrorSum"/>'s square root as shown to users: deg or m.</summary>
    public abstract string Unit { get; }

    /// <summary>Factor from the model's unit (rad or m) to <see cref="Unit"/>.</summary>
    public abstract double UnitScale { get; }

    /// <summary>The mean squared error (eq. 6 or 7) over the batch, a scalar.</summary>
    public abstract Tensor Loss(TrainingSample sample);

    /// <summary>The sum of squared errors over the batch and the number of samples, for RMSE over several batches.</summary>
    public abstract (double Sum, long Count) SquaredErrorSum(TrainingSample sample);

    /// <summary>Initialises every network from one generator, in a fixed order.</summary>
    public abstract void Initialize(Generator generator);

    /// <summary>y_i of BS <paramref name="bs"/> for the sample: [m, 2T].</summary>
    protected Tensor Observe(int bs, TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        Tensor f = precoders[bs].call(sample.Xi[bs]);
        return channels[bs].Observe(sample.Theta[bs], f, sample.Gain[bs], sample.Noise[bs]).MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the precoders, BS 1 first.</summary>
    protected void InitializePrecoders(Generator generator)
    {
        foreach (PrecoderNetwork precoder in precoders)
        {
            precoder.Initialize(generator);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (TorchChannel channel in channels)
            {
                channel.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Creates the autoencoder of <paramref name="task"/> on <paramref name="device"/>.</summary>
    public static Autoencoder Create(TrainingTask task, Scenario scenario, int hidden, Device device)
    {
        Autoencoder model = task switch
        {
            TrainingTask.Aod => new AodAutoencoder(scenario, hidden, device),
            TrainingTask.Position => new PositionAutoencoder(scenario, hidden, device),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "expected aod or position."),
        };
        model.to(device);
        return model;
    }
}

/// <summary>The AoD autoencoder of Fig. 2: precoder per BS, AoD decoder shared by all BSs, loss eq. (6).</summary>
public sealed class AodAutoencoder : Autoencoder
{
    private readonly AodDecoder decoder;

    /// <summary>Creates the autoencoder.</summary>
    public AodAutoencoder(Scenario scenario, int hidden, Device device)
        : base(nameof(AodAutoencoder), scenario, hidden, device)
    {
        decoder = new AodDecoder(scenario.TransmissionCount, hidden);
        RegisterComponents();
    }

    /// <summary>The shared AoD decoder.</summary>
    public AodDecoder Decoder => decoder;

    /// <inheritdoc />
    public override string Unit => "deg";

    /// <inheritdoc />
    public override double UnitScale => 180.0 / Math.PI;

    /// <inheritdoc />
    public override Tensor Loss(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        (Tensor errors, _) = Errors(sample);
        return errors.square().mean().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override (double Sum, long Count) SquaredErrorSum(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        (Tensor errors, long count) = Errors(sample);
        return (errors.square().sum().to_type(ScalarType.Float64).item<double>(), count);
    }

    /// <inheritdoc />
    public override void Initialize(Generator generator)
    {
        InitializePrecoders(generator);
        decoder.Initialize(generator);
    }

    private (Tensor Errors, long Count) Errors(TrainingSample sample)
    {
        var observations = new List<Tensor>();
        var truths = new List<Tensor>();
        for (int i = 0; i < Scenario.BaseStationCount; i++)
        {
            if (sample.Theta[i].shape[0] == 0)
            {
                continue;
            }

            observations.Add(Observe(i, sample));
            truths.Add(sample.Theta[i]);
        }

        Tensor estimate = decoder.call(cat(observations, 0));
        Tensor truth = cat(truths, 0);
        return (estimate - truth, truth.shape[0]);
    }
}

/// <summary>The position autoencoder of Fig. 3: precoder per BS, position decoder on all observations, loss eq. (7).</summary>
public sealed class PositionAutoencoder : Autoencoder
{
    private readonly PositionDecoder decoder;

    /// <summary>Creates the autoencoder.</summary>
    public PositionAutoencoder(Scenario scenario, int hidden, Device device)
        : base(nameof(PositionAutoencoder), scenario, hidden, device)
    {
        decoder = new PositionDecoder(scenario.BaseStationCount, scenario.TransmissionCount, hidden);
        RegisterComponents();
    }

    /// <summary>The position decoder.</summary>
    public PositionDecoder Decoder => decoder;

    /// <inheritdoc />
    public override string Unit => "m";

    /// <inheritdoc />
    public override double UnitScale => 1.0;

    /// <inheritdoc />
    public override Tensor Loss(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        return Errors(sample).square().sum(1).mean().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override (double Sum, long Count) SquaredErrorSum(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        Tensor errors = Errors(sample);
        return (errors.square().sum().to_type(ScalarType.Float64).item<double>(), errors.shape[0]);
    }

    /// <inheritdoc />
    public override void Initialize(Generator generator)
    {
        InitializePrecoders(generator);
        decoder.Initialize(generator);
    }

    private Tensor Errors(TrainingSample sample)
    {
        // y = [y_1; y_2; ...], each y_i as T real parts then T imaginary parts.
        Tensor y = cat(Enumerable.Range(0, Scenario.BaseStationCount).Select(i => Observe(i, sample)).ToArray(), 1);
        return decoder.call(y) - sample.Position!;
    }
}
