using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Antenna;

[TestClass]
public sealed class ArrayResponseTests
{
    private const int N = 32;

    public static IEnumerable<object[]> Arrays()
    {
        yield return ["nominal", ArrayResponse.Nominal(N)];
        yield return ["spacing/paper", ArrayResponse.WithSpacing(SpacingPerturbation.Draw(N, 0.01, ElementPositionModel.Paper, 7))];
        yield return ["spacing/cumulative", ArrayResponse.WithSpacing(SpacingPerturbation.Draw(N, 0.01, ElementPositionModel.Cumulative, 7))];
        yield return ["coupling", ArrayResponse.WithCoupling(MutualCoupling.Default(N))];
        yield return ["coupling/zeta", ArrayResponse.WithCoupling(MutualCoupling.FromSettings(N, new MutualCouplingSettings { DecayZeta = 0.7 }))];
    }

    [TestMethod]
    public void NominalSteeringIsTheUlaOfSectionIIB()
    {
        var a = new Complex[N];
        double theta = 0.4;
        ArrayResponse.Nominal(N).Steering(theta, a);
        for (int k = 0; k < N; k++)
        {
            Complex expected = Complex.Exp(new Complex(0, Math.PI * k * Math.Sin(theta)));
            Assert.AreEqual(0, (a[k] - expected).Magnitude, 1e-12, $"element {k}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void DerivativeMatchesCentralFiniteDifference(string name, ArrayResponse array)
    {
        foreach (double theta in new[] { -1.2, -0.5, 0.0, 0.3, 0.9, 1.3 })
        {
            var da = new Complex[N];
            array.SteeringDerivative(theta, da);
            Complex[] numeric = FiniteDifference(array.Steering, theta);
            AssertClose(numeric, da, 1e-6, $"{name}, theta = {theta}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void SecondDerivativeMatchesFiniteDifferenceOfTheFirst(string name, ArrayResponse array)
    {
        foreach (double theta in new[] { -1.0, 0.1, 0.8 })
        {
            var d2a = new Complex[N];
            array.Evaluate(theta, default, default, d2a);
            Complex[] numeric = FiniteDifference(array.SteeringDerivative, theta);
            AssertClose(numeric, d2a, 1e-6, $"{name}, theta = {theta}");
        }
    }

    [TestMethod]
    public void CoupledSteeringIsTheDenseCouplingMatrixTimesTheNominalSteering()
    {
        MutualCoupling coupling = MutualCoupling.Default(N);
        Complex[,] b = coupling.ToMatrix();
        var nominal = new Complex[N];
        var coupled = new Complex[N];
        ArrayResponse.Nominal(N).Steering(0.6, nominal);
        ArrayResponse.WithCoupling(coupling).Steering(0.6, coupled);
        for (int row = 0; row < N; row++)
        {
            Complex expected = Complex.Zero;
            for (int col = 0; col < N; col++)
            {
                expected += b[row, col] * nominal[col];
            }

            Assert.AreEqual(0, (coupled[row] - expected).Magnitude, 1e-12, $"row {row}");
        }
    }

    [TestMethod]
    public void RejectsWrongLengthsAndNonFiniteAngles()
    {
        ArrayResponse array = ArrayResponse.Nominal(N);
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => array.Steering(0.1, new Complex[N - 1]));
        StringAssert.Contains(e1.Message, "31");
        var e2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => array.Steering(double.NaN, new Complex[N]));
        StringAssert.Contains(e2.Message, "NaN");
        var e3 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ArrayResponse.Nominal(1));
        StringAssert.Contains(e3.Message, ">= 2");
    }

    private static Complex[] FiniteDifference(Action<double, Span<Complex>> f, double theta)
    {
        const double h = 1e-6;
        var plus = new Complex[N];
        var minus = new Complex[N];
        f(theta + h, plus);
        f(theta - h, minus);
        return plus.Zip(minus, (p, m) => (p - m) / (2 * h)).ToArray();
    }

    private static void AssertClose(Complex[] expected, Complex[] actual, double relativeTolerance, string context)
    {
        double scale = expected.Max(v => v.Magnitude);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.AreEqual(0, (expected[k] - actual[k]).Magnitude / scale, relativeTolerance, $"{context}, element {k}: expected {expected[k]}, got {actual[k]}");
        }
    }
}
