using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests.Training;

[TestClass]
public sealed class PlateauSchedulerTests
{
    [TestMethod]
    public void DropsTheRateAfterPatienceAndStopsEarly()
    {
        TrainingConfig config = new TrainingConfig { PlateauPatience = 2, EarlyStopPatience = 5, PlateauFactor = 0.5 }.Validate();
        PlateauScheduler s = PlateauScheduler.Start(1e-3);
        (s, bool stop) = s.Observe(1.0, config);
        Assert.IsFalse(stop);
        (s, _) = s.Observe(1.0, config);
        Assert.AreEqual(1e-3, s.LearningRate);
        (s, _) = s.Observe(1.0, config);
        Assert.AreEqual(5e-4, s.LearningRate, "halved after 2 evaluations without improvement");
        (s, _) = s.Observe(0.5, config);
        Assert.AreEqual(0, s.SinceImprovement);
        for (int i = 0; i < 4; i++)
        {
            (s, stop) = s.Observe(0.6, config);
            Assert.IsFalse(stop, $"evaluation {i}");
        }

        (_, stop) = s.Observe(0.6, config);
        Assert.IsTrue(stop, "stops after 5 evaluations without improvement");
    }

    [TestMethod]
    public void NeverGoesBelowTheFloor()
    {
        TrainingConfig config = new TrainingConfig { PlateauPatience = 1, EarlyStopPatience = 1000, MinLearningRate = 1e-8 }.Validate();
        PlateauScheduler s = PlateauScheduler.Start(1e-3);
        bool stop = false;
        for (int i = 0; i < 100 && !stop; i++)
        {
            (s, stop) = s.Observe(1.0, config);
        }

        Assert.AreEqual(1e-8, s.LearningRate);
        Assert.IsTrue(stop, "at the floor with no improvement, training stops");
    }
}
