using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Geometry;

[TestClass]
public sealed class AngleOfDepartureTests
{
    [TestMethod]
    public void PaperTestPointGivesTheAnglesOfConventionsPoint1()
    {
        var p = new PlanePoint(0.5, 5);
        Scenario scenario = Scenario.Paper;
        Assert.AreEqual(47.73, Units.RadiansToDegrees(scenario.BaseStations[0].AodOf(p)), 0.005);
        Assert.AreEqual(-36.57, Units.RadiansToDegrees(scenario.BaseStations[1].AodOf(p)), 0.005);
    }

    [TestMethod]
    public void BroadsideIsPlusYAndAnglesGrowTowardPlusX()
    {
        var origin = new PlanePoint(0, 0);
        Assert.AreEqual(0, AngleOfDeparture.Compute(new PlanePoint(0, 3), origin, 0), 1e-15);
        Assert.AreEqual(Math.PI / 4, AngleOfDeparture.Compute(new PlanePoint(2, 2), origin, 0), 1e-15);
        Assert.AreEqual(-Math.PI / 4, AngleOfDeparture.Compute(new PlanePoint(-2, 2), origin, 0), 1e-15);
        Assert.AreEqual(Math.PI / 4 - 0.1, AngleOfDeparture.Compute(new PlanePoint(2, 2), origin, 0.1), 1e-15);
    }

    [TestMethod]
    public void GradientMatchesFiniteDifferences()
    {
        var q = new PlanePoint(3, 0);
        foreach (PlanePoint p in new[] { new PlanePoint(0.5, 5), new PlanePoint(-2, 1), new PlanePoint(4, 0.3) })
        {
            const double h = 1e-6;
            double numericX = (AngleOfDeparture.Compute(p with { X = p.X + h }, q, 0.2) - AngleOfDeparture.Compute(p with { X = p.X - h }, q, 0.2)) / (2 * h);
            double numericY = (AngleOfDeparture.Compute(p with { Y = p.Y + h }, q, 0.2) - AngleOfDeparture.Compute(p with { Y = p.Y - h }, q, 0.2)) / (2 * h);
            (double gx, double gy) = AngleOfDeparture.Gradient(p, q);
            Assert.AreEqual(numericX, gx, 1e-8, $"d theta / dx at {p}");
            Assert.AreEqual(numericY, gy, 1e-8, $"d theta / dy at {p}");
        }
    }

    [TestMethod]
    public void UndefinedAtTheBasestation()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => AngleOfDeparture.Compute(new PlanePoint(1, 1), new PlanePoint(1, 1), 0));
        StringAssert.Contains(e.Message, "coincides");
    }
}
