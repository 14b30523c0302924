using E2EDeploy.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Training;

[TestClass]
public sealed class SnrRangeTests
{
    [TestMethod]
    [DataRow(20.0, 1.0)]
    [DataRow(30.0, 10.0)]
    [DataRow(10.0, 0.1)]
    [DataRow(0.0, 1e-3)]
    [DataRow(-5.0, 1e-4)]
    public void BelowTheKneeTheWeightFallsTwiceAsFast(double snrDb, double expected)
    {
        var range = new SnrRange(-5, 30, 10);
        Assert.AreEqual(20, range.ReferenceDb);
        Assert.AreEqual(expected, range.Weight(snrDb), 1e-12 * expected + 1e-15);
    }

    [TestMethod]
    public void WithoutAKneeTheWeightIsTheInverseCrbScaling()
    {
        var range = new SnrRange(-5, 30);
        Assert.AreEqual(Math.Pow(10, -2.5), range.Weight(-5), 1e-15);
        Assert.AreEqual(10, range.Weight(30), 1e-12);
    }

    [TestMethod]
    public void SampledWeightsLieOnTheKneeCurveAndAFixedSnrWeighsOne()
    {
        var range = new SnrRange(-5, 30, 10);
        using var generator = new Generator(9, CPU);
        using TrainingSample sample = new PriorSampler(TestRuns.Small, range, CPU).SampleAod(4000, generator);
        float[] weights = sample.Weight.SelectMany(w => w.data<float>().ToArray()).ToArray();

        // Uniform SNR in dB: the weight's quantiles follow from the curve; half the samples lie above 12.5 dB.
        Assert.IsTrue(weights.All(w => w >= range.Weight(-5) * 0.999 && w <= range.Weight(30) * 1.001), "every weight within [w(-5), w(30)]");
        double aboveMiddle = weights.Count(w => w > range.Weight(12.5)) / (double)weights.Length;
        Assert.AreEqual(0.5, aboveMiddle, 0.03);
        double belowKnee = weights.Count(w => w < range.Weight(10)) / (double)weights.Length;
        Assert.AreEqual(15.0 / 35.0, belowKnee, 0.03);

        using var fixedGenerator = new Generator(9, CPU);
        using TrainingSample fixedSample = new PriorSampler(TestRuns.Small, 20, CPU).SampleAod(64, fixedGenerator);
        Assert.IsTrue(fixedSample.Weight.SelectMany(w => w.data<float>().ToArray()).All(w => w == 1f));
    }
}
