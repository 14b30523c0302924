using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Training.Networks;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Networks;

/// <summary>
/// <see cref="FisherScoring"/> against independent double-precision computations with the shared <see cref="ArrayResponse"/>:
/// the score is half the finite-difference derivative of eq. (11)'s correlation, the information on noiseless data is
/// |alpha|^2 / (2 SNR CRB) with the shared CRB, and the steps converge to the true angle.
/// </summary>
[TestClass]
public sealed class FisherScoringTests
{
    private const int N = 8;
    private const int T = 6;

    [TestMethod]
    public void TheScoreIsHalfTheDerivativeOfTheCorrelation()
    {
        (Complex[] f, Precoder precoder) = RandomPrecoder(11);
        ArrayResponse array = ArrayResponse.Nominal(N);
        var random = new Random(5);
        var y = new Complex[T];
        for (int t = 0; t < T; t++)
        {
            y[t] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        }

        using var learned = new LearnedArray(N);
        foreach (double theta in new[] { -0.7, 0.1, 0.9 })
        {
            double h = 1e-5;
            double derivative = (Correlation(precoder, array, y, theta + h) - Correlation(precoder, array, y, theta - h)) / (2 * h);
            using var scope = NewDisposeScope();
            (Tensor score, _, Tensor correlation) = FisherScoring.Terms(Observation(y), Tensor(f), learned, tensor(new[] { (float)theta }));
            Assert.AreEqual(derivative / 2, score.item<float>(), 1e-4 * Math.Max(1, Math.Abs(derivative)), $"theta {theta}");
            Assert.AreEqual(Correlation(precoder, array, y, theta), correlation.item<float>(), 1e-5, $"theta {theta}");
        }
    }

    [TestMethod]
    public void OnNoiselessDataTheInformationIsTheCramerRaoBoundsAndTheStepsConverge()
    {
        (Complex[] f, Precoder precoder) = RandomPrecoder(3);
        ArrayResponse array = ArrayResponse.Nominal(N);
        var alpha = Complex.FromPolarCoordinates(0.8, 1.1);
        using var learned = new LearnedArray(N);
        foreach (double truth in new[] { -0.5, 0.2, 0.8 })
        {
            Complex[] y = Response(precoder, array, truth).Select(b => alpha * b).ToArray();
            using var scope = NewDisposeScope();
            (_, Tensor information, _) = FisherScoring.Terms(Observation(y), Tensor(f), learned, tensor(new[] { (float)truth }));
            double crb = AodCramerRaoBound.Compute(precoder, array, truth, 0); // SNR 1: J = 2 (...)
            Assert.AreEqual(alpha.Magnitude * alpha.Magnitude / (2 * crb), information.item<float>(), 1e-4 / crb, $"theta {truth}");

            Tensor theta = tensor(new[] { (float)(truth + 0.02) });
            for (int k = 0; k < 4; k++)
            {
                theta = FisherScoring.AngleStep(Observation(y), Tensor(f), learned, theta, tensor(new[] { -1.5f }), tensor(new[] { 1.5f }));
            }

            Assert.AreEqual(truth, theta.item<float>(), 2e-5, "4 steps from 1.1 deg off");
        }
    }

    [TestMethod]
    public void AStepNeverLeavesTheRegionNorExceedsItsLimit()
    {
        (Complex[] f, _) = RandomPrecoder(4);
        using var learned = new LearnedArray(N);
        var random = new Random(2);
        Complex[] y = Enumerable.Range(0, T).Select(_ => new Complex(random.NextDouble(), random.NextDouble())).ToArray();
        using var scope = NewDisposeScope();
        Tensor start = tensor(new[] { 0.30f, 0.30f });
        Tensor low = tensor(new[] { 0.25f, -1f });
        Tensor high = tensor(new[] { 0.35f, 1f });
        Tensor next = FisherScoring.AngleStep(cat([Observation(y), Observation(y)], 0), cat([Tensor(f), Tensor(f)], 0), learned, start, low, high);
        float[] values = next.data<float>().ToArray();
        Assert.IsTrue(values[0] >= 0.25f && values[0] <= 0.35f, $"{values[0]} in [0.25, 0.35]");
        Assert.IsLessThanOrEqualTo(FisherScoring.MaxAngleStepRad + 1e-6, Math.Abs(values[1] - 0.30f));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TheOnnxGraphGivesTheSharedCorrelationScoreAndInformation(bool coupled)
    {
        // The graph form (FisherScoringGraph, run by ONNX Runtime) against double-precision computations with the shared
        // ArrayResponse (steering and, coupled, the shared MutualCoupling) and the shared CRB; the array enters the graph
        // as the learned array's constants, set here to the shared array's.
        (Complex[] f, Precoder precoder) = RandomPrecoder(7);
        ArrayResponse array = coupled ? ArrayResponse.WithCoupling(MutualCoupling.Default(N)) : ArrayResponse.Nominal(N);
        using var learned = new LearnedArray(N);
        if (coupled)
        {
            Complex[,] c = array.Coupling!.ToMatrix();
            using var noGrad = no_grad();
            learned.CouplingTransposeReal.copy_(tensor(Enumerable.Range(0, N * N).Select(k => (float)c[k % N, k / N].Real).ToArray(), [N, N]));
            learned.CouplingTransposeImaginary.copy_(tensor(Enumerable.Range(0, N * N).Select(k => (float)c[k % N, k / N].Imaginary).ToArray(), [N, N]));
        }

        var alpha = Complex.FromPolarCoordinates(0.9, -0.6);
        double[] truths = [-0.6, 0.15, 0.85];
        double[] thetas = [-0.6, 0.2, 0.8];
        Complex[][] ys = truths.Select(truth => Response(precoder, array, truth).Select(b => alpha * b).ToArray()).ToArray();
        byte[] onnx = E2EDeploy.Training.Onnx.FisherScoringGraphProbe.Build(N, T, learned);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        float[] y = ys.SelectMany(v => v.Select(c => (float)c.Real).Concat(v.Select(c => (float)c.Imaginary))).ToArray();
        float[] fs = Enumerable.Range(0, thetas.Length).SelectMany(_ => f.Select(c => (float)c.Real).Concat(f.Select(c => (float)c.Imaginary))).ToArray();
        float[] theta = thetas.Select(t => (float)t).ToArray();
        using var results = session.Run(
        [
            Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("y", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(y, [thetas.Length, 2 * T])),
            Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("precoder", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(fs, [thetas.Length, 2, N, T])),
            Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("theta", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(theta, [thetas.Length])),
        ]);
        float[] Output(string name) => results.Single(r => r.Name == name).AsEnumerable<float>().ToArray();
        float[] score = Output("score"), information = Output("information"), correlation = Output("correlation");
        for (int k = 0; k < thetas.Length; k++)
        {
            double h = 1e-5;
            double derivative = (Correlation(precoder, array, ys[k], thetas[k] + h) - Correlation(precoder, array, ys[k], thetas[k] - h)) / (2 * h);
            double expectedCorrelation = Correlation(precoder, array, ys[k], thetas[k]);
            Assert.AreEqual(expectedCorrelation, correlation[k], 1e-5 * Math.Max(1, expectedCorrelation), $"correlation at theta {thetas[k]}");
            Assert.AreEqual(derivative / 2, score[k], 1e-4 * Math.Max(1, Math.Abs(derivative)), $"score at theta {thetas[k]}");
        }

        // At the truth (noiseless y) the information is |alpha|^2 / (2 CRB) with the shared CRB at SNR 1 (0 dB).
        double crb = AodCramerRaoBound.Compute(precoder, array, truths[0], 0);
        Assert.AreEqual(alpha.Magnitude * alpha.Magnitude / (2 * crb), information[0], 1e-4 / crb, "information at the truth");
    }

    [TestMethod]
    public void TheTorchSharpTermsAreTheSharedRefinementsOnACoupledArray()
    {
        // The one definition is the shared FisherScoringRefinement (double precision, what the runtime runs after the decoder);
        // this float32 form agrees with it to float32 rounding, with a learned array whose coupling and positions are not nominal.
        (Complex[] f, _) = RandomPrecoder(13);
        using var learned = new LearnedArray(N);
        var random = new Random(21);
        float[] positions = Enumerable.Range(0, N).Select(n => (float)((0.5 * n) + (0.02 * (random.NextDouble() - 0.5)))).ToArray();
        float[] real = Enumerable.Range(0, N * N).Select(k => (k / N == k % N ? 1f : 0f) + (float)(0.2 * (random.NextDouble() - 0.5))).ToArray();
        float[] imaginary = Enumerable.Range(0, N * N).Select(_ => (float)(0.2 * (random.NextDouble() - 0.5))).ToArray();
        using (no_grad())
        {
            learned.Positions.copy_(tensor(positions));
            learned.CouplingTransposeReal.copy_(tensor(real, [N, N]));
            learned.CouplingTransposeImaginary.copy_(tensor(imaginary, [N, N]));
        }

        var channel = new E2EDeploy.Shared.Refinement.ScoringChannel(N, T);
        channel.Load(E2EDeploy.Shared.Refinement.ScoringArray.Create([.. positions.Select(x => (double)x)], [.. real.Select((r, k) => new Complex(r, imaginary[k]))]), f);
        var y = new Complex[T];
        for (int t = 0; t < T; t++)
        {
            y[t] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        }

        foreach (double theta in new[] { -0.6, 0.05, 0.7 })
        {
            using var scope = NewDisposeScope();
            (Tensor score, Tensor information, Tensor correlation) = FisherScoring.Terms(Observation(y), Tensor(f), learned, tensor(new[] { (float)theta }));
            E2EDeploy.Shared.Refinement.ScoringTerms shared = E2EDeploy.Shared.Refinement.FisherScoringRefinement.Terms(y, channel, theta);
            Assert.AreEqual(shared.Correlation, correlation.item<float>(), 1e-5 * Math.Max(1, shared.Correlation), $"correlation at {theta}");
            Assert.AreEqual(shared.Score, score.item<float>(), 1e-4 * Math.Max(1, Math.Abs(shared.Score)), $"score at {theta}");
            Assert.AreEqual(shared.Information, information.item<float>(), 1e-4 * Math.Max(1, Math.Abs(shared.Information)), $"information at {theta}");
        }
    }

    private static (Complex[] Values, Precoder Precoder) RandomPrecoder(int seed)
    {
        var random = new Random(seed);
        var values = new Complex[N * T];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        }

        return (values, new Precoder(N, T, values));
    }

    /// <summary>F as [1, 2, N, T].</summary>
    private static Tensor Tensor(Complex[] f) =>
        tensor(f.Select(c => (float)c.Real).Concat(f.Select(c => (float)c.Imaginary)).ToArray(), [1, 2, N, T]);

    /// <summary>y as [1, 2T].</summary>
    private static Tensor Observation(Complex[] y) =>
        tensor(y.Select(c => (float)c.Real).Concat(y.Select(c => (float)c.Imaginary)).ToArray(), [1, 2 * T]);

    /// <summary>b = F^T a(theta), double.</summary>
    private static Complex[] Response(Precoder f, ArrayResponse array, double theta)
    {
        var a = new Complex[N];
        array.Steering(theta, a);
        var b = new Complex[T];
        for (int t = 0; t < T; t++)
        {
            for (int n = 0; n < N; n++)
            {
                b[t] += f[n, t] * a[n];
            }
        }

        return b;
    }

    /// <summary>|b^H y|^2 / ||b||^2, double.</summary>
    private static double Correlation(Precoder f, ArrayResponse array, Complex[] y, double theta)
    {
        Complex[] b = Response(f, array, theta);
        Complex inner = Complex.Zero;
        double norm = 0;
        for (int t = 0; t < T; t++)
        {
            inner += Complex.Conjugate(b[t]) * y[t];
            norm += b[t].Magnitude * b[t].Magnitude;
        }

        return inner.Magnitude * inner.Magnitude / norm;
    }
}
