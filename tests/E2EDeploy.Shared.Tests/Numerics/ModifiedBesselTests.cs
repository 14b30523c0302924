using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Tests.Numerics;

/// <summary>I0 against its integral definition I0(x) = (1/pi) int_0^pi e^(x cos t) dt, by a trapezoid rule that is exact to rounding for this periodic integrand; the polynomials are within 1e-6 (relative).</summary>
[TestClass]
public sealed class ModifiedBesselTests
{
    private static double ScaledByIntegral(double x)
    {
        const int n = 4000;
        double sum = 0;
        for (int k = 0; k <= n; k++)
        {
            double weight = k == 0 || k == n ? 0.5 : 1;
            sum += weight * Math.Exp(x * (Math.Cos(Math.PI * k / n) - 1));
        }

        return sum / n;
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(0.3)]
    [DataRow(2.0)]
    [DataRow(3.74)]
    [DataRow(3.76)]
    [DataRow(10.0)]
    [DataRow(250.0)]
    [DataRow(20000.0)]
    public void ScaledI0AndLogI0MatchTheIntegral(double x)
    {
        double reference = ScaledByIntegral(x);
        Assert.AreEqual(1.0, ModifiedBessel.ScaledI0(x) / reference, 1e-6);
        Assert.AreEqual(x + Math.Log(reference), ModifiedBessel.LogI0(x), 1e-6);
    }

    [TestMethod]
    [DataRow(1e-6)]
    [DataRow(0.5)]
    [DataRow(3.75)]
    [DataRow(40.0)]
    [DataRow(1e4)]
    public void InverseLogI0InvertsLogI0(double x)
    {
        Assert.AreEqual(x, ModifiedBessel.InverseLogI0(ModifiedBessel.LogI0(x)), 1e-6 * Math.Max(x, 1e-3));
    }

    [TestMethod]
    public void NegativeOrNanInputIsRefusedNamingIt()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ModifiedBessel.LogI0(-1));
        StringAssert.Contains(e.Message, "x >= 0");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ModifiedBessel.ScaledI0(double.NaN));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ModifiedBessel.InverseLogI0(double.NaN));
        Assert.AreEqual(0.0, ModifiedBessel.InverseLogI0(-3));
    }
}
