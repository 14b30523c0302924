using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Tests.Channel;

[TestClass]
public sealed class ChannelSimulatorTests
{
    private const int N = 16;
    private const int T = 6;

    [TestMethod]
    public void ObserveIsEq2WrittenOut()
    {
        Precoder precoder = TestPrecoders.Random(N, T, 5);
        var simulator = new ChannelSimulator(ArrayResponse.Nominal(N));
        double[] thetas = [0.2, -0.7];
        Complex[] gains = [new(0.3, -0.4), new(-1, 0.2)];
        Complex[] noise = Enumerable.Range(0, 2 * T).Select(i => new Complex(0.01 * i, -0.02 * i)).ToArray();
        var y = new Complex[2 * T];
        simulator.Observe(thetas, precoder, gains, noise, y);
        for (int b = 0; b < 2; b++)
        {
            for (int t = 0; t < T; t++)
            {
                Complex expected = noise[(b * T) + t];
                for (int n = 0; n < N; n++)
                {
                    expected += gains[b] * precoder[n, t] * Complex.Exp(new Complex(0, Math.PI * n * Math.Sin(thetas[b])));
                }

                Assert.AreEqual(0, (y[(b * T) + t] - expected).Magnitude, 1e-12, $"sample {b}, t = {t}");
            }
        }
    }

    [TestMethod]
    public void PerSamplePrecodersMatchTheSharedPrecoderPath()
    {
        Precoder p1 = TestPrecoders.Random(N, T, 1);
        Precoder p2 = TestPrecoders.Random(N, T, 2);
        var simulator = new ChannelSimulator(ArrayResponse.WithCoupling(MutualCoupling.Default(N)));
        Complex[] gains = [1, new(0, 1)];
        var noise = new Complex[2 * T];
        var batched = new Complex[2 * T];
        simulator.Observe([0.1, 0.5], [.. p1.Values, .. p2.Values], T, gains, noise, batched);
        var single = new Complex[T];
        simulator.Observe([0.5], p2, [gains[1]], new Complex[T], single);
        CollectionAssert.AreEqual(single, batched[T..]);
    }

    [TestMethod]
    public void NoiseHasVarianceOneOverSnrAndGainsHaveUnitModulusAndUniformPhase()
    {
        var zero = new Precoder(N, T, new Complex[N * T]);
        var simulator = new ChannelSimulator(ArrayResponse.Nominal(N));
        const int batch = 20000;
        var y = new Complex[batch * T];
        simulator.Simulate(new double[batch], zero, 10, RandomSources.Create(1), y);
        double power = y.Average(v => v.Magnitude * v.Magnitude);
        Complex meanNoise = y.Aggregate(Complex.Zero, (s, v) => s + v) / y.Length;

        // 120,000 complex samples: the relative standard error of the power is 0.3%.
        Assert.AreEqual(0.1, power, 0.1 * 0.015);
        Assert.AreEqual(0, meanNoise.Magnitude, 0.005);

        Random random = RandomSources.Create(2);
        Complex[] alphas = Enumerable.Range(0, batch).Select(_ => ChannelSimulator.RandomGain(random)).ToArray();
        Assert.IsTrue(alphas.All(a => Math.Abs(a.Magnitude - 1) < 1e-12));
        Complex firstMoment = alphas.Aggregate(Complex.Zero, (s, a) => s + a) / batch;
        Complex secondMoment = alphas.Aggregate(Complex.Zero, (s, a) => s + (a * a)) / batch;
        Assert.AreEqual(0, firstMoment.Magnitude, 0.03, "E[alpha] = 0 for a uniform phase");
        Assert.AreEqual(0, secondMoment.Magnitude, 0.03, "E[alpha^2] = 0 for a uniform phase");
    }

    [TestMethod]
    public void SimulationIsReproducibleFromTheSeed()
    {
        Precoder precoder = TestPrecoders.Random(N, T, 3);
        var simulator = new ChannelSimulator(ArrayResponse.Nominal(N));
        var first = new Complex[4 * T];
        var second = new Complex[4 * T];
        simulator.Simulate([0.1, 0.2, 0.3, 0.4], precoder, 5, RandomSources.Create(77), first);
        simulator.Simulate([0.1, 0.2, 0.3, 0.4], precoder, 5, RandomSources.Create(77), second);
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void SimulatingABatchAllocatesNothingPerSample()
    {
        Precoder precoder = TestPrecoders.Random(N, T, 3);
        var simulator = new ChannelSimulator(ArrayResponse.WithCoupling(MutualCoupling.Default(N)));
        double[] thetas = Enumerable.Range(0, 1000).Select(i => -1.0 + (0.002 * i)).ToArray();
        var y = new Complex[thetas.Length * T];
        Random random = RandomSources.Create(5);
        simulator.Simulate(thetas, precoder, 10, random, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        simulator.Simulate(thetas, precoder, 10, random, y);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0, allocated, $"bytes allocated by a warm call simulating 1000 samples: {allocated}");
    }

    [TestMethod]
    public void RejectsBadShapesAnglesAndNaN()
    {
        Precoder precoder = TestPrecoders.Random(N, T, 3);
        var simulator = new ChannelSimulator(ArrayResponse.Nominal(N));
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => simulator.Observe([0.1], precoder, [Complex.One], new Complex[T], new Complex[T + 1]));
        StringAssert.Contains(e1.Message, "observations");
        var e2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => simulator.Observe([2.0], precoder, [Complex.One], new Complex[T], new Complex[T]));
        StringAssert.Contains(e2.Message, "aodRad[0]");
        var e3 = Assert.ThrowsExactly<ArgumentException>(() => simulator.Observe([0.1], precoder, [new Complex(double.NaN, 0)], new Complex[T], new Complex[T]));
        StringAssert.Contains(e3.Message, "gains[0]");
        var e4 = Assert.ThrowsExactly<ArgumentException>(() => new ChannelSimulator(ArrayResponse.Nominal(8)).Observe([0.1], precoder, [Complex.One], new Complex[T], new Complex[T]));
        StringAssert.Contains(e4.Message, "N_Tx = 16");
    }
}
