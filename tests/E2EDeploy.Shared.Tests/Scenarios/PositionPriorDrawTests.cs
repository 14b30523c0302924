using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Scenarios;

[TestClass]
public sealed class PositionPriorDrawTests
{
    [TestMethod]
    public void EveryUeLiesInPWithItsRegionsAroundItsTrueAodsAndInFrontOfTheArrays()
    {
        Scenario s = Scenario.Paper;
        PositionPrior prior = s.PositionPrior;
        (PositionPriorDraw[] draws, int redrawn) = PositionPriorDraw.Draw(s, 2000, seed: 5);
        Assert.HasCount(2000, draws);
        Assert.IsTrue(redrawn >= 0 && redrawn < 100, $"{redrawn} redrawn: the paper's prior puts few regions past 90 deg");
        foreach (PositionPriorDraw d in draws)
        {
            Assert.IsTrue(prior.Contains(d.Position), $"{d.Position} outside P");
            Assert.HasCount(2, d.Regions);
            for (int i = 0; i < 2; i++)
            {
                AngularRegion u = d.Regions[i];
                Assert.AreEqual(Units.DegreesToRadians(2 * prior.RegionHalfWidthDeg), u.WidthRad, 1e-12);
                double nu = u.CenterRad - s.BaseStations[i].AodOf(d.Position);
                Assert.IsLessThanOrEqualTo(Units.DegreesToRadians(prior.CenterOffsetMaxDeg) + 1e-12, Math.Abs(nu));
                Assert.IsLessThan(Math.PI / 2, Math.Max(Math.Abs(u.MinRad), Math.Abs(u.MaxRad)));
            }
        }
    }

    [TestMethod]
    public void PositionsAndOffsetsFollowTheirUniformLaws()
    {
        // Independent check of the laws of docs/conventions.md point 10: sample means and variances against those of
        // U(P) and U[-15, 15] deg, within 5 standard errors. (The redraws past 90 deg are rare enough not to show.)
        Scenario s = Scenario.Paper;
        PositionPrior prior = s.PositionPrior;
        const int n = 20000;
        PositionPriorDraw[] draws = PositionPriorDraw.Draw(s, n, seed: 11).Draws;
        double[] x = draws.Select(d => d.Position.X).ToArray();
        double[] nu = draws.Select(d => Units.RadiansToDegrees(d.Regions[0].CenterRad - s.BaseStations[0].AodOf(d.Position))).ToArray();
        AssertUniform(x, prior.MinX, prior.MaxX, "p_x");
        AssertUniform(nu, -prior.CenterOffsetMaxDeg, prior.CenterOffsetMaxDeg, "nu_1, deg");

        static void AssertUniform(double[] v, double a, double b, string what)
        {
            double mean = v.Average();
            double variance = v.Select(t => (t - mean) * (t - mean)).Sum() / (v.Length - 1);
            double w = b - a;
            Assert.AreEqual((a + b) / 2, mean, 5 * w / Math.Sqrt(12 * v.Length), $"{what}: mean");
            Assert.AreEqual(w * w / 12, variance, 5 * Math.Sqrt(w * w * w * w / 180.0 / v.Length), $"{what}: variance");
        }
    }

    [TestMethod]
    public void WithNoOffsetEachRegionIsCentredOnTheTrueAod()
    {
        Scenario s = Scenario.Paper with { PositionPrior = Scenario.Paper.PositionPrior with { CenterOffsetMaxDeg = 0 } };
        foreach (PositionPriorDraw d in PositionPriorDraw.Draw(s, 50, seed: 2).Draws)
        {
            CollectionAssert.AreEqual(s.PositionRegions(d.Position), d.Regions.ToArray());
        }
    }

    [TestMethod]
    public void TheSeedFixesTheDraws()
    {
        PositionPriorDraw[] a = PositionPriorDraw.Draw(Scenario.Paper, 20, seed: 3).Draws;
        PositionPriorDraw[] b = PositionPriorDraw.Draw(Scenario.Paper, 20, seed: 3).Draws;
        PositionPriorDraw[] c = PositionPriorDraw.Draw(Scenario.Paper, 20, seed: 4).Draws;
        CollectionAssert.AreEqual(a.Select(d => d.Position).ToArray(), b.Select(d => d.Position).ToArray());
        CollectionAssert.AreEqual(a.SelectMany(d => d.Regions).ToArray(), b.SelectMany(d => d.Regions).ToArray());
        CollectionAssert.AreNotEqual(a.Select(d => d.Position).ToArray(), c.Select(d => d.Position).ToArray());
    }

    [TestMethod]
    public void BadCountsAndAPriorBehindTheArraysAreRefused()
    {
        var count = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PositionPriorDraw.Draw(Scenario.Paper, 0, seed: 1));
        StringAssert.Contains(count.Message, "0 UEs: expected at least 1");

        // BS 1 sees P's centre at about 48 deg; regions of +/- 60 deg cannot lie in front of its array.
        Scenario wide = Scenario.Paper with { PositionPrior = Scenario.Paper.PositionPrior with { RegionHalfWidthDeg = 60 } };
        var behind = Assert.ThrowsExactly<ArgumentException>(() => PositionPriorDraw.Draw(wide, 10, seed: 1));
        StringAssert.Contains(behind.Message, "U_i +/- 60 deg");
        StringAssert.Contains(behind.Message, "expected a prior in front of the arrays");
    }
}
