namespace E2EDeploy.Shared.Geometry;

/// <summary>A point in the plane of the scenario, in metres.</summary>
/// <param name="X">x coordinate, m.</param>
/// <param name="Y">y coordinate, m (broadside of a BS with orientation 0 points to +y).</param>
public readonly record struct PlanePoint(double X, double Y)
{
    /// <summary>Euclidean distance to <paramref name="other"/>, m.</summary>
    public double DistanceTo(PlanePoint other) => Math.Sqrt(((X - other.X) * (X - other.X)) + ((Y - other.Y) * (Y - other.Y)));
}
