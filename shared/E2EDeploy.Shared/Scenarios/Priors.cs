using System.Text.Json.Serialization;
using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// Training prior of the AoD autoencoder (section IV-B, docs/conventions.md point 10): the mean AoD is
/// uniform on [MeanMinDeg, MeanMaxDeg], the width of U uniform on [WidthMinDeg, WidthMaxDeg],
/// and theta uniform within U.
/// </summary>
public sealed record AodPrior
{
    /// <summary>Lower end of the mean-AoD range, degrees (paper: -60).</summary>
    public double MeanMinDeg { get; init; } = -60;

    /// <summary>Upper end of the mean-AoD range, degrees (paper: 60).</summary>
    public double MeanMaxDeg { get; init; } = 60;

    /// <summary>Smallest width of U, degrees (paper: 10).</summary>
    public double WidthMinDeg { get; init; } = 10;

    /// <summary>Largest width of U, degrees (paper: 20).</summary>
    public double WidthMaxDeg { get; init; } = 20;
}

/// <summary>
/// Prior of the position autoencoder and of the position benchmark (section IV-B, conventions
/// point 10): p uniform over the rectangle P (default: the 10 m^2 square centred on the test point
/// [0.5, 5] m), and for each BS the region U_i = theta_mid,i +/- RegionHalfWidthDeg, with
/// theta_mid,i = theta_i + nu_i, nu_i ~ U[-CenterOffsetMaxDeg, CenterOffsetMaxDeg].
/// </summary>
public sealed record PositionPrior
{
    /// <summary>Centre of the area P, m.</summary>
    public PlanePoint Center { get; init; } = new(0.5, 5.0);

    /// <summary>Extent of P along x, m (default sqrt(10)).</summary>
    public double WidthM { get; init; } = Math.Sqrt(10.0);

    /// <summary>Extent of P along y, m (default sqrt(10)).</summary>
    public double HeightM { get; init; } = Math.Sqrt(10.0);

    /// <summary>Half-width of each U_i around its centre, degrees (paper: 15).</summary>
    public double RegionHalfWidthDeg { get; init; } = 15;

    /// <summary>Largest offset |nu_i| of the centre of U_i from the true AoD, degrees (paper: 15).</summary>
    public double CenterOffsetMaxDeg { get; init; } = 15;

    /// <summary>Smallest x of P, m.</summary>
    [JsonIgnore]
    public double MinX => Center.X - (0.5 * WidthM);

    /// <summary>Largest x of P, m.</summary>
    [JsonIgnore]
    public double MaxX => Center.X + (0.5 * WidthM);

    /// <summary>Smallest y of P, m.</summary>
    [JsonIgnore]
    public double MinY => Center.Y - (0.5 * HeightM);

    /// <summary>Largest y of P, m.</summary>
    [JsonIgnore]
    public double MaxY => Center.Y + (0.5 * HeightM);

    /// <summary>Whether <paramref name="point"/> lies in P (boundary included).</summary>
    public bool Contains(PlanePoint point) => point.X >= MinX && point.X <= MaxX && point.Y >= MinY && point.Y <= MaxY;

    /// <summary>Projects <paramref name="point"/> onto P.</summary>
    public PlanePoint Clamp(PlanePoint point) => new(Math.Clamp(point.X, MinX, MaxX), Math.Clamp(point.Y, MinY, MaxY));
}
