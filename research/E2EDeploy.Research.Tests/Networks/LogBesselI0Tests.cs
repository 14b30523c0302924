using E2EDeploy.Research.Networks;
using MathNet.Numerics;
using static TorchSharp.torch;

namespace E2EDeploy.Research.Tests.Networks;

/// <summary>log I0 against MathNet's Bessel function (an independent implementation), and the tensor form against the scalar one.</summary>
[TestClass]
public sealed class LogBesselI0Tests
{
    private static readonly double[] Points = [0, 1e-3, 0.5, 1, 2, 3, 3.7499, 3.75, 3.7501, 5, 10, 30, 100, 300, 700];

    [TestMethod]
    public void TheApproximationMatchesMathNetToTheTabulatedError()
    {
        foreach (double x in Points)
        {
            double reference = Math.Log(SpecialFunctions.BesselI0(x));

            // Abramowitz and Stegun bound the absolute error of I0 by 1.6e-7 below the knee (where I0 >= 1) and that of
            // sqrt(x) e^-x I0 (>= 0.3989) by 1.9e-7 above it: log I0 is then within 1.9e-7 / 0.3989 = 4.8e-7.
            Assert.AreEqual(reference, LogBesselI0.Of(x), 4.8e-7, $"log I0({x}): {LogBesselI0.Of(x):R} against {reference:R}");
        }
    }

    [TestMethod]
    public void TheTensorFormIsTheScalarForm()
    {
        using var scope = NewDisposeScope();
        double[] values = LogBesselI0.Of(tensor(Points, dtype: ScalarType.Float64)).data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
        {
            Assert.AreEqual(LogBesselI0.Of(Points[i]), values[i], 1e-12 * Math.Max(1, Math.Abs(values[i])), $"log I0({Points[i]})");
        }
    }

    [TestMethod]
    public void TheGradientIsTheRatioI1OverI0()
    {
        // d/dx log I0(x) = I1(x) / I0(x), finite on both sides of the knee (each branch sees its input clamped to its side).
        using var scope = NewDisposeScope();
        double[] xs = [0.3, 2, 3.7, 3.8, 8, 50];
        Tensor x = tensor(xs, dtype: ScalarType.Float64).requires_grad_();
        LogBesselI0.Of(x).sum().backward();
        double[] gradient = x.grad!.data<double>().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double expected = SpecialFunctions.BesselI1(xs[i]) / SpecialFunctions.BesselI0(xs[i]);
            Assert.AreEqual(expected, gradient[i], 1e-5, $"d log I0 / dx at {xs[i]}");
        }
    }
}
