using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Geometry;

/// <summary>
/// The AoD uncertainty region U = [theta_min, theta_max] of one BS (section II-A), in radians,
/// with -pi/2 &lt; theta_min &lt; theta_max &lt; pi/2.
/// </summary>
public readonly record struct AngularRegion
{
    /// <summary>Creates a region; throws <see cref="ArgumentException"/> naming the bad bound.</summary>
    /// <param name="minRad">theta_min, rad.</param>
    /// <param name="maxRad">theta_max, rad.</param>
    public AngularRegion(double minRad, double maxRad)
    {
        Guard.AngleInsideHalfPlane(minRad, nameof(minRad));
        Guard.AngleInsideHalfPlane(maxRad, nameof(maxRad));
        if (!(minRad < maxRad))
        {
            throw new ArgumentException(
                $"theta_min = {Units.RadiansToDegrees(minRad):0.###} deg >= theta_max = {Units.RadiansToDegrees(maxRad):0.###} deg: expected theta_min < theta_max.",
                nameof(minRad));
        }

        MinRad = minRad;
        MaxRad = maxRad;
    }

    /// <summary>theta_min, rad.</summary>
    public double MinRad { get; }

    /// <summary>theta_max, rad.</summary>
    public double MaxRad { get; }

    /// <summary>Width theta_max - theta_min, rad.</summary>
    public double WidthRad => MaxRad - MinRad;

    /// <summary>Centre (theta_min + theta_max) / 2, rad.</summary>
    public double CenterRad => 0.5 * (MinRad + MaxRad);

    /// <summary>Creates a region from bounds in degrees.</summary>
    public static AngularRegion FromDegrees(double minDeg, double maxDeg) =>
        new(Units.DegreesToRadians(minDeg), Units.DegreesToRadians(maxDeg));

    /// <summary>The region centre +/- halfWidth, rad (the position prior of docs/conventions.md point 10).</summary>
    public static AngularRegion Around(double centerRad, double halfWidthRad) =>
        new(centerRad - halfWidthRad, centerRad + halfWidthRad);

    /// <summary>
    /// The precoder-network input of eq. (5): xi = [theta_min, theta_max, (theta_max - theta_min) / 2], rad.
    /// </summary>
    public (double Min, double Max, double HalfWidth) Xi => (MinRad, MaxRad, 0.5 * WidthRad);

    /// <summary>Whether <paramref name="thetaRad"/> lies in [theta_min, theta_max].</summary>
    public bool Contains(double thetaRad) => thetaRad >= MinRad && thetaRad <= MaxRad;

    /// <summary>Clamps an angle to the region, rad.</summary>
    public double Clamp(double thetaRad) => Math.Clamp(thetaRad, MinRad, MaxRad);

    /// <summary><paramref name="count"/> evenly spaced angles over the region, both ends included (one angle: the centre).</summary>
    public double[] EvenGrid(int count)
    {
        Guard.AtLeast(count, 1);
        if (count == 1)
        {
            return [CenterRad];
        }

        var grid = new double[count];
        for (int g = 0; g < count; g++)
        {
            grid[g] = MinRad + (WidthRad * g / (count - 1));
        }

        return grid;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"[{Units.RadiansToDegrees(MinRad):0.###}, {Units.RadiansToDegrees(MaxRad):0.###}] deg";
}
