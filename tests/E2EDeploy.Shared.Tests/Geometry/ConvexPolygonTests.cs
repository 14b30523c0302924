using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Geometry;

[TestClass]
public sealed class ConvexPolygonTests
{
    [TestMethod]
    public void ClipIntersectAndQuadratureAgreeWithHandComputedAreasAndMoments()
    {
        ConvexPolygon square = ConvexPolygon.Rectangle(0, 2, 0, 2);
        Assert.AreEqual(4, square.Area, 1e-12);

        // The half below the diagonal x + y <= 2 is a triangle of area 2.
        ConvexPolygon triangle = square.Clip(1, 1, 2);
        Assert.AreEqual(2, triangle.Area, 1e-12);

        // Overlap with the square moved by (1, 1): the unit square [1, 2]^2.
        Assert.AreEqual(1, square.Intersect(square.Translate(1, 1)).Area, 1e-12);
        Assert.IsTrue(square.Intersect(square.Translate(3, 0)).IsEmpty);
        Assert.IsTrue(triangle.Contains(new PlanePoint(0.5, 0.5)));
        Assert.IsTrue(triangle.Contains(new PlanePoint(1, 1)), "the boundary counts as inside");
        Assert.IsFalse(triangle.Contains(new PlanePoint(1.5, 1)));

        // int over the triangle {x, y >= 0, x + y <= 2} of x^2 = 2^4 / 12 = 4 / 3, exactly for order 3.
        double moment = triangle.Quadrature(3).Sum(node => node.Weight * node.Point.X * node.Point.X);
        Assert.AreEqual(4.0 / 3, moment, 1e-12);
        Assert.AreEqual(2, triangle.Quadrature(3).Sum(node => node.Weight), 1e-12);
    }

    [TestMethod]
    public void ThePriorSupportHoldsExactlyThePointsOfPInEveryRegion()
    {
        // Monte Carlo over the area P: the fraction of points whose AoDs lie in every region equals the support's share of P.
        Scenario scenario = Scenario.Paper;
        AngularRegion[] regions = scenario.PositionRegions(new PlanePoint(0.8, 4.5));
        ConvexPolygon support = PositionPriorSupport.Of(scenario.BaseStations, regions, scenario.PositionPrior);
        PositionPrior area = scenario.PositionPrior;
        Random random = RandomSources.Create(3);
        const int draws = 200_000;
        int inside = 0;
        for (int k = 0; k < draws; k++)
        {
            var p = new PlanePoint(area.MinX + (area.WidthM * random.NextDouble()), area.MinY + (area.HeightM * random.NextDouble()));
            inside += scenario.BaseStations.Select((bs, i) => regions[i].Contains(bs.AodOf(p))).All(x => x) ? 1 : 0;
        }

        double share = inside / (double)draws;
        double error = Math.Sqrt(share * (1 - share) / draws);
        Assert.AreEqual(share, support.Area / (area.WidthM * area.HeightM), 4 * error);
        Assert.ThrowsExactly<ArgumentException>(() => PositionPriorSupport.Of(scenario.BaseStations, [AngularRegion.FromDegrees(-80, -70), AngularRegion.FromDegrees(70, 80)], area));
    }
}
