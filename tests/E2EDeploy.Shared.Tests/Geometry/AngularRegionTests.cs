using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Tests.Geometry;

[TestClass]
public sealed class AngularRegionTests
{
    [TestMethod]
    public void XiIsTheOverDeterminedParameterisationOfEq5()
    {
        AngularRegion region = AngularRegion.FromDegrees(40, 60);
        (double min, double max, double halfWidth) = region.Xi;
        Assert.AreEqual(40 * Math.PI / 180, min, 1e-15);
        Assert.AreEqual(60 * Math.PI / 180, max, 1e-15);
        Assert.AreEqual(10 * Math.PI / 180, halfWidth, 1e-15);
    }

    [TestMethod]
    public void EvenGridIncludesBothEnds()
    {
        double[] grid = AngularRegion.FromDegrees(-30, -20).EvenGrid(11);
        Assert.AreEqual(-30 * Math.PI / 180, grid[0], 1e-15);
        Assert.AreEqual(-20 * Math.PI / 180, grid[^1], 1e-15);
        Assert.AreEqual(-25 * Math.PI / 180, grid[5], 1e-15);
    }

    [TestMethod]
    public void RejectsMinNotBelowMax()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => AngularRegion.FromDegrees(60, 40));
        StringAssert.Contains(e.Message, "theta_min = 60");
        StringAssert.Contains(e.Message, "theta_max = 40");
        Assert.ThrowsExactly<ArgumentException>(() => AngularRegion.FromDegrees(50, 50));
    }

    [TestMethod]
    public void RejectsAnglesOutsideTheHalfPlaneAndNaN()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AngularRegion.FromDegrees(40, 90));
        StringAssert.Contains(e.Message, "90");
        StringAssert.Contains(e.Message, "maxRad");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AngularRegion.FromDegrees(-95, 0));
        var nan = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AngularRegion.FromDegrees(double.NaN, 0));
        StringAssert.Contains(nan.Message, "NaN");
    }
}
