using System.Text.Json.Serialization;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>One BS of the scenario (section II-A): known position q_i and orientation psi_i.</summary>
/// <param name="Position">q_i, m.</param>
/// <param name="OrientationDeg">psi_i, degrees, in [-90, 90].</param>
public sealed record BaseStation(PlanePoint Position, double OrientationDeg)
{
    /// <summary>psi_i, rad.</summary>
    [JsonIgnore]
    public double OrientationRad => Units.DegreesToRadians(OrientationDeg);

    /// <summary>AoD of a UE at <paramref name="position"/> (eq. 3, docs/conventions.md point 1), rad.</summary>
    public double AodOf(PlanePoint position) => AngleOfDeparture.Compute(position, Position, OrientationRad);
}
