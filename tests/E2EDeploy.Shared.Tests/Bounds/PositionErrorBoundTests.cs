using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using MathNet.Numerics.LinearAlgebra;

namespace E2EDeploy.Shared.Tests.Bounds;

/// <summary>
/// The PEB against the full Fisher information of (p_x, p_y, Re alpha_1, Im alpha_1, ..., Re alpha_I, Im alpha_I),
/// with the mean's Jacobian taken numerically through the geometry (atan2 written out here) and the channel.
/// </summary>
[TestClass]
public sealed class PositionErrorBoundTests
{
    [TestMethod]
    [DataRow(ImpairmentKind.None)]
    [DataRow(ImpairmentKind.Spacing)]
    [DataRow(ImpairmentKind.Coupling)]
    public void MatchesTheInverseOfTheNumericalFullFisherInformation(ImpairmentKind kind)
    {
        Scenario scenario = Scenario.Paper with { Impairments = new ImpairmentSettings { Kind = kind, Seed = 9 } };
        ArrayResponse[] arrays = ArrayRealizations.ForAllBaseStations(scenario);
        Precoder[] precoders = [TestPrecoders.Random(32, 20, 21), TestPrecoders.Random(32, 20, 22)];
        const double snrDb = 15;
        double noiseVariance = 1 / Units.DecibelsToLinear(snrDb);
        Complex[] alphas = [Complex.FromPolarCoordinates(1, 0.3), Complex.FromPolarCoordinates(1, 2.1)];
        foreach (PlanePoint p in new[] { new PlanePoint(0.5, 5), new PlanePoint(-1, 3.5) })
        {
            int parameters = 2 + (2 * scenario.BaseStationCount);
            Func<double[], Complex[]> mean = eta =>
            {
                var stacked = new List<Complex>();
                for (int i = 0; i < scenario.BaseStationCount; i++)
                {
                    BaseStation bs = scenario.BaseStations[i];
                    double theta = Math.Atan2(eta[0] - bs.Position.X, eta[1] - bs.Position.Y) - (bs.OrientationDeg * Math.PI / 180);
                    var alpha = new Complex(eta[2 + (2 * i)], eta[3 + (2 * i)]);
                    stacked.AddRange(AodCramerRaoBoundTests.Mean(precoders[i], arrays[i], theta, alpha));
                }

                return [.. stacked];
            };
            double[] eta0 = [p.X, p.Y, alphas[0].Real, alphas[0].Imaginary, alphas[1].Real, alphas[1].Imaginary];
            var jacobian = new Complex[parameters][];
            for (int k = 0; k < parameters; k++)
            {
                const double h = 1e-6;
                double[] plus = (double[])eta0.Clone();
                double[] minus = (double[])eta0.Clone();
                plus[k] += h;
                minus[k] -= h;
                jacobian[k] = AodCramerRaoBoundTests.Subtract(mean(plus), mean(minus), 2 * h);
            }

            Matrix<double> fisher = Matrix<double>.Build.Dense(parameters, parameters, (i, j) =>
                2 / noiseVariance * jacobian[i].Zip(jacobian[j], (x, y) => (Complex.Conjugate(x) * y).Real).Sum());
            Matrix<double> inverse = fisher.Inverse();
            double numeric = Math.Sqrt(inverse[0, 0] + inverse[1, 1]);
            double peb = PositionErrorBound.Compute(scenario.BaseStations, precoders, arrays, p, snrDb);
            Assert.AreEqual(1, peb / numeric, 1e-5, $"{kind} at {p}: PEB {peb}, numeric {numeric}");
        }
    }

    [TestMethod]
    public void SingleBaseStationCannotFixAPosition()
    {
        BaseStation bs = Scenario.Paper.BaseStations[0];
        double peb = PositionErrorBound.Compute([bs], [TestPrecoders.Random(32, 20, 1)], [ArrayResponse.Nominal(32)], new PlanePoint(0.5, 5), 20);
        Assert.AreEqual(double.PositiveInfinity, peb);
    }

    [TestMethod]
    public void RejectsAPositionBehindABaseStation()
    {
        Scenario s = Scenario.Paper;
        var e = Assert.ThrowsExactly<ArgumentException>(() => PositionErrorBound.Compute(
            s.BaseStations, [TestPrecoders.Random(32, 20, 1), TestPrecoders.Random(32, 20, 2)], [ArrayResponse.Nominal(32), ArrayResponse.Nominal(32)], new PlanePoint(0, -3), 20));
        StringAssert.Contains(e.Message, "BS 1");
    }
}
