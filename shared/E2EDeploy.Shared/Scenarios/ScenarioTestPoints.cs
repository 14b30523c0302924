using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// Where a scenario's models are measured (docs/conventions.md point 11): the AoD test region, in which theta is drawn
/// uniformly for BS 1, and the position test point p, with U_i = theta_i(p) +/- the prior's region half-width. A value left
/// out keeps its default: U1 = [40, 60] deg (the paper's, <see cref="PaperTestPoints"/>) and the centre of the area P.
/// Read through <see cref="Scenario.AodTestRegion"/> and <see cref="Scenario.PositionTestPoint"/>.
/// </summary>
public sealed record ScenarioTestPoints
{
    /// <summary>The AoD test region [min, max], degrees; null for the paper's U1 = [40, 60] deg.</summary>
    public IReadOnlyList<double>? AodRegionDeg { get; init; }

    /// <summary>The position test point p, m; null for the centre of the area P.</summary>
    public PlanePoint? Position { get; init; }
}
