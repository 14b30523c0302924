using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Estimators;

/// <summary>
/// The released models' UE estimator: the learned decoder's estimate refined by Fisher-scoring steps of the likelihood
/// (<see cref="RefinedAodEstimator"/>, <see cref="RefinedPositionEstimator"/>; beyond the paper). The steps use the UE's
/// model of each BS's array: the learned one (<see cref="ArrayCalibration"/>) or the nominal ULA. It takes the region(s),
/// feeds them to the BS precoders, and keeps its estimate in U or P. By default the exported graph is the decoder and the
/// runtime runs the steps (<see cref="ManifestEstimator.RuntimeFisherScoringKind"/>, the arrays in the manifest); with
/// scoring in the graph the steps and copies of the precoders are unrolled into it (<see cref="ManifestEstimator.FisherScoringKind"/>).
/// It owns its refined module and the arrays, not the autoencoder.
/// </summary>
public sealed class FisherScoringEstimator : IExportableEstimator
{
    /// <summary>The most Fisher-scoring steps an export takes (each is a few hundred nodes).</summary>
    public const int MaxSteps = 10;

    /// <summary>Seed of the channel draws that the export check runs on.</summary>
    public const int CheckSeed = 1;

    private readonly Autoencoder model;
    private readonly LearnedArrays arrays;
    private readonly nn.Module<Tensor, Tensor> refined;

    private readonly bool scoringInGraph;
    private readonly DecoderOnRegionInput? decoderOnRegionInput;

    private FisherScoringEstimator(Autoencoder model, LearnedArrays arrays, bool learnedArrays, int steps, double checkSnrDb, bool scoringInGraph)
    {
        this.model = model;
        this.arrays = arrays;
        this.scoringInGraph = scoringInGraph;
        (Kind, refined) = model switch
        {
            AodAutoencoder aod => (ModelKind.AodEstimator, (nn.Module<Tensor, Tensor>)new RefinedAodEstimator(aod.Decoder, aod.Precoders, arrays.All, steps)),
            PositionAutoencoder position => (ModelKind.PositionEstimator, RefinedPositionEstimator.Create(position.Decoder, position.Precoders, arrays.All, model.Scenario, steps)),
            _ => throw new ArgumentException($"model {model.GetType().Name}: expected an AoD or a position autoencoder.", nameof(model)),
        };
        Description = new ManifestEstimator
        {
            Kind = scoringInGraph ? ManifestEstimator.FisherScoringKind : ManifestEstimator.RuntimeFisherScoringKind,
            TakesRegion = true,
            ProjectsOntoPrior = true,
            RefinementSteps = steps,
            Array = learnedArrays ? "learned" : "nominal",
            Arrays = scoringInGraph || !learnedArrays ? null : arrays.All.Select(ToManifest).ToArray(),
        };
        CheckInputs = ChannelInputs(model, checkSnrDb);
        decoderOnRegionInput = scoringInGraph ? null : model switch
        {
            AodAutoencoder aod => new DecoderOnRegionInput(aod.Decoder, aod.Decoder.TakesRegion, 2 * model.Scenario.TransmissionCount),
            _ => new DecoderOnRegionInput(((PositionAutoencoder)model).Decoder, ((PositionAutoencoder)model).Decoder.TakesRegion, 2 * model.Scenario.BaseStationCount * model.Scenario.TransmissionCount),
        };
    }

    /// <summary>
    /// Refines the decoder of <paramref name="model"/> (which must outlive the estimator) by <paramref name="steps"/> steps on
    /// <paramref name="arrays"/> (owned from now on; <paramref name="learnedArrays"/> says whether they were calibrated). The
    /// export check runs on channel draws at <paramref name="checkSnrDb"/>. <paramref name="scoringInGraph"/> puts the steps into
    /// the exported graph instead of the runtime.
    /// </summary>
    public static FisherScoringEstimator Create(Autoencoder model, LearnedArrays arrays, bool learnedArrays, int steps, double checkSnrDb, bool scoringInGraph = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(arrays);
        if (steps < 1 || steps > MaxSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"refinement steps {steps}: expected an integer within [1, {MaxSteps}].");
        }

        if (!learnedArrays && !arrays.All.All(IsNominal))
        {
            throw new ArgumentException("the arrays are not the nominal ULA although learnedArrays is false: expected calibrated arrays to be marked learned.", nameof(arrays));
        }

        return new FisherScoringEstimator(model, arrays, learnedArrays, steps, checkSnrDb, scoringInGraph);
    }

    /// <inheritdoc />
    public ModelKind Kind { get; }

    /// <inheritdoc />
    public ManifestEstimator Description { get; }

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Module => refined;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> GraphModule => scoringInGraph ? refined : decoderOnRegionInput!;

    /// <inheritdoc />
    public float[]? CheckInputs { get; }

    /// <inheritdoc />
    public byte[] Export(IReadOnlyDictionary<string, string> metadata) => (scoringInGraph, refined, model) switch
    {
        (true, RefinedAodEstimator aod, _) => OnnxExporter.Export(aod, model.Scenario.AntennaCount, model.Scenario.BaseStationCount, metadata),
        (true, _, _) => OnnxExporter.Export((RefinedPositionEstimator)refined, model.Scenario.AntennaCount, metadata),
        (false, _, AodAutoencoder aod) => OnnxExporter.Export(aod.Decoder, model.Scenario.AntennaCount, model.Scenario.BaseStationCount, metadata, inputWithRegion: true),
        _ => OnnxExporter.Export(((PositionAutoencoder)model).Decoder, model.Scenario.AntennaCount, metadata, inputWithRegions: true),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        decoderOnRegionInput?.Dispose();
        refined.Dispose();
        arrays.Dispose();
    }

    /// <summary>One BS's learned array as the manifest records it: x [N] and B^T [N * N] row-major, the float32 values exactly.</summary>
    private static ManifestArray ToManifest(LearnedArray array)
    {
        using var noGrad = no_grad();
        return new ManifestArray(
            OnnxExporter.Values(array.Positions).Select(v => (double)v).ToArray(),
            OnnxExporter.Values(array.CouplingTransposeReal).Select(v => (double)v).ToArray(),
            OnnxExporter.Values(array.CouplingTransposeImaginary).Select(v => (double)v).ToArray());
    }

    /// <summary>Whether <paramref name="array"/> is the half-wavelength ULA without coupling (x_n = n / 2, B = I), exactly.</summary>
    private static bool IsNominal(LearnedArray array)
    {
        using var noGrad = no_grad();
        float[] positions = OnnxExporter.Values(array.Positions);
        float[] real = OnnxExporter.Values(array.CouplingTransposeReal);
        float[] imaginary = OnnxExporter.Values(array.CouplingTransposeImaginary);
        int n = positions.Length;
        return positions.Select((x, k) => x == 0.5f * k).All(b => b)
            && real.Select((v, k) => v == (k / n == k % n ? 1f : 0f)).All(b => b)
            && imaginary.All(v => v == 0f);
    }

    /// <summary>
    /// 1,000 estimator inputs [y, xi] drawn from the model's training prior at <paramref name="snrDb"/> (the run's reference
    /// SNR, 20 dB for the release profile), through its precoders and true channel, seed <see cref="CheckSeed"/>: AoD rows
    /// [y_i, xi_i] of every BS in turn, position rows [y_1..y_I, xi_1..xi_I]. Above the threshold SNR the scoring steps
    /// contract, and ONNX Runtime and TorchSharp agree to about 1e-7 rad; far below it (-5 dB) a step from a wrong basin is a
    /// ratio of small numbers that amplifies float rounding to a few 1e-5 rad, against an RMSE of degrees there.
    /// </summary>
    private static float[] ChannelInputs(Autoencoder model, double snrDb)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sampler = new PriorSampler(model.Scenario, snrDb, CPU);
        using var generator = new TorchSharp.torch.Generator((ulong)CheckSeed, CPU);
        using TrainingSample sample = model is AodAutoencoder ? sampler.SampleAod(1000, generator) : sampler.SamplePosition(1000, generator);
        int bsCount = model.Scenario.BaseStationCount;
        Tensor[] observations = Enumerable.Range(0, bsCount).Select(i => model.Transmit(i, sample).Observation).ToArray();
        Tensor rows = model is AodAutoencoder
            ? cat(Enumerable.Range(0, bsCount).Select(i => cat([observations[i], sample.Xi[i]], 1)).ToArray(), 0)
            : cat([.. observations, .. sample.Xi], 1);
        return rows.contiguous().data<float>().ToArray();
    }
}
