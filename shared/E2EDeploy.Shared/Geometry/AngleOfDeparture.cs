using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Geometry;

/// <summary>
/// The AoD of eq. (3) under docs/conventions.md point 1: the angle measured from the array broadside
/// (+y when the orientation psi = 0), growing toward +x:
/// theta = atan2(p_x - q_x, p_y - q_y) - psi.
/// </summary>
public static class AngleOfDeparture
{
    /// <summary>AoD of a UE at <paramref name="position"/> seen from a BS at <paramref name="bsPosition"/> with orientation <paramref name="orientationRad"/>, rad, wrapped to (-pi, pi].</summary>
    /// <param name="position">UE position p, m.</param>
    /// <param name="bsPosition">BS position q, m.</param>
    /// <param name="orientationRad">BS orientation psi, rad.</param>
    public static double Compute(PlanePoint position, PlanePoint bsPosition, double orientationRad)
    {
        double dx = position.X - bsPosition.X;
        double dy = position.Y - bsPosition.Y;
        if (dx == 0 && dy == 0)
        {
            throw new ArgumentException($"position {position} coincides with the BS at {bsPosition}: the AoD is undefined.", nameof(position));
        }

        return Units.WrapToPi(Math.Atan2(dx, dy) - orientationRad);
    }

    /// <summary>
    /// Gradient of the AoD with respect to the UE position (docs/conventions.md point 1):
    /// d theta / d p = [dy, -dx] / (dx^2 + dy^2), rad/m.
    /// </summary>
    public static (double DThetaDx, double DThetaDy) Gradient(PlanePoint position, PlanePoint bsPosition)
    {
        double dx = position.X - bsPosition.X;
        double dy = position.Y - bsPosition.Y;
        double r2 = (dx * dx) + (dy * dy);
        if (r2 == 0)
        {
            throw new ArgumentException($"position {position} coincides with the BS at {bsPosition}: the AoD gradient is undefined.", nameof(position));
        }

        return (dy / r2, -dx / r2);
    }
}
