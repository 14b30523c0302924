using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Channel;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Channel;

/// <summary>The TorchSharp channel against the shared simulator, the reference definition of eq. (2).</summary>
[TestClass]
public sealed class TorchChannelTests
{
    private const int N = 32;
    private const int T = 20;
    private const int Batch = 64;

    public static IEnumerable<object[]> Arrays()
    {
        yield return ["nominal", ArrayResponse.Nominal(N)];
        yield return ["spacing/paper", ArrayResponse.WithSpacing(SpacingPerturbation.Draw(N, 0.01, ElementPositionModel.Paper, 3))];
        yield return ["spacing/cumulative", ArrayResponse.WithSpacing(SpacingPerturbation.Draw(N, 0.01, ElementPositionModel.Cumulative, 3))];
        yield return ["coupling", ArrayResponse.WithCoupling(MutualCoupling.Default(N))];
        yield return ["coupling/zeta", ArrayResponse.WithCoupling(MutualCoupling.FromSettings(N, new MutualCouplingSettings { DecayZeta = 0.4 }))];
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void SameInputsGiveTheSameObservationsAsTheSharedSimulator(string name, ArrayResponse array)
    {
        Random random = RandomSources.Create(12);
        double[] thetas = Enumerable.Range(0, Batch).Select(_ => (random.NextDouble() - 0.5) * 2.8).ToArray();
        var precoders = new Complex[Batch * N * T];
        for (int b = 0; b < Batch; b++)
        {
            var one = new Complex[N * T];
            for (int i = 0; i < one.Length; i++)
            {
                one[i] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
            }

            new Precoder(N, T, one).Normalized().Values.CopyTo(precoders.AsSpan(b * N * T));
        }

        Complex[] gains = Enumerable.Range(0, Batch).Select(_ => Complex.FromPolarCoordinates(1, random.NextDouble() * 6.28)).ToArray();
        Complex[] noise = Enumerable.Range(0, Batch * T).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5) * 0.3).ToArray();

        // Round every input to float32 first, so both sides see exactly the same values.
        thetas = thetas.Select(v => (double)(float)v).ToArray();
        precoders = precoders.Select(Float32).ToArray();
        gains = gains.Select(Float32).ToArray();
        noise = noise.Select(Float32).ToArray();

        var reference = new Complex[Batch * T];
        new ChannelSimulator(array).Observe(thetas, precoders, T, gains, noise, reference);

        using var channel = new TorchChannel(array, CPU);
        using Tensor theta = tensor(thetas.Select(v => (float)v).ToArray());
        using Tensor f = tensor(SplitPrecoders(precoders), [Batch, 2, N, T]);
        using Tensor alpha = tensor(gains.SelectMany(g => new[] { (float)g.Real, (float)g.Imaginary }).ToArray(), [Batch, 2]);
        using Tensor n = tensor(SplitRows(noise, T), [Batch, 2, T]);
        using Tensor y = channel.Observe(theta, f, alpha, n);
        CollectionAssert.AreEqual(new long[] { Batch, 2 * T }, y.shape);
        float[] values = y.data<float>().ToArray();

        double worst = 0;
        for (int b = 0; b < Batch; b++)
        {
            double difference = 0, norm = 0;
            for (int t = 0; t < T; t++)
            {
                var torchValue = new Complex(values[(b * 2 * T) + t], values[(b * 2 * T) + T + t]);
                difference += Math.Pow((torchValue - reference[(b * T) + t]).Magnitude, 2);
                norm += Math.Pow(reference[(b * T) + t].Magnitude, 2);
            }

            worst = Math.Max(worst, Math.Sqrt(difference / norm));
        }

        Assert.IsLessThanOrEqualTo(1e-5, worst, $"{name}: worst relative error {worst:e2}");
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void FisherInformationEqualsTheSharedCramerRaoBound(string name, ArrayResponse array)
    {
        Random random = RandomSources.Create(21);
        double[] thetas = Enumerable.Range(0, Batch).Select(_ => (double)(float)((random.NextDouble() - 0.5) * 2.6)).ToArray();
        var precoders = new Precoder[Batch];
        var values = new Complex[Batch * N * T];
        for (int b = 0; b < Batch; b++)
        {
            var one = new Complex[N * T];
            for (int i = 0; i < one.Length; i++)
            {
                one[i] = Float32(new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5));
            }

            precoders[b] = new Precoder(N, T, one);
            one.CopyTo(values.AsSpan(b * N * T));
        }

        using var channel = new TorchChannel(array, CPU);
        using Tensor theta = tensor(thetas.Select(v => (float)v).ToArray());
        using Tensor f = tensor(SplitPrecoders(values), [Batch, 2, N, T]);
        using Tensor fisher = channel.FisherInformationPerSnr(theta, f);
        float[] torchValues = fisher.data<float>().ToArray();

        double worst = 0;
        for (int b = 0; b < Batch; b++)
        {
            double reference = E2EDeploy.Shared.Bounds.AodCramerRaoBound.FisherInformationPerUnitSnr(precoders[b], array, thetas[b]);
            worst = Math.Max(worst, Math.Abs(torchValues[b] - reference) / reference);
        }

        Assert.IsLessThanOrEqualTo(1e-4, worst, $"{name}: worst relative error of J/SNR {worst:e2}");
    }

    private static Complex Float32(Complex v) => new((float)v.Real, (float)v.Imaginary);

    /// <summary>[B, N, T] complex to [B, 2, N, T] float (real parts, then imaginary parts).</summary>
    private static float[] SplitPrecoders(Complex[] values) => SplitRows(values, N * T);

    private static float[] SplitRows(Complex[] values, int rowLength)
    {
        var result = new float[values.Length * 2];
        for (int row = 0; row < values.Length / rowLength; row++)
        {
            for (int i = 0; i < rowLength; i++)
            {
                Complex v = values[(row * rowLength) + i];
                result[(row * 2 * rowLength) + i] = (float)v.Real;
                result[(row * 2 * rowLength) + rowLength + i] = (float)v.Imaginary;
            }
        }

        return result;
    }
}
