using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Antenna;

[TestClass]
public sealed class SpacingPerturbationTests
{
    [TestMethod]
    public void PaperModelPlacesElementKAtKTimesItsSpacing()
    {
        var perturbation = new SpacingPerturbation([0.51, 0.48, 0.5], ElementPositionModel.Paper);
        CollectionAssert.AreEqual(new[] { 0.0, 0.51, 2 * 0.48, 3 * 0.5 }, perturbation.ElementPositionsWavelengths().ToArray());
    }

    [TestMethod]
    public void CumulativeModelPlacesElementKAtTheSumOfTheFirstKSpacings()
    {
        var perturbation = new SpacingPerturbation([0.51, 0.48, 0.5], ElementPositionModel.Cumulative);
        double[] x = perturbation.ElementPositionsWavelengths().ToArray();
        Assert.AreEqual(0.0, x[0]);
        Assert.AreEqual(0.51, x[1], 1e-15);
        Assert.AreEqual(0.99, x[2], 1e-15);
        Assert.AreEqual(1.49, x[3], 1e-15);
    }

    [TestMethod]
    public void ZeroDeviationGivesTheNominalArrayInBothModels()
    {
        foreach (ElementPositionModel model in Enum.GetValues<ElementPositionModel>())
        {
            double[] x = SpacingPerturbation.Draw(8, 0.0, model, 3).ElementPositionsWavelengths().ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(0, 8).Select(k => 0.5 * k).ToArray(), x, model.ToString());
        }
    }

    [TestMethod]
    public void DrawIsReproducibleFromTheSeedAndHasTheRequestedSpread()
    {
        SpacingPerturbation first = SpacingPerturbation.Draw(4001, 0.01, ElementPositionModel.Paper, 42);
        SpacingPerturbation again = SpacingPerturbation.Draw(4001, 0.01, ElementPositionModel.Paper, 42);
        SpacingPerturbation other = SpacingPerturbation.Draw(4001, 0.01, ElementPositionModel.Paper, 43);
        CollectionAssert.AreEqual(first.SpacingsWavelengths.ToArray(), again.SpacingsWavelengths.ToArray());
        CollectionAssert.AreNotEqual(first.SpacingsWavelengths.ToArray(), other.SpacingsWavelengths.ToArray());

        double[] d = first.SpacingsWavelengths.ToArray();
        double mean = d.Average();
        double std = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (d.Length - 1));

        // 4000 samples: the standard error of the mean is 1.6e-4 and of the std about 1.1e-4; the tolerances are 5 of them.
        Assert.AreEqual(0.5, mean, 8e-4);
        Assert.AreEqual(0.01, std, 6e-4);
    }

    [TestMethod]
    public void EachBaseStationDrawsItsOwnRealisation()
    {
        Scenario scenario = Scenario.Paper with { Impairments = new ImpairmentSettings { Kind = ImpairmentKind.Spacing, Seed = 5 } };
        ArrayResponse bs1 = ArrayRealizations.ForBaseStation(scenario, 0);
        ArrayResponse bs2 = ArrayRealizations.ForBaseStation(scenario, 1);
        Assert.AreNotEqual(bs1.RealizationSeed, bs2.RealizationSeed);
        CollectionAssert.AreNotEqual(bs1.ElementPositionsWavelengths.ToArray(), bs2.ElementPositionsWavelengths.ToArray());
        CollectionAssert.AreEqual(bs1.ElementPositionsWavelengths.ToArray(), ArrayRealizations.ForBaseStation(scenario, 0).ElementPositionsWavelengths.ToArray());
    }

    [TestMethod]
    public void RejectsNegativeDeviation()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SpacingPerturbation.Draw(8, -0.1, ElementPositionModel.Paper, 1));
        StringAssert.Contains(e.Message, "-0.1");
    }
}
