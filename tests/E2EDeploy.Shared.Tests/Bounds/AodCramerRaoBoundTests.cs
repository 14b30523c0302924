using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace E2EDeploy.Shared.Tests.Bounds;

/// <summary>
/// The closed-form CRB of docs/conventions.md point 3 against Fisher information computed numerically from the
/// likelihood of y = alpha F^T a~(theta) + n with unknowns (theta, Re alpha, Im alpha).
/// </summary>
[TestClass]
public sealed class AodCramerRaoBoundTests
{
    private const int N = 32;
    private const int T = 20;

    public static IEnumerable<object[]> Arrays()
    {
        yield return ["nominal", ArrayResponse.Nominal(N)];
        yield return ["spacing", ArrayResponse.WithSpacing(SpacingPerturbation.Draw(N, 0.01, ElementPositionModel.Paper, 11))];
        yield return ["coupling", ArrayResponse.WithCoupling(MutualCoupling.Default(N))];
    }

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void MatchesSlepianBangsFisherWithFiniteDifferenceMeanDerivatives(string name, ArrayResponse array)
    {
        Precoder precoder = TestPrecoders.Random(N, T, 3);
        const double snrDb = 12;
        double noiseVariance = 1 / Units.DecibelsToLinear(snrDb);
        var alpha = Complex.FromPolarCoordinates(1, 0.7);
        foreach (double theta in new[] { -0.9, 0.2, 0.85 })
        {
            // d mu / d eta for eta = (theta, Re alpha, Im alpha), by central differences of mu = alpha F^T a~(theta).
            const double h = 1e-6;
            Complex[] dTheta = Subtract(Mean(precoder, array, theta + h, alpha), Mean(precoder, array, theta - h, alpha), 2 * h);
            Complex[] dReal = Subtract(Mean(precoder, array, theta, alpha + h), Mean(precoder, array, theta, alpha - h), 2 * h);
            Complex[] dImag = Subtract(Mean(precoder, array, theta, alpha + new Complex(0, h)), Mean(precoder, array, theta, alpha - new Complex(0, h)), 2 * h);
            Complex[][] derivatives = [dTheta, dReal, dImag];
            Matrix<double> fisher = Matrix<double>.Build.Dense(3, 3, (i, j) =>
                2 / noiseVariance * derivatives[i].Zip(derivatives[j], (x, y) => (Complex.Conjugate(x) * y).Real).Sum());
            double numeric = fisher.Inverse()[0, 0];
            double closedForm = AodCramerRaoBound.Compute(precoder, array, theta, snrDb);
            Assert.AreEqual(1, closedForm / numeric, 1e-6, $"{name}, theta = {theta}: closed form {closedForm}, numeric {numeric}");
        }
    }

    [TestMethod]
    public void MatchesMonteCarloFisherFromTheScoreOfTheLogLikelihood()
    {
        // I(eta) = E[s s^T] with s the gradient of log p(y; eta) = -||y - mu(eta)||^2 / sigma^2 + const,
        // taken by central differences of the log-likelihood itself and averaged over 20,000 draws of y.
        ArrayResponse array = ArrayResponse.WithCoupling(MutualCoupling.Default(N));
        Precoder precoder = TestPrecoders.Random(N, T, 8);
        const double snrDb = 5, theta = 0.35;
        double noiseVariance = 1 / Units.DecibelsToLinear(snrDb);
        var alpha = Complex.FromPolarCoordinates(1, -1.1);
        Complex[] mu = Mean(precoder, array, theta, alpha);
        Random random = RandomSources.Create(2024);
        const int draws = 20000;
        const double h = 1e-5;
        Matrix<double> fisher = Matrix<double>.Build.Dense(3, 3);
        var y = new Complex[T];
        Func<Complex[], double, Complex, double> logLikelihood = (obs, th, al) =>
        {
            Complex[] m = Mean(precoder, array, th, al);
            return -obs.Zip(m, (o, mm) => (o - mm).Magnitude * (o - mm).Magnitude).Sum() / noiseVariance;
        };
        double std = Math.Sqrt(noiseVariance / 2);
        for (int d = 0; d < draws; d++)
        {
            for (int t = 0; t < T; t++)
            {
                y[t] = mu[t] + new Complex(Normal.Sample(random, 0, std), Normal.Sample(random, 0, std));
            }

            double[] score =
            [
                (logLikelihood(y, theta + h, alpha) - logLikelihood(y, theta - h, alpha)) / (2 * h),
                (logLikelihood(y, theta, alpha + h) - logLikelihood(y, theta, alpha - h)) / (2 * h),
                (logLikelihood(y, theta, alpha + new Complex(0, h)) - logLikelihood(y, theta, alpha - new Complex(0, h))) / (2 * h),
            ];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    fisher[i, j] += score[i] * score[j] / draws;
                }
            }
        }

        double monteCarlo = fisher.Inverse()[0, 0];
        double closedForm = AodCramerRaoBound.Compute(precoder, array, theta, snrDb);

        // The Monte-Carlo estimate of the Schur complement has a relative standard error of about sqrt(2 / 20000) = 1%.
        Assert.AreEqual(1, closedForm / monteCarlo, 0.05, $"closed form {closedForm}, Monte Carlo {monteCarlo}");
    }

    [TestMethod]
    public void ScalesInverselyWithSnr()
    {
        Precoder precoder = TestPrecoders.Random(N, T, 4);
        ArrayResponse array = ArrayResponse.Nominal(N);
        double at10 = AodCramerRaoBound.Compute(precoder, array, 0.3, 10);
        double at20 = AodCramerRaoBound.Compute(precoder, array, 0.3, 20);
        Assert.AreEqual(10, at10 / at20, 1e-9);
    }

    [TestMethod]
    public void RejectsAnglesOutsideTheHalfPlane()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AodCramerRaoBound.Compute(TestPrecoders.Random(N, T, 1), ArrayResponse.Nominal(N), Math.PI / 2, 10));
        StringAssert.Contains(e.Message, "90 deg");
    }

    internal static Complex[] Mean(Precoder precoder, ArrayResponse array, double theta, Complex alpha)
    {
        var a = new Complex[array.ElementCount];
        array.Steering(theta, a);
        var mu = new Complex[precoder.TransmissionCount];
        for (int t = 0; t < mu.Length; t++)
        {
            for (int n = 0; n < a.Length; n++)
            {
                mu[t] += alpha * precoder[n, t] * a[n];
            }
        }

        return mu;
    }

    internal static Complex[] Subtract(Complex[] plus, Complex[] minus, double step) =>
        plus.Zip(minus, (p, m) => (p - m) / step).ToArray();
}
