using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// Where a UE can be once the BSs are given their regions: the area P cut by every BS's cone of directions U_i
/// (docs/conventions.md point 12). Under the training prior of docs/conventions.md point 10, p given the regions is uniform
/// on this set, so it is the prior of the Bayes-optimal estimator and of the Ziv-Zakai bound of a position model.
/// </summary>
public static class PositionPriorSupport
{
    /// <summary>P intersected with {p : theta_i(p) in U_i} for every BS i; convex, as each U_i is narrower than 180 deg.</summary>
    /// <param name="baseStations">The BSs, [I].</param>
    /// <param name="regions">U_i per BS, rad, [I].</param>
    /// <param name="area">The area P.</param>
    /// <exception cref="ArgumentException">The counts differ, or the set is empty (no point of P lies in every cone).</exception>
    public static ConvexPolygon Of(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<AngularRegion> regions, PositionPrior area)
    {
        ArgumentNullException.ThrowIfNull(baseStations);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(area);
        if (regions.Count != baseStations.Count)
        {
            throw new ArgumentException($"{regions.Count} regions for {baseStations.Count} BSs: expected one region per BS.", nameof(regions));
        }

        ConvexPolygon support = ConvexPolygon.Rectangle(area.MinX, area.MaxX, area.MinY, area.MaxY);
        for (int i = 0; i < baseStations.Count && !support.IsEmpty; i++)
        {
            BaseStation bs = baseStations[i];
            double psi = bs.OrientationRad;

            // The bearing u(theta) = (sin(theta + psi), cos(theta + psi)) from q (docs/conventions.md point 1); theta >= theta_min
            // where n_min . (p - q) >= 0 and theta <= theta_max where n_max . (p - q) <= 0, n = du / dtheta.
            (double sinMin, double cosMin) = Math.SinCos(regions[i].MinRad + psi);
            (double sinMax, double cosMax) = Math.SinCos(regions[i].MaxRad + psi);
            support = support.Clip(-cosMin, sinMin, -((cosMin * bs.Position.X) - (sinMin * bs.Position.Y)));
            support = support.Clip(cosMax, -sinMax, (cosMax * bs.Position.X) - (sinMax * bs.Position.Y));

            // In front of the array: (p - q) . u(0) >= 0.
            (double sinFront, double cosFront) = Math.SinCos(psi);
            support = support.Clip(-sinFront, -cosFront, -((sinFront * bs.Position.X) + (cosFront * bs.Position.Y)));
        }

        if (support.IsEmpty)
        {
            throw new ArgumentException($"no point of the area P lies inside every BS's region ({string.Join(", ", regions)}): expected regions whose cones meet in P.", nameof(regions));
        }

        return support;
    }
}
