using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using MathNet.Numerics.Distributions;

namespace E2EDeploy.Shared.Tests.Bounds;

/// <summary>
/// The minimum error probability against a brute-force Monte-Carlo likelihood-ratio test on the same pair of signals: draw
/// y under each hypothesis with a uniform phase per BS, decide by the sign of the log-likelihood ratio, count errors.
/// </summary>
[TestClass]
public sealed class MinimumErrorProbabilityTests
{
    public TestContext TestContext { get; set; } = null!;

    private const int Trials = 200_000;

    private static double MonteCarlo(Complex[][] first, Complex[][] second, double noiseVariance, int seed)
    {
        Random random = RandomSources.Create(seed);
        double deviation = Math.Sqrt(noiseVariance / 2);
        int errors = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            bool truth = trial % 2 == 1;
            double ratio = 0;
            for (int i = 0; i < first.Length; i++)
            {
                Complex[] signal = truth ? second[i] : first[i];
                Complex gain = ChannelSimulator.RandomGain(random);
                Complex z0 = Complex.Zero, z1 = Complex.Zero;
                double e0 = 0, e1 = 0;
                for (int k = 0; k < signal.Length; k++)
                {
                    Complex y = (gain * signal[k]) + new Complex(Normal.Sample(random, 0, deviation), Normal.Sample(random, 0, deviation));
                    z0 += Complex.Conjugate(first[i][k]) * y;
                    z1 += Complex.Conjugate(second[i][k]) * y;
                    e0 += first[i][k].Magnitude * first[i][k].Magnitude;
                    e1 += second[i][k].Magnitude * second[i][k].Magnitude;
                }

                ratio += ModifiedBessel.LogI0(2 * z1.Magnitude / noiseVariance) - ModifiedBessel.LogI0(2 * z0.Magnitude / noiseVariance) - ((e1 - e0) / noiseVariance);
            }

            errors += (ratio > 0) != truth ? 1 : 0;
        }

        return errors / (double)Trials;
    }

    private static Complex[] Response(Precoder precoder, ArrayResponse array, double theta)
    {
        var b = new Complex[precoder.TransmissionCount];
        precoder.ResponseAt(array, theta, b);
        return b;
    }

    [TestMethod]
    [DataRow(0.0, 45.0, 47.0)]
    [DataRow(10.0, 45.0, 45.6)]
    [DataRow(10.0, 41.0, 58.0)]
    [DataRow(-5.0, 50.0, 56.0)]
    [DataRow(20.0, 52.0, 52.2)]
    public void OneBsMatchesMonteCarlo(double snrDb, double firstDeg, double secondDeg)
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        Precoder precoder = BenchmarkPrecoder.Design(region, 32, 20).Precoder;
        ArrayResponse array = ArrayResponse.WithCoupling(MutualCoupling.Default(32));
        Complex[] b0 = Response(precoder, array, Units.DegreesToRadians(firstDeg)), b1 = Response(precoder, array, Units.DegreesToRadians(secondDeg));
        double noiseVariance = ChannelSimulator.NoiseVariance(snrDb);
        double computed = MinimumErrorProbability.Compute(b0, b1, 1, noiseVariance);
        double simulated = MonteCarlo([b0], [b1], noiseVariance, 7);
        double standardError = Math.Sqrt(simulated * (1 - simulated) / Trials);
        TestContext.WriteLine($"{snrDb} dB, {firstDeg} vs {secondDeg} deg: computed {computed:F5}, Monte Carlo {simulated:F5} +/- {standardError:F5}");
        Assert.AreEqual(simulated, computed, (3 * standardError) + (1.0 / Trials));

        // The default quadrature against one six times finer in each direction.
        double fine = MinimumErrorProbability.Compute(b0, b1, 1, noiseVariance, new ZivZakaiSettings(RadiusNodes: 96, InnerNodes: 48));
        Assert.AreEqual(fine, computed, (2e-3 * fine) + 1e-9);
    }

    [TestMethod]
    [DataRow(0.0, 0.05)]
    [DataRow(10.0, 0.02)]
    public void TwoBssMatchMonteCarlo(double snrDb, double shiftM)
    {
        Scenario scenario = Scenario.Paper;
        var p0 = new PlanePoint(0.5, 5);
        var p1 = new PlanePoint(0.5 + shiftM, 5 - shiftM);
        AngularRegion[] regions = scenario.PositionRegions(p0);
        var first = new Complex[2][];
        var second = new Complex[2][];
        for (int i = 0; i < 2; i++)
        {
            Precoder precoder = BenchmarkPrecoder.Design(regions[i], 32, 20).Precoder;
            first[i] = Response(precoder, ArrayResponse.Nominal(32), scenario.BaseStations[i].AodOf(p0));
            second[i] = Response(precoder, ArrayResponse.Nominal(32), scenario.BaseStations[i].AodOf(p1));
        }

        double noiseVariance = ChannelSimulator.NoiseVariance(snrDb);
        double computed = MinimumErrorProbability.Compute([.. first[0], .. first[1]], [.. second[0], .. second[1]], 2, noiseVariance);
        double simulated = MonteCarlo(first, second, noiseVariance, 8);
        double standardError = Math.Sqrt(simulated * (1 - simulated) / Trials);
        TestContext.WriteLine($"{snrDb} dB, shift {shiftM} m: computed {computed:F5}, Monte Carlo {simulated:F5} +/- {standardError:F5}");
        Assert.AreEqual(simulated, computed, (3 * standardError) + (1.0 / Trials));
    }

    [TestMethod]
    public void IdenticalSignalsGiveOneHalfAndBadInputIsRefused()
    {
        Complex[] b = [new(0.3, 0.1), new(-0.2, 0.5)];
        Assert.AreEqual(0.5, MinimumErrorProbability.Compute(b, b, 1, 0.1), 1e-9);
        Assert.ThrowsExactly<ArgumentException>(() => MinimumErrorProbability.Compute(b, b.AsSpan(0, 1), 1, 0.1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MinimumErrorProbability.Compute(b, b, 1, -1));
    }
}
