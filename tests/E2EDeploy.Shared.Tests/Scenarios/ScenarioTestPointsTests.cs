using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Scenarios;

/// <summary>The test points of a scenario: defaults, the JSON form, and refusals naming the value.</summary>
[TestClass]
public sealed class ScenarioTestPointsTests
{
    [TestMethod]
    public void DefaultsAreThePapersU1AndTheCentreOfP()
    {
        Scenario shifted = Scenario.Paper with { PositionPrior = Scenario.Paper.PositionPrior with { Center = new PlanePoint(-1, 7) } };
        Assert.AreEqual(40, Units.RadiansToDegrees(Scenario.Paper.AodTestRegion.MinRad), 1e-12);
        Assert.AreEqual(60, Units.RadiansToDegrees(Scenario.Paper.AodTestRegion.MaxRad), 1e-12);
        Assert.AreEqual(new PlanePoint(0.5, 5), Scenario.Paper.PositionTestPoint);
        Assert.AreEqual(new PlanePoint(-1, 7), shifted.PositionTestPoint);
    }

    [TestMethod]
    public void AScenarioWithoutTestPointsKeepsItsJson()
    {
        // The released models' manifests hold the scenario's JSON; a scenario that leaves the test points out must not gain a key.
        Assert.IsFalse(ScenarioFile.ToJson(Scenario.Paper).Contains("testPoints", StringComparison.Ordinal));
    }

    [TestMethod]
    public void GivenTestPointsRoundTripAndAreUsed()
    {
        Scenario scenario = ScenarioFile.Parse("""{ "testPoints": { "aodRegionDeg": [-10, 5], "position": { "x": 1, "y": 4 } } }""");
        Assert.AreEqual(-10, Units.RadiansToDegrees(scenario.AodTestRegion.MinRad), 1e-12);
        Assert.AreEqual(5, Units.RadiansToDegrees(scenario.AodTestRegion.MaxRad), 1e-12);
        Assert.AreEqual(new PlanePoint(1, 4), scenario.PositionTestPoint);
        Assert.AreEqual(ScenarioFile.ToJson(scenario), ScenarioFile.ToJson(ScenarioFile.Parse(ScenarioFile.ToJson(scenario))));
    }

    [TestMethod]
    [DataRow("""{ "testPoints": { "aodRegionDeg": [40] } }""", "testPoints.aodRegionDeg", "[min, max]")]
    [DataRow("""{ "testPoints": { "aodRegionDeg": [60, 40] } }""", "testPoints.aodRegionDeg", "min < max")]
    [DataRow("""{ "testPoints": { "aodRegionDeg": [40, 95] } }""", "testPoints.aodRegionDeg[1]", "(-90, 90)")]
    [DataRow("""{ "testPoints": { "position": { "x": 9, "y": 5 } } }""", "testPoints.position", "outside the area P")]
    public void BadTestPointsAreNamed(string json, string path, string expected)
    {
        ScenarioException e = Assert.ThrowsExactly<ScenarioException>(() => ScenarioFile.Parse(json));
        Assert.AreEqual(path, e.ValuePath);
        StringAssert.Contains(e.Message, expected);
    }
}
