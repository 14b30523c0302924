using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Training;

/// <summary>
/// Draws training and validation batches from the priors of docs/conventions.md point 10, on the device, from an explicit
/// generator: AoD task, mean ~ U[meanMin, meanMax], width ~ U[widthMin, widthMax], theta ~ U(U); position task,
/// p ~ U(P), theta_i by eq. (3) (docs/conventions.md point 1), U_i = theta_i + nu_i +/- half-width, nu_i ~ U[-max, max].
/// Gains have unit modulus and uniform phase; the noise is CN(0, sigma^2), sigma^2 = 10^(-SNR/10) (the shared simulator's convention).
/// With an SNR range, every sample draws its own SNR uniformly in dB and carries the loss weight
/// 10^((SNR - reference)/10), steeper below the knee (see <see cref="SnrRange.Weight"/>); at a fixed SNR no SNR is drawn and every weight is 1.
/// </summary>
public sealed class PriorSampler(Scenario scenario, SnrRange snr, Device device)
{
    private readonly double noiseStd = Math.Sqrt(ChannelSimulator.NoiseVariance(snr.MinDb) / 2.0);
    private readonly double referenceNoiseVariance = ChannelSimulator.NoiseVariance(snr.ReferenceDb);

    /// <summary>A sampler at one fixed SNR, dB.</summary>
    public PriorSampler(Scenario scenario, double snrDb, Device device)
        : this(scenario, SnrRange.Fixed(snrDb), device)
    {
    }

    /// <summary>The scenario the samples are drawn from (its priors, BSs and test points).</summary>
    public Scenario Scenario => scenario;

    /// <summary>An AoD batch of <paramref name="size"/> samples split evenly over the BSs.</summary>
    public TrainingSample SampleAod(int size, Generator generator)
    {
        AodPrior prior = scenario.AodPrior;
        int bsCount = scenario.BaseStationCount;
        var xi = new Tensor[bsCount];
        var theta = new Tensor[bsCount];
        var gain = new Tensor[bsCount];
        var noise = new Tensor[bsCount];
        var weight = new Tensor[bsCount];
        for (int i = 0; i < bsCount; i++)
        {
            int m = (size / bsCount) + (i < size % bsCount ? 1 : 0);
            Tensor mean = UniformDegrees(m, prior.MeanMinDeg, prior.MeanMaxDeg, generator);
            Tensor width = UniformDegrees(m, prior.WidthMinDeg, prior.WidthMaxDeg, generator);
            Tensor min = mean - (width / 2);
            Tensor max = mean + (width / 2);
            theta[i] = min + ((max - min) * rand(m, dtype: ScalarType.Float32, device: device, generator: generator));
            xi[i] = stack([min, max, width / 2], 1);
            (gain[i], noise[i], weight[i]) = GainAndNoise(m, generator);
        }

        return new TrainingSample(xi, theta, gain, noise, null, weight, referenceNoiseVariance);
    }

    /// <summary>An AoD batch for BS 1 only with theta uniform in a fixed region (the reference evaluation, docs/conventions.md point 11).</summary>
    public TrainingSample SampleAodInRegion(int size, AngularRegion region, Generator generator)
    {
        int bsCount = scenario.BaseStationCount;
        var xi = new Tensor[bsCount];
        var theta = new Tensor[bsCount];
        var gain = new Tensor[bsCount];
        var noise = new Tensor[bsCount];
        var weight = new Tensor[bsCount];
        for (int i = 0; i < bsCount; i++)
        {
            int m = i == 0 ? size : 0;
            theta[i] = (float)region.MinRad + ((float)region.WidthRad * rand(m, dtype: ScalarType.Float32, device: device, generator: generator));
            xi[i] = tensor(new[] { (float)region.MinRad, (float)region.MaxRad, (float)(region.WidthRad / 2) }, device: device).unsqueeze(0).expand(m, 3).contiguous();
            (gain[i], noise[i], weight[i]) = GainAndNoise(m, generator);
        }

        return new TrainingSample(xi, theta, gain, noise, null, weight, referenceNoiseVariance);
    }

    /// <summary>A position batch: p ~ U(P) (or fixed at <paramref name="fixedPosition"/>, with nu = 0, for the reference evaluation).</summary>
    public TrainingSample SamplePosition(int size, Generator generator, PlanePoint? fixedPosition = null)
    {
        PositionPrior prior = scenario.PositionPrior;
        Tensor x, y;
        if (fixedPosition is PlanePoint p)
        {
            x = full(size, (float)p.X, dtype: ScalarType.Float32, device: device);
            y = full(size, (float)p.Y, dtype: ScalarType.Float32, device: device);
        }
        else
        {
            x = Uniform(size, prior.MinX, prior.MaxX, generator);
            y = Uniform(size, prior.MinY, prior.MaxY, generator);
        }

        int bsCount = scenario.BaseStationCount;
        float halfWidth = (float)Units.DegreesToRadians(prior.RegionHalfWidthDeg);
        float offsetMax = (float)Units.DegreesToRadians(prior.CenterOffsetMaxDeg);
        var xi = new Tensor[bsCount];
        var theta = new Tensor[bsCount];
        var gain = new Tensor[bsCount];
        var noise = new Tensor[bsCount];
        var weight = new Tensor[bsCount];
        Tensor? snrDb = DrawSnr(size, generator); // every BS of a sample sees the same SNR, as in the evaluation
        for (int i = 0; i < bsCount; i++)
        {
            BaseStation bs = scenario.BaseStations[i];

            // Eq. (3) with docs/conventions.md point 1: theta = atan2(p_x - q_x, p_y - q_y) - psi.
            theta[i] = atan2(x - (float)bs.Position.X, y - (float)bs.Position.Y) - (float)bs.OrientationRad;
            Tensor offset = fixedPosition is null
                ? (rand(size, dtype: ScalarType.Float32, device: device, generator: generator) * (2 * offsetMax)) - offsetMax
                : zeros(size, dtype: ScalarType.Float32, device: device);
            Tensor mid = theta[i] + offset;
            xi[i] = stack([mid - halfWidth, mid + halfWidth, full(size, halfWidth, dtype: ScalarType.Float32, device: device)], 1);
            (gain[i], noise[i], weight[i]) = GainAndNoise(size, generator, snrDb);
        }

        return new TrainingSample(xi, theta, gain, noise, stack([x, y], 1), weight, referenceNoiseVariance);
    }

    /// <summary>U[low, high] in degrees, returned in radians, [size].</summary>
    private Tensor UniformDegrees(int size, double lowDeg, double highDeg, Generator generator) =>
        Uniform(size, Units.DegreesToRadians(lowDeg), Units.DegreesToRadians(highDeg), generator);

    /// <summary>U[low, high], [size].</summary>
    private Tensor Uniform(int size, double low, double high, Generator generator) =>
        (rand(size, dtype: ScalarType.Float32, device: device, generator: generator) * (float)(high - low)) + (float)low;

    private (Tensor Gain, Tensor Noise, Tensor Weight) GainAndNoise(int size, Generator generator) =>
        GainAndNoise(size, generator, DrawSnr(size, generator));

    /// <summary>Per-sample SNR ~ U[min, max] dB, [size], or null at a fixed SNR (which draws nothing).</summary>
    private Tensor? DrawSnr(int size, Generator generator) => snr.IsFixed
        ? null
        : (rand(size, dtype: ScalarType.Float32, device: device, generator: generator) * (float)(snr.MaxDb - snr.MinDb)) + (float)snr.MinDb;

    private (Tensor Gain, Tensor Noise, Tensor Weight) GainAndNoise(int size, Generator generator, Tensor? snrDb)
    {
        Tensor phase = rand(size, dtype: ScalarType.Float32, device: device, generator: generator) * (float)(2 * Math.PI);
        Tensor gainTensor = stack([phase.cos(), phase.sin()], 1);
        Tensor noiseTensor = randn([size, 2, scenario.TransmissionCount], dtype: ScalarType.Float32, device: device, generator: generator);
        if (snrDb is null)
        {
            return (gainTensor, noiseTensor * (float)noiseStd, ones(size, dtype: ScalarType.Float32, device: device));
        }

        // sigma_n = sqrt(10^(-SNR/10) / 2) per real dimension, per sample.
        Tensor std = (snrDb * (float)(-Math.Log(10) / 20)).exp() * (float)Math.Sqrt(0.5);
        Tensor exponent = snrDb - (float)snr.ReferenceDb;
        if (snr.KneeDb is double knee)
        {
            exponent += (snrDb - (float)knee).clamp_max(0);
        }

        Tensor weightTensor = (exponent * (float)(Math.Log(10) / 10)).exp();
        return (gainTensor, noiseTensor * std.view(size, 1, 1), weightTensor);
    }
}
