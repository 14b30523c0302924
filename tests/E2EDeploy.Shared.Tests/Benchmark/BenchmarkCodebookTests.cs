using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Tests.Benchmark;

[TestClass]
public sealed class BenchmarkCodebookTests
{
    [TestMethod]
    public void DirectionalColumnsPointAtTheirGridAnglesAndAllColumnsHaveUnitNorm()
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        ArrayResponse array = ArrayResponse.Nominal(32);
        Precoder codebook = BenchmarkCodebook.Build(region, array, 20);
        double[] grid = region.EvenGrid(10);
        var a = new Complex[32];
        for (int t = 0; t < 20; t++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, 32).Sum(n => codebook[n, t].Magnitude * codebook[n, t].Magnitude));
            Assert.AreEqual(1, norm, 1e-12, $"column {t}");
        }

        for (int g = 0; g < 10; g++)
        {
            // |a^T(theta) f_g| is largest (= sqrt(N)) at theta_g: the beam points there (docs/conventions.md point 2).
            double Gain(double theta)
            {
                array.Steering(theta, a);
                Complex sum = 0;
                for (int n = 0; n < 32; n++)
                {
                    sum += a[n] * codebook[n, g];
                }

                return sum.Magnitude;
            }

            Assert.AreEqual(Math.Sqrt(32), Gain(grid[g]), 1e-9, $"beam {g} at its angle");
            Assert.IsLessThan(Gain(grid[g]), Gain(grid[g] + 0.01));
            Assert.IsLessThan(Gain(grid[g]), Gain(grid[g] - 0.01));
            Assert.IsLessThan(0.5, Gain(-grid[g]), "no beam at -theta_g");
        }
    }

    [TestMethod]
    public void RejectsOddTransmissionCount()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BenchmarkCodebook.Build(AngularRegion.FromDegrees(40, 60), ArrayResponse.Nominal(32), 19));
        StringAssert.Contains(e.Message, "19");
        StringAssert.Contains(e.Message, "even");
    }
}
