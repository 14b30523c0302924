using System.Numerics;
using E2EDeploy.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Networks;

/// <summary>The decoder's Gram features against complex arithmetic done by hand, and their invariances.</summary>
[TestClass]
public sealed class GramFeaturesTests
{
    private const int K = 2;
    private const int T = 3;

    [TestMethod]
    public void FeaturesAreTheProductsYtConjYsInTheDocumentedOrder()
    {
        Complex[,] y = Observations(new Random(3));
        float[] features = Compute(y);
        Assert.HasCount(GramFeatures.Width(K, T), features);
        for (int k = 0; k < K; k++)
        {
            for (int t = 0; t < T; t++)
            {
                for (int s = 0; s < T; s++)
                {
                    Complex expected = y[k, t] * Complex.Conjugate(y[k, s]);
                    int at = (k * 2 * T * T) + (t * T) + s;
                    Assert.AreEqual(expected.Real, features[at], 1e-5, $"Re R_{k}[{t},{s}]");
                    Assert.AreEqual(expected.Imaginary, features[at + (T * T)], 1e-5, $"Im R_{k}[{t},{s}]");
                }
            }
        }
    }

    [TestMethod]
    public void AGainPhaseChangesNothing()
    {
        Complex[,] y = Observations(new Random(4));
        var rotated = new Complex[K, T];
        for (int k = 0; k < K; k++)
        {
            for (int t = 0; t < T; t++)
            {
                rotated[k, t] = y[k, t] * Complex.FromPolarCoordinates(1, 1.1 + k);
            }
        }

        float[] reference = Compute(y);
        float[] afterRotation = Compute(rotated);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.AreEqual(reference[i], afterRotation[i], 1e-5, $"feature {i} after a phase rotation");
        }
    }

    private static Complex[,] Observations(Random random)
    {
        var y = new Complex[K, T];
        for (int k = 0; k < K; k++)
        {
            for (int t = 0; t < T; t++)
            {
                y[k, t] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
            }
        }

        return y;
    }

    /// <summary>One sample in the contract layout: per observation k, T real parts then T imaginary parts.</summary>
    private static float[] Compute(Complex[,] y)
    {
        var flat = new float[2 * K * T];
        for (int k = 0; k < K; k++)
        {
            for (int t = 0; t < T; t++)
            {
                flat[(k * 2 * T) + t] = (float)y[k, t].Real;
                flat[(k * 2 * T) + T + t] = (float)y[k, t].Imaginary;
            }
        }

        using Tensor input = tensor(flat, [1, 2 * K * T]);
        using Tensor output = GramFeatures.Compute(input, K, T);
        return output.data<float>().ToArray();
    }
}
