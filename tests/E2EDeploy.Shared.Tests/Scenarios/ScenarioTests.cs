using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Scenarios;

[TestClass]
public sealed class ScenarioTests
{
    [TestMethod]
    public void DefaultsAreThePapersSectionIVA()
    {
        Scenario s = Scenario.Paper.Validate();
        Assert.AreEqual(2, s.BaseStationCount);
        Assert.AreEqual(new PlanePoint(-5, 0), s.BaseStations[0].Position);
        Assert.AreEqual(new PlanePoint(3, 0), s.BaseStations[1].Position);
        Assert.AreEqual(0, s.BaseStations[0].OrientationDeg);
        Assert.AreEqual(10, s.BaseStations[1].OrientationDeg);
        Assert.AreEqual(32, s.AntennaCount);
        Assert.AreEqual(20, s.TransmissionCount);
        Assert.AreEqual(10.7e-3, s.WavelengthM);
        CollectionAssert.AreEqual(new double[] { -5, 0, 5, 10, 15, 20, 25, 30 }, s.SnrGridDb.ToArray());
        Assert.AreEqual((-60.0, 60.0, 10.0, 20.0), (s.AodPrior.MeanMinDeg, s.AodPrior.MeanMaxDeg, s.AodPrior.WidthMinDeg, s.AodPrior.WidthMaxDeg));
        Assert.AreEqual(10.0, s.PositionPrior.WidthM * s.PositionPrior.HeightM, 1e-12, "P is a 10 m^2 area");
        Assert.AreEqual(new PlanePoint(0.5, 5), s.PositionPrior.Center);
        Assert.AreEqual(0.01, s.Impairments.Spacing.StdDevWavelengths, "sigma_lambda = lambda / 100");
        Assert.AreEqual(ElementPositionModel.Paper, s.Impairments.Spacing.Model);
        Assert.AreEqual(ImpairmentKind.None, s.Impairments.Kind);
    }

    public static IEnumerable<object[]> BadScenarios()
    {
        Scenario p = Scenario.Paper;
        yield return ["antennaCount", p with { AntennaCount = 1 }, "antennaCount", "= 1"];
        yield return ["transmissionCount", p with { TransmissionCount = 19 }, "transmissionCount", "= 19"];
        yield return ["wavelengthM", p with { WavelengthM = double.NaN }, "wavelengthM", "NaN"];
        yield return ["wavelengthM", p with { WavelengthM = -1 }, "wavelengthM", "-1"];
        yield return ["snrGridDb[1]", p with { SnrGridDb = [10, double.PositiveInfinity] }, "snrGridDb[1]", "Infinity"];
        yield return ["baseStations[1].orientationDeg", p with { BaseStations = [p.BaseStations[0], p.BaseStations[1] with { OrientationDeg = 95 }] }, "baseStations[1].orientationDeg", "= 95"];
        yield return ["baseStations[1].position", p with { BaseStations = [p.BaseStations[0], p.BaseStations[0]] }, "baseStations[1].position", "repeats"];
        yield return ["baseStations", p with { BaseStations = [] }, "baseStations", "empty"];
        yield return ["aodPrior.widthMaxDeg", p with { AodPrior = p.AodPrior with { WidthMinDeg = 30 } }, "aodPrior.widthMaxDeg", "widthMinDeg = 30"];
        yield return ["aodPrior", p with { AodPrior = p.AodPrior with { MeanMaxDeg = 85 } }, "aodPrior", "(-90, 90)"];
        yield return ["positionPrior.widthM", p with { PositionPrior = p.PositionPrior with { WidthM = 0 } }, "positionPrior.widthM", "= 0"];
        yield return ["positionPrior", p with { PositionPrior = p.PositionPrior with { Center = new PlanePoint(-5, 0.5) } }, "positionPrior", "baseStations[0]"];
        yield return ["impairments.spacing.stdDevWavelengths", p with { Impairments = p.Impairments with { Spacing = new SpacingPerturbationSettings { StdDevWavelengths = -0.01 } } }, "impairments.spacing.stdDevWavelengths", "-0.01"];
        yield return ["impairments.coupling.magnitudes[2]", p with { Impairments = p.Impairments with { Coupling = new MutualCouplingSettings { Magnitudes = [1, 0.5, 0.7], PhasesDeg = [0, 0, 0] } } }, "impairments.coupling.magnitudes[2]", "= 0.7"];
        yield return ["impairments.coupling.phasesDeg", p with { Impairments = p.Impairments with { Coupling = new MutualCouplingSettings { Magnitudes = [1, 0.5], PhasesDeg = [0] } } }, "impairments.coupling.phasesDeg", "1 entries"];
        yield return ["impairments.coupling.decayZeta", p with { Impairments = p.Impairments with { Coupling = new MutualCouplingSettings { DecayZeta = -1 } } }, "impairments.coupling.decayZeta", "-1"];
    }

    [TestMethod]
    [DynamicData(nameof(BadScenarios))]
    public void ValidationNamesTheBadValue(string label, Scenario scenario, string path, string fragment)
    {
        var e = Assert.ThrowsExactly<ScenarioException>(() => scenario.Validate(), label);
        Assert.AreEqual(path, e.ValuePath, e.Message);
        StringAssert.Contains(e.Message, fragment);
    }

    [TestMethod]
    public void PositionRegionsAreTheTrueAodsPlusMinus15Degrees()
    {
        AngularRegion[] regions = Scenario.Paper.PositionRegions(new PlanePoint(0.5, 5));
        Assert.AreEqual(47.73 - 15, regions[0].MinRad * 180 / Math.PI, 0.005);
        Assert.AreEqual(47.73 + 15, regions[0].MaxRad * 180 / Math.PI, 0.005);
        Assert.AreEqual(-36.57 - 15, regions[1].MinRad * 180 / Math.PI, 0.005);
    }
}
