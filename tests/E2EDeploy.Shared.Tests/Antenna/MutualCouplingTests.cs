using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Antenna;

[TestClass]
public sealed class MutualCouplingTests
{
    [TestMethod]
    public void DefaultCoefficientsAreThePapers()
    {
        Complex[] c = MutualCoupling.Default(32).Coefficients.ToArray();
        Complex[] expected =
        [
            1,
            0.9 * Complex.Exp(new Complex(0, -Math.PI / 3)),
            0.75 * Complex.Exp(new Complex(0, Math.PI / 4)),
            0.55 * Complex.Exp(new Complex(0, -Math.PI / 10)),
            0.25 * Complex.Exp(new Complex(0, -Math.PI / 6)),
        ];
        Assert.HasCount(5, c);
        for (int k = 0; k < 5; k++)
        {
            Assert.AreEqual(0, (c[k] - expected[k]).Magnitude, 1e-12, $"c_{k}");
        }
    }

    [TestMethod]
    public void MatrixIsBandedSymmetricToeplitzAndNotHermitian()
    {
        Complex[,] b = MutualCoupling.Default(10).ToMatrix();
        for (int m = 0; m < 10; m++)
        {
            for (int n = 0; n < 10; n++)
            {
                Assert.AreEqual(b[m, n], b[n, m], $"symmetry at ({m}, {n})");
                if (Math.Abs(m - n) > 4)
                {
                    Assert.AreEqual(Complex.Zero, b[m, n], $"outside the band at ({m}, {n})");
                }
            }
        }

        Assert.AreNotEqual(Complex.Conjugate(b[0, 1]), b[1, 0], "B is symmetric, not Hermitian");
    }

    [TestMethod]
    public void ZetaFamilyDecaysKeepsPhasesAndMatchesTheDefaultFrobeniusNorm()
    {
        MutualCoupling reference = MutualCoupling.Default(32);
        MutualCoupling decayed = MutualCoupling.FromSettings(32, new MutualCouplingSettings { DecayZeta = 0.5 });
        Complex[] c = decayed.Coefficients.ToArray();
        for (int k = 1; k < c.Length; k++)
        {
            Assert.AreEqual(Math.Exp(-0.5), c[k].Magnitude / c[k - 1].Magnitude, 1e-12, $"|c_{k}| / |c_{k - 1}|");
            Assert.AreEqual(reference.Coefficients[k].Phase, c[k].Phase, 1e-12, $"phase of c_{k}");
        }

        double dense = 0;
        Complex[,] b = decayed.ToMatrix();
        foreach (Complex v in b)
        {
            dense += v.Magnitude * v.Magnitude;
        }

        double referenceDense = 0;
        foreach (Complex v in reference.ToMatrix())
        {
            referenceDense += v.Magnitude * v.Magnitude;
        }

        Assert.AreEqual(Math.Sqrt(referenceDense), Math.Sqrt(dense), 1e-10);
    }

    [TestMethod]
    public void RejectsMoreCoefficientsThanElements()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new MutualCoupling(3, new Complex[] { 1, 0.5, 0.2, 0.1 }));
        StringAssert.Contains(e.Message, "N = 3");
    }
}
