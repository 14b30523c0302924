using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Bounds;

/// <summary>
/// The known-magnitude CRB (docs/conventions.md point 12) against the Slepian-Bangs Fisher information of
/// mu(theta, phi) = e^(j phi) F^T a~(theta) computed by finite differences, with the phase phi eliminated.
/// </summary>
[TestClass]
public sealed class KnownMagnitudeCramerRaoBoundTests
{
    [TestMethod]
    public void MatchesFiniteDifferenceFisherWithThePhaseEliminated()
    {
        Precoder precoder = TestPrecoders.Random(16, 8, 5);
        ArrayResponse array = ArrayResponse.WithCoupling(MutualCoupling.Default(16));
        foreach (double theta in new[] { -0.7, 0.1, 0.9 })
        {
            const double h = 1e-6, phase = 0.4;
            Complex[] Mean(double th, double ph)
            {
                var b = new Complex[8];
                precoder.ResponseAt(array, th, b);
                return b.Select(v => Complex.FromPolarCoordinates(1, ph) * v).ToArray();
            }

            Complex[] dTheta = Mean(theta + h, phase).Zip(Mean(theta - h, phase), (a, b) => (a - b) / (2 * h)).ToArray();
            Complex[] dPhase = Mean(theta, phase + h).Zip(Mean(theta, phase - h), (a, b) => (a - b) / (2 * h)).ToArray();
            static double Real(Complex[] a, Complex[] b) => 2 * a.Zip(b, (x, y) => (Complex.Conjugate(x) * y).Real).Sum();
            double jtt = Real(dTheta, dTheta), jtp = Real(dTheta, dPhase), jpp = Real(dPhase, dPhase);
            double expected = jtt - (jtp * jtp / jpp);
            Assert.AreEqual(1.0, KnownMagnitudeCramerRaoBound.FisherInformationPerUnitSnr(precoder, array, theta) / expected, 1e-6);

            // At least the information with the gain fully unknown (conventions point 3).
            Assert.IsGreaterThanOrEqualTo(AodCramerRaoBound.FisherInformationPerUnitSnr(precoder, array, theta) * (1 - 1e-12), KnownMagnitudeCramerRaoBound.FisherInformationPerUnitSnr(precoder, array, theta));
        }
    }

    [TestMethod]
    public void PositionBoundIsTheTraceOfTheInverseOfTheSumOverBss()
    {
        Scenario scenario = Scenario.Paper;
        Precoder[] precoders = [TestPrecoders.Random(32, 20, 1), TestPrecoders.Random(32, 20, 2)];
        ArrayResponse[] arrays = [ArrayResponse.Nominal(32), ArrayResponse.Nominal(32)];
        var p = new PlanePoint(0.3, 4.6);
        double[,] j = new double[2, 2];
        for (int i = 0; i < 2; i++)
        {
            // g_i = d theta_i / d p by central differences of the AoD.
            const double h = 1e-6;
            double gx = (scenario.BaseStations[i].AodOf(new PlanePoint(p.X + h, p.Y)) - scenario.BaseStations[i].AodOf(new PlanePoint(p.X - h, p.Y))) / (2 * h);
            double gy = (scenario.BaseStations[i].AodOf(new PlanePoint(p.X, p.Y + h)) - scenario.BaseStations[i].AodOf(new PlanePoint(p.X, p.Y - h))) / (2 * h);
            double ji = Units.DecibelsToLinear(20) * KnownMagnitudeCramerRaoBound.FisherInformationPerUnitSnr(precoders[i], arrays[i], scenario.BaseStations[i].AodOf(p));
            j[0, 0] += ji * gx * gx;
            j[0, 1] += ji * gx * gy;
            j[1, 1] += ji * gy * gy;
        }

        double expected = Math.Sqrt((j[0, 0] + j[1, 1]) / ((j[0, 0] * j[1, 1]) - (j[0, 1] * j[0, 1])));
        Assert.AreEqual(1.0, KnownMagnitudeCramerRaoBound.PositionErrorBoundOf(scenario.BaseStations, precoders, arrays, p, 20) / expected, 1e-6);
    }
}
