using E2EDeploy.Pipeline.Recipe;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Tests.Recipe;

/// <summary>Scenarios that the pipeline cannot serve are refused by name; the others pass.</summary>
[TestClass]
public sealed class ScenarioRequirementsTests
{
    private static readonly Scenario OneBs = Scenario.Paper with { BaseStations = [new BaseStation(new PlanePoint(0, 0), 0)] };

    [TestMethod]
    public void ScenariosThatDifferFromThePapersPass()
    {
        Scenario three = Scenario.Paper with
        {
            BaseStations = [new(new PlanePoint(-5, 0), 0), new(new PlanePoint(3, 0), 10), new(new PlanePoint(12, 0), -30)],
            AntennaCount = 16,
            TransmissionCount = 12,
        };
        ScenarioRequirements.Check(three, [TrainingTask.Aod, TrainingTask.Position]);
        ScenarioRequirements.Check(OneBs, [TrainingTask.Aod]);
    }

    [TestMethod]
    public void PositionWithOneBsIsRefused()
    {
        ScenarioException e = Assert.ThrowsExactly<ScenarioException>(() => ScenarioRequirements.Check(OneBs, [TrainingTask.Position]));
        Assert.AreEqual("baseStations", e.ValuePath);
        StringAssert.Contains(e.Message, "I >= 2");
    }

    [TestMethod]
    public void AnAodTestRegionTheTrainingPriorNeverShowsIsRefused()
    {
        Scenario narrow = Scenario.Paper with { AodPrior = new AodPrior { MeanMinDeg = -20, MeanMaxDeg = 20 } };
        ScenarioException e = Assert.ThrowsExactly<ScenarioException>(() => ScenarioRequirements.Check(narrow, [TrainingTask.Aod]));
        StringAssert.Contains(e.ValuePath, "testPoints.aodRegionDeg");
        StringAssert.Contains(e.Message, "[40, 60] deg");
        ScenarioRequirements.Check(narrow with { TestPoints = new ScenarioTestPoints { AodRegionDeg = [0, 20] } }, [TrainingTask.Aod]);
    }

    [TestMethod]
    public void APositionTestPointOutsideABsFieldOfViewIsRefused()
    {
        // The centre of P at 80 deg from BS 1: its region of +/- 15 deg would reach behind the array.
        Scenario wide = Scenario.Paper with { PositionPrior = Scenario.Paper.PositionPrior with { Center = new PlanePoint(20, 1.5), WidthM = 1, HeightM = 1 } };
        ScenarioException e = Assert.ThrowsExactly<ScenarioException>(() => ScenarioRequirements.Check(wide, [TrainingTask.Position]));
        Assert.AreEqual("positionPrior.center", e.ValuePath);
        StringAssert.Contains(e.Message, "in front of the array");
    }
}
