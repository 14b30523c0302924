using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Geometry;
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

    /// <summary>
    /// The training loss, a scalar: the mean squared error (eq. 6 or 7) over the batch, each sample's term times its weight
    /// (1 at a fixed SNR; <see cref="SnrRange"/>), plus <paramref name="boundWeight"/> times the mean bound of the learned
    /// precoders (<see cref="BoundPerSample"/>: CRB in rad^2 or PEB^2 in m^2 at the reference SNR). The paper's loss is
    /// <paramref name="boundWeight"/> = 0; a positive weight rewards Fisher-informative precoders directly.
    /// </summary>
    /// <param name="sample">The batch.</param>
    /// <param name="boundWeight">Weight of the bound term, &gt;= 0; 0 for the paper's loss.</param>
    public abstract Tensor Loss(TrainingSample sample, double boundWeight = 0);

    /// <summary>loss + weight x mean(bounds).</summary>
    protected static Tensor WithBoundTerm(Tensor loss, Tensor? bounds, double boundWeight) =>
        bounds is null ? loss : loss + (boundWeight * bounds.mean());

    /// <summary>
    /// The bound of the learned precoders for every sample, with the true arrays, at the sample's reference SNR
    /// (<see cref="TrainingSample.ReferenceNoiseVariance"/>), differentiable in the precoders. AoD: CRB(theta) in rad^2
    /// (docs/conventions.md point 3), [m] over the BSs that have samples; position: PEB^2 in m^2, [m].
    /// </summary>
    public abstract Tensor BoundPerSample(TrainingSample sample);

    /// <summary>The weighted sum of squared errors over the batch and the number of samples, for RMSE over several batches.</summary>
    public abstract (double Sum, long Count) SquaredErrorSum(TrainingSample sample);

    /// <summary>Initialises every network from one generator, in a fixed order.</summary>
    public abstract void Initialize(Generator generator);

    /// <summary>Mean of <see cref="BoundPerSample"/> over the sample, without gradients: rad^2 or m^2.</summary>
    public double MeanBound(TrainingSample sample)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return BoundPerSample(sample).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>
    /// F_i [m, 2, N_Tx, T] and y_i [m, 2T] of BS <paramref name="bs"/> for the sample, through its precoder and true
    /// channel, as in training (for <see cref="ArrayCalibration"/>).
    /// </summary>
    public (Tensor Precoder, Tensor Observation) Transmit(int bs, TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        Tensor precoder = Precode(bs, sample);
        Tensor observation = Observe(bs, sample, precoder);
        return (precoder.MoveToOuterDisposeScope(), observation.MoveToOuterDisposeScope());
    }

    /// <summary>F_i of BS <paramref name="bs"/> for the sample's xi_i: [m, 2, N_Tx, T].</summary>
    protected Tensor Precode(int bs, TrainingSample sample) => precoders[bs].call(sample.Xi[bs]);

    /// <summary>y_i of BS <paramref name="bs"/> for the sample and its precoders F_i: [m, 2T].</summary>
    protected Tensor Observe(int bs, TrainingSample sample, Tensor precoder) =>
        channels[bs].Observe(sample.Theta[bs], precoder, sample.Gain[bs], sample.Noise[bs]);

    /// <summary>J_i / SNR of BS <paramref name="bs"/> for the sample and its precoders F_i: [m], rad^-2.</summary>
    protected Tensor FisherPerSnr(int bs, TrainingSample sample, Tensor precoder) =>
        channels[bs].FisherInformationPerSnr(sample.Theta[bs], precoder);

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

    /// <summary>
    /// Creates the autoencoder of <paramref name="task"/> on <paramref name="device"/>. <paramref name="decoderRegion"/>
    /// gives the decoder the a-priori regions its precoders see (<see cref="AodDecoder.TakesRegion"/>,
    /// <see cref="PositionDecoder.TakesRegion"/>). <paramref name="projectOntoPrior"/> projects the decoder's estimate onto
    /// the prior's support: U for AoD (<see cref="AodDecoder.ProjectsOntoRegion"/>, which needs <paramref name="decoderRegion"/>),
    /// P for position (<see cref="PositionDecoder.ProjectionArea"/>).
    /// </summary>
    public static Autoencoder Create(TrainingTask task, Scenario scenario, int hidden, Device device, DecoderInput input = DecoderInput.Raw, bool decoderRegion = false, bool projectOntoPrior = false)
    {
        Autoencoder model = task switch
        {
            TrainingTask.Aod => new AodAutoencoder(scenario, hidden, device, input, decoderRegion, projectOntoPrior),
            TrainingTask.Position => new PositionAutoencoder(scenario, hidden, device, input, decoderRegion, projectOntoPrior),
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
    public AodAutoencoder(Scenario scenario, int hidden, Device device, DecoderInput input = DecoderInput.Raw, bool decoderRegion = false, bool projectOntoRegion = false)
        : base(nameof(AodAutoencoder), scenario, hidden, device)
    {
        decoder = new AodDecoder(scenario.TransmissionCount, hidden, input, decoderRegion, projectOntoRegion);
        RegisterComponents();
    }

    /// <summary>The shared AoD decoder.</summary>
    public AodDecoder Decoder => decoder;

    /// <inheritdoc />
    public override string Unit => "deg";

    /// <inheritdoc />
    public override double UnitScale => 180.0 / Math.PI;

    /// <inheritdoc />
    public override Tensor Loss(TrainingSample sample, double boundWeight = 0)
    {
        using var scope = NewDisposeScope();
        (Tensor errors, Tensor weights, Tensor? bounds, _) = Errors(sample, boundWeight != 0);
        Tensor loss = (errors.square() * weights).mean();
        return WithBoundTerm(loss, bounds, boundWeight).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override (double Sum, long Count) SquaredErrorSum(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        (Tensor errors, Tensor weights, _, long count) = Errors(sample, false);
        return ((errors.square() * weights).sum().to_type(ScalarType.Float64).item<double>(), count);
    }

    /// <inheritdoc />
    public override Tensor BoundPerSample(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        var bounds = new List<Tensor>();
        for (int i = 0; i < Scenario.BaseStationCount; i++)
        {
            if (sample.Theta[i].shape[0] > 0)
            {
                bounds.Add(sample.ReferenceNoiseVariance / FisherPerSnr(i, sample, Precode(i, sample)));
            }
        }

        return cat(bounds, 0).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Initialize(Generator generator)
    {
        InitializePrecoders(generator);
        decoder.Initialize(generator);
    }

    private (Tensor Errors, Tensor Weights, Tensor? Bounds, long Count) Errors(TrainingSample sample, bool withBounds)
    {
        var observations = new List<Tensor>();
        var truths = new List<Tensor>();
        var weights = new List<Tensor>();
        var bounds = new List<Tensor>();
        for (int i = 0; i < Scenario.BaseStationCount; i++)
        {
            if (sample.Theta[i].shape[0] == 0)
            {
                continue;
            }

            Tensor precoder = Precode(i, sample);
            Tensor observation = Observe(i, sample, precoder);
            observations.Add(decoder.TakesRegion ? cat([observation, sample.Xi[i]], 1) : observation);
            truths.Add(sample.Theta[i]);
            weights.Add(sample.Weight[i]);
            if (withBounds)
            {
                bounds.Add(sample.ReferenceNoiseVariance / FisherPerSnr(i, sample, precoder));
            }
        }

        Tensor estimate = decoder.call(cat(observations, 0));
        Tensor truth = cat(truths, 0);
        return (estimate - truth, cat(weights, 0), withBounds ? cat(bounds, 0) : null, truth.shape[0]);
    }
}

/// <summary>The position autoencoder of Fig. 3: precoder per BS, position decoder on all observations, loss eq. (7).</summary>
public sealed class PositionAutoencoder : Autoencoder
{
    private readonly PositionDecoder decoder;

    /// <summary>Creates the autoencoder.</summary>
    public PositionAutoencoder(Scenario scenario, int hidden, Device device, DecoderInput input = DecoderInput.Raw, bool decoderRegion = false, bool projectOntoArea = false)
        : base(nameof(PositionAutoencoder), scenario, hidden, device)
    {
        decoder = new PositionDecoder(scenario.BaseStationCount, scenario.TransmissionCount, hidden, input, decoderRegion, projectOntoArea ? scenario.PositionPrior : null);
        RegisterComponents();
    }

    /// <summary>The position decoder.</summary>
    public PositionDecoder Decoder => decoder;

    /// <inheritdoc />
    public override string Unit => "m";

    /// <inheritdoc />
    public override double UnitScale => 1.0;

    /// <inheritdoc />
    public override Tensor Loss(TrainingSample sample, double boundWeight = 0)
    {
        using var scope = NewDisposeScope();
        (Tensor errors, Tensor? bounds) = Errors(sample, boundWeight != 0);
        Tensor loss = (errors.square().sum(1) * sample.Weight[0]).mean();
        return WithBoundTerm(loss, bounds, boundWeight).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override (double Sum, long Count) SquaredErrorSum(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        (Tensor errors, _) = Errors(sample, false);
        return ((errors.square().sum(1) * sample.Weight[0]).sum().to_type(ScalarType.Float64).item<double>(), errors.shape[0]);
    }

    /// <inheritdoc />
    public override Tensor BoundPerSample(TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        Tensor[] fisher = Enumerable.Range(0, Scenario.BaseStationCount).Select(i => FisherPerSnr(i, sample, Precode(i, sample))).ToArray();
        return SquaredPeb(sample, fisher).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Initialize(Generator generator)
    {
        InitializePrecoders(generator);
        decoder.Initialize(generator);
    }

    private (Tensor Errors, Tensor? Bounds) Errors(TrainingSample sample, bool withBounds)
    {
        // y = [y_1; y_2; ...], each y_i as T real parts then T imaginary parts; then xi_1, xi_2, ... when the decoder takes the regions.
        Tensor[] precoders = Enumerable.Range(0, Scenario.BaseStationCount).Select(i => Precode(i, sample)).ToArray();
        Tensor[] observations = precoders.Select((f, i) => Observe(i, sample, f)).ToArray();
        Tensor estimate = decoder.call(cat(decoder.TakesRegion ? [.. observations, .. sample.Xi] : observations, 1));

        Tensor errors = estimate - sample.Position!;
        return (errors, withBounds ? SquaredPeb(sample, precoders.Select((f, i) => FisherPerSnr(i, sample, f)).ToArray()) : null);
    }

    /// <summary>
    /// PEB^2 = trace(J_p^-1), J_p = sum_i J_i g_i g_i^T, g_i = d theta_i / d p = [dy, -dx] / (dx^2 + dy^2)
    /// (docs/conventions.md points 1 and 3), J_i = (J_i / SNR) / sigma^2 at the reference SNR; the 2 x 2 inverse in closed form. [m], m^2.
    /// </summary>
    private Tensor SquaredPeb(TrainingSample sample, Tensor[] fisherPerSnr)
    {
        Tensor px = sample.Position!.select(1, 0);
        Tensor py = sample.Position!.select(1, 1);
        Tensor? j11 = null, j12 = null, j22 = null;
        for (int i = 0; i < Scenario.BaseStationCount; i++)
        {
            PlanePoint q = Scenario.BaseStations[i].Position;
            Tensor dx = px - q.X;
            Tensor dy = py - q.Y;
            Tensor r2 = dx.square() + dy.square();
            Tensor gx = dy / r2;
            Tensor gy = -dx / r2;
            Tensor j = fisherPerSnr[i] / sample.ReferenceNoiseVariance;
            j11 = j11 is null ? j * gx * gx : j11 + (j * gx * gx);
            j12 = j12 is null ? j * gx * gy : j12 + (j * gx * gy);
            j22 = j22 is null ? j * gy * gy : j22 + (j * gy * gy);
        }

        return (j11! + j22!) / ((j11! * j22!) - j12!.square());
    }
}
