using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Networks;

/// <summary>The refined estimators on noiseless observations converge to the truth from a decoder estimate nearby.</summary>
[TestClass]
public sealed class RefinedEstimatorsTests
{
    private static readonly Scenario Scenario = TestRuns.Small with { TransmissionCount = 8 };

    [TestMethod]
    public void ThePositionStepsConvergeToTheTruePosition()
    {
        var truth = new PlanePoint(0.7, 4.6);
        using var model = (PositionAutoencoder)Autoencoder.Create(TrainingTask.Position, Scenario, 16, CPU);
        using var generator = new Generator(4, CPU);
        model.Initialize(generator);
        ConstantOutput(model.Decoder.Body, [(float)truth.X + 0.04f, (float)truth.Y - 0.05f]);
        using var arrays = ArrayCalibration.Nominal(Scenario);
        using var estimator = RefinedPositionEstimator.Create(model.Decoder, model.Precoders, arrays.All, Scenario, 4);
        using var scope = NewDisposeScope();
        using TrainingSample sample = Noiseless(new PriorSampler(Scenario, 20, CPU).SamplePosition(16, generator, truth));
        Tensor[] ys = Enumerable.Range(0, 2).Select(i => model.Transmit(i, sample).Observation).ToArray();
        using var noGrad = no_grad();
        Tensor estimate = estimator.call(cat([.. ys, .. sample.Xi], 1));
        float[] p = estimate.data<float>().ToArray();
        for (int row = 0; row < 16; row++)
        {
            Assert.AreEqual(truth.X, p[2 * row], 2e-4, $"x of row {row}");
            Assert.AreEqual(truth.Y, p[(2 * row) + 1], 2e-4, $"y of row {row}");
        }
    }

    [TestMethod]
    public void TheAodStepsConvergeAndTheBsThatSentYIsKept()
    {
        using var model = (AodAutoencoder)Autoencoder.Create(TrainingTask.Aod, Scenario, 16, CPU, decoderRegion: true);
        using var generator = new Generator(6, CPU);
        model.Initialize(generator);
        using var arrays = ArrayCalibration.Nominal(Scenario);
        using var estimator = new RefinedAodEstimator(model.Decoder, model.Precoders, arrays.All, 4);
        using var scope = NewDisposeScope();
        using TrainingSample sample = Noiseless(new PriorSampler(Scenario, 20, CPU).SampleAod(64, generator));
        using var noGrad = no_grad();
        for (int bs = 0; bs < 2; bs++)
        {
            // The untrained decoder's estimate is projected onto the region, here 0.04 rad wide around the truth, so every
            // start lies within 0.04 rad; both BSs' precoders see this region, and only the sender's explains y.
            Tensor theta = sample.Theta[bs];
            Tensor xi = stack([theta - 0.02f, theta + 0.02f, full_like(theta, 0.02f)], 1);
            Tensor observation = model.Transmit(bs, new TrainingSample([.. sample.Xi.Select((x, i) => i == bs ? xi : x)], sample.Theta, sample.Gain, sample.Noise, null, sample.Weight, sample.ReferenceNoiseVariance)).Observation;
            Tensor estimate = estimator.call(cat([observation, xi], 1));
            float[] error = (estimate - theta).abs().data<float>().ToArray();
            Assert.IsLessThan(1e-4f, error.Max(), $"BS {bs + 1}: largest error {error.Max():e2} rad");
        }
    }

    private static TrainingSample Noiseless(TrainingSample sample)
    {
        foreach (Tensor noise in sample.Noise)
        {
            noise.zero_();
        }

        return sample;
    }

    /// <summary>Makes the MLP output <paramref name="value"/> for every input: zero weights in the last layer, bias = value.</summary>
    private static void ConstantOutput(Mlp mlp, float[] value)
    {
        using var noGrad = no_grad();
        TorchSharp.Modules.Linear last = mlp.Layers[^1];
        last.weight!.zero_();
        last.bias!.copy_(tensor(value));
    }
}
