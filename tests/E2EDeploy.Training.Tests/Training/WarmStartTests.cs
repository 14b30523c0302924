using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Training;

[TestClass]
public sealed class WarmStartTests
{
    [TestMethod]
    public void AWarmStartLoadsTheBestWeightsOfAnotherRun()
    {
        var source = new RunDirectory(TestRuns.NewFolder("warm-source"));
        Trainer.Run(source, TestRuns.Tiny(steps: 20), TestRuns.Small, resume: false);

        using var trained = Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 16, CPU);
        trained.load(source.ModelPath);
        using var fresh = Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 16, CPU);
        using (var generator = new Generator(99, CPU))
        {
            fresh.Initialize(generator);
        }

        Assert.IsFalse(SameParameters(trained, fresh), "a fresh seeded model differs from the trained one");
        Trainer.WarmStart(fresh, source.FullPath);
        Assert.IsTrue(SameParameters(trained, fresh), "after the warm start every parameter equals the source run's model.bin");
    }

    [TestMethod]
    public void AWarmStartFromANetworkOfAnotherSizeNamesTheRun()
    {
        var source = new RunDirectory(TestRuns.NewFolder("warm-size"));
        Trainer.Run(source, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        using var wider = Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 32, CPU);
        var e = Assert.Throws<ArgumentException>(() => Trainer.WarmStart(wider, source.FullPath));
        StringAssert.Contains(e.Message, "InitFrom");
        StringAssert.Contains(e.Message, "expected weights of this network");
    }

    [TestMethod]
    public void ARegionDecoderStartsFromARunWithoutItAndComputesTheSameFunction()
    {
        var source = new RunDirectory(TestRuns.NewFolder("warm-region"));
        Trainer.Run(source, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        using var plain = (AodAutoencoder)Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 16, CPU);
        plain.load(source.ModelPath);
        using var widened = (AodAutoencoder)Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 16, CPU, decoderRegion: true);
        Trainer.WarmStart(widened, source.FullPath);

        int twoT = 2 * TestRuns.Small.TransmissionCount;
        using var generator = new Generator(5, CPU);
        using Tensor y = randn([50, twoT], generator: generator);
        using Tensor xi = randn([50, 3], generator: generator);
        using Tensor expected = plain.Decoder.call(y);
        using Tensor actual = widened.Decoder.call(cat([y, xi], 1));
        Assert.IsTrue(expected.allclose(actual, 0, 0), "zero weights on xi: the widened decoder computes the source's estimate for any region");
        Assert.IsTrue(plain.Precoders.Zip(widened.Precoders).All(p => SameTensors(p.First.parameters(), p.Second.parameters())), "the precoders are the source's");

        // The region's columns are trainable: a step changes them, so the decoder can learn to use U.
        using (no_grad())
        {
            widened.Decoder.Body.Layers[0].weight!.narrow(1, widened.Decoder.Body.Layers[0].in_features - 3, 3).fill_(0.5f);
        }

        using Tensor moved = widened.Decoder.call(cat([y, xi], 1));
        Assert.IsFalse(expected.allclose(moved, 1e-6, 1e-6), "with weight on xi the estimate depends on the region");
    }

    [TestMethod]
    public void APositionRegionDecoderStartsFromARunWithoutItAndComputesTheSameFunction()
    {
        var source = new RunDirectory(TestRuns.NewFolder("warm-region-pos"));
        Trainer.Run(source, TestRuns.Tiny(TrainingTask.Position, steps: 10), TestRuns.Small, resume: false);
        using var plain = (PositionAutoencoder)Autoencoder.Create(TrainingTask.Position, TestRuns.Small, 16, CPU);
        plain.load(source.ModelPath);
        using var widened = (PositionAutoencoder)Autoencoder.Create(TrainingTask.Position, TestRuns.Small, 16, CPU, decoderRegion: true);
        Trainer.WarmStart(widened, source.FullPath);

        int bsCount = TestRuns.Small.BaseStationCount;
        int width = 2 * bsCount * TestRuns.Small.TransmissionCount;
        using var generator = new Generator(6, CPU);
        using Tensor y = randn([50, width], generator: generator);
        using Tensor xi = randn([50, 3 * bsCount], generator: generator);
        using Tensor expected = plain.Decoder.call(y);
        using Tensor actual = widened.Decoder.call(cat([y, xi], 1));
        Assert.IsTrue(expected.allclose(actual, 0, 0), "zero weights on every xi_i: the widened decoder computes the source's estimate for any regions");
        Assert.IsTrue(plain.Precoders.Zip(widened.Precoders).All(p => SameTensors(p.First.parameters(), p.Second.parameters())), "the precoders are the source's");

        // Each BS's region columns are trainable: weight on the last BS's xi moves the estimate.
        using (no_grad())
        {
            widened.Decoder.Body.Layers[0].weight!.narrow(1, widened.Decoder.Body.Layers[0].in_features - 3, 3).fill_(0.5f);
        }

        using Tensor moved = widened.Decoder.call(cat([y, xi], 1));
        Assert.IsFalse(expected.allclose(moved, 1e-6, 1e-6), "with weight on xi_I the estimate depends on the regions");
    }

    [TestMethod]
    public void APositionRunCannotWidenAnAodRegionDecoder()
    {
        var source = new RunDirectory(TestRuns.NewFolder("warm-region-position"));
        Trainer.Run(source, TestRuns.Tiny(TrainingTask.Position, steps: 10), TestRuns.Small, resume: false);
        using var widened = Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 16, CPU, decoderRegion: true);
        var e = Assert.Throws<ArgumentException>(() => Trainer.WarmStart(widened, source.FullPath));
        StringAssert.Contains(e.Message, "expected weights of this network");
    }

    private static bool SameTensors(IEnumerable<Tensor> a, IEnumerable<Tensor> b) => a.Zip(b).All(p => p.First.allclose(p.Second, 0, 0));

    private static bool SameParameters(Autoencoder a, Autoencoder b) =>
        a.parameters().Zip(b.parameters()).All(p => p.First.shape.SequenceEqual(p.Second.shape) && p.First.allclose(p.Second, 0, 0));
}
