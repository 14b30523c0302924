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
        var e = Assert.ThrowsExactly<ArgumentException>(() => Trainer.WarmStart(wider, source.FullPath));
        StringAssert.Contains(e.Message, "--init-from");
        StringAssert.Contains(e.Message, "does not hold weights of this network");
    }

    private static bool SameParameters(Autoencoder a, Autoencoder b) =>
        a.parameters().Zip(b.parameters()).All(p => p.First.shape.SequenceEqual(p.Second.shape) && p.First.allclose(p.Second, 0, 0));
}
