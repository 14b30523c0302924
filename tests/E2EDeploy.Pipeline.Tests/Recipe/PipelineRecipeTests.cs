using E2EDeploy.Pipeline.Recipe;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Tests.Recipe;

/// <summary>The stages that the recipe derives from a request: which run, with what schedule.</summary>
[TestClass]
public sealed class PipelineRecipeTests
{
    private static PipelineRequest Request(Scenario scenario, PipelineProfile profile, int? steps = null, (double, double)? range = null) => new()
    {
        Scenario = scenario,
        Tasks = [TrainingTask.Aod, TrainingTask.Position],
        Profile = profile,
        Output = "/tmp/recipe-out",
        Registry = "/tmp/recipe-out/models",
        FamilyName = "test",
        Steps = steps,
        SnrRangeDb = range,
    };

    private static Scenario Impaired(ImpairmentKind kind) => Scenario.Paper with { Impairments = Scenario.Paper.Impairments with { Kind = kind } };

    [TestMethod]
    public void ReleaseHasTheStagesOfTheReleasedModels()
    {
        string[] names = PipelineRecipe.For(Request(Scenario.Paper, PipelineProfile.Release), TrainingTask.Aod).Select(s => s.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "train", "lower-threshold", "export", "validate" }, names);
        string[] impaired = PipelineRecipe.For(Request(Impaired(ImpairmentKind.Coupling), PipelineProfile.Release), TrainingTask.Position).Select(s => s.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "train", "lower-threshold", "calibrate", "export", "validate" }, impaired);
        string[] quick = PipelineRecipe.For(Request(Impaired(ImpairmentKind.Spacing), PipelineProfile.Quick), TrainingTask.Aod).Select(s => s.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "train", "export", "validate" }, quick, "the quick profile does not refine, so it does not calibrate");
    }

    [TestMethod]
    public void TheScheduleComesFromTheScenario()
    {
        Scenario scenario = Impaired(ImpairmentKind.Spacing) with { SnrGridDb = [0, 10, 20] };
        TrainStage[] aod = PipelineRecipe.For(Request(scenario, PipelineProfile.Release), TrainingTask.Aod).OfType<TrainStage>().ToArray();
        Assert.AreEqual(0, aod[0].Config.SnrDb);
        Assert.AreEqual(20, aod[0].Config.SnrMaxDb);
        Assert.AreEqual(10, aod[0].Config.SnrKneeDb);
        Assert.AreEqual(ImpairmentKind.Spacing, aod[0].Config.Impairment);
        Assert.IsTrue(aod[0].Config.DecoderRegion);
        Assert.AreEqual(10, aod[0].Config.BoundWeight);
        Assert.AreEqual(0, aod[1].Config.SnrKneeDb, "the AoD lower-threshold stage moves the knee to the lowest SNR");
        Assert.AreEqual(0, aod[1].Config.BoundWeight);
        Assert.AreEqual(1e-4, aod[1].Config.LearningRate);
        Assert.AreEqual(aod[0].RunFolder, aod[1].Config.InitFrom, "the second stage starts from the first's best weights");
        TrainStage[] position = PipelineRecipe.For(Request(scenario, PipelineProfile.Release, range: (-10, 15)), TrainingTask.Position).OfType<TrainStage>().ToArray();
        Assert.AreEqual(-10, position[0].Config.SnrDb);
        Assert.AreEqual(15, position[0].Config.SnrMaxDb);
        Assert.AreEqual(1, position[1].Config.BoundWeight);
        Assert.AreEqual(10, position[1].Config.SnrKneeDb);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(40)]
    [DataRow(2001)]
    public void StepsSplitInTheRecipesProportion(int steps)
    {
        TrainStage[] stages = PipelineRecipe.For(Request(Scenario.Paper, PipelineProfile.Release, steps), TrainingTask.Aod).OfType<TrainStage>().ToArray();
        Assert.AreEqual(steps, stages.Sum(s => s.Config.Steps));
        Assert.IsTrue(stages.All(s => s.Config.Steps >= 1));
        Assert.AreEqual(15_000 + 5_000, PipelineRecipe.For(Request(Scenario.Paper, PipelineProfile.Release), TrainingTask.Aod).OfType<TrainStage>().Sum(s => s.Config.Steps));
    }

    [TestMethod]
    [DataRow(16, 2_000)]
    [DataRow(32, 2_000)]
    [DataRow(48, 4_500)]
    [DataRow(64, 8_000)]
    public void TheCalibrationGrowsWithTheSquareOfTheAntennaCountAbove32(int antennas, int expectedSteps)
    {
        Scenario scenario = Impaired(ImpairmentKind.Spacing) with { AntennaCount = antennas };
        CalibrateStage calibrate = PipelineRecipe.For(Request(scenario, PipelineProfile.Release), TrainingTask.Aod).OfType<CalibrateStage>().Single();
        Assert.AreEqual(expectedSteps, calibrate.Settings.Steps, $"N = {antennas}");
        Assert.AreEqual(PipelineProfile.Release.Calibration.LearningRate, calibrate.Settings.LearningRate);
    }

    [TestMethod]
    public void ManifestsGetACommandForTheirTaskAlone()
    {
        PipelineRequest request = Request(Scenario.Paper, PipelineProfile.Release, 40) with { ScenarioFile = "my scenario.json" };
        Assert.AreEqual("e2e-train pipeline --scenario 'my scenario.json' --task position --profile release --steps 40 --family test --seed 1 --trials 10000", request.CommandFor(TrainingTask.Position));
    }
}
