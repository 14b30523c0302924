using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// The paper's test points (section IV-A; docs/conventions.md, "Test points"): where Figs. 4 to 10 evaluate the estimators,
/// where training reports its reference RMSE, and where `e2e validate` and the regression metric measure. Defined here once.
/// </summary>
public static class PaperTestPoints
{
    /// <summary>The AoD test region U1 = [40, 60] deg: theta is drawn uniformly in it.</summary>
    public static AngularRegion AodRegion { get; } = AngularRegion.FromDegrees(40, 60);

    /// <summary>The second region of the beam-pattern figures, U2 = [-30, -20] deg.</summary>
    public static AngularRegion BeamPatternRegion { get; } = AngularRegion.FromDegrees(-30, -20);

    /// <summary>The position test point p = [0.5, 5] m, with U_i = theta_i(p) +/- the prior's half-width (15 deg).</summary>
    public static PlanePoint Position { get; } = new(0.5, 5);
}
