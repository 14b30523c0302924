using System.Text.Json.Serialization;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// The simulation scenario: BSs, array, transmissions, SNR grid, priors and impairments.
/// The defaults are the paper's (section IV-A): I = 2 BSs at [-5, 0] and [3, 0] m with orientations
/// 0 and 10 deg, N_Tx = 32, T = 20, pilots s_t = 1, lambda = 10.7 mm, SNR -5:5:30 dB.
/// Immutable; change values with <c>with</c>, then call <see cref="Validate"/>.
/// </summary>
/// <remarks>Pilots are s_t = 1 (eq. 1) throughout; any unit-modulus pilot sequence is equivalent up to a
/// known phase per transmission that can be folded into the precoder column.</remarks>
public sealed record Scenario
{
    /// <summary>The paper's scenario (section IV-A).</summary>
    public static Scenario Paper { get; } = new();

    /// <summary>The BSs, i = 1..I (paper: [-5, 0] m at 0 deg and [3, 0] m at 10 deg).</summary>
    public IReadOnlyList<BaseStation> BaseStations { get; init; } =
    [
        new(new PlanePoint(-5.0, 0.0), 0.0),
        new(new PlanePoint(3.0, 0.0), 10.0),
    ];

    /// <summary>N_Tx, elements of each BS's ULA (paper: 32).</summary>
    public int AntennaCount { get; init; } = 32;

    /// <summary>T, transmissions per BS; even, because the benchmark codebook has T/2 directional and T/2 derivative beams (paper: 20).</summary>
    public int TransmissionCount { get; init; } = 20;

    /// <summary>Carrier wavelength lambda, m (paper: 10.7e-3, 28 GHz).</summary>
    public double WavelengthM { get; init; } = 10.7e-3;

    /// <summary>SNR_i = |alpha_i|^2 / sigma^2 values to evaluate, dB (paper: -5:5:30).</summary>
    public IReadOnlyList<double> SnrGridDb { get; init; } = [-5, 0, 5, 10, 15, 20, 25, 30];

    /// <summary>Training prior of the AoD autoencoder.</summary>
    public AodPrior AodPrior { get; init; } = new();

    /// <summary>Prior of the position autoencoder and benchmark.</summary>
    public PositionPrior PositionPrior { get; init; } = new();

    /// <summary>Hardware impairment of the true channel.</summary>
    public ImpairmentSettings Impairments { get; init; } = new();

    /// <summary>
    /// Where the models of this scenario are measured (training's reference set, `e2e validate`, the regression metric);
    /// null, and left out of the JSON, for the defaults (<see cref="ScenarioTestPoints"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScenarioTestPoints? TestPoints { get; init; }

    /// <summary>The AoD test region, rad: <see cref="ScenarioTestPoints.AodRegionDeg"/>, or the paper's U1 = [40, 60] deg.</summary>
    [JsonIgnore]
    public AngularRegion AodTestRegion => TestPoints?.AodRegionDeg is { Count: 2 } r ? AngularRegion.FromDegrees(r[0], r[1]) : PaperTestPoints.AodRegion;

    /// <summary>The position test point p, m: <see cref="ScenarioTestPoints.Position"/>, or the centre of the area P.</summary>
    [JsonIgnore]
    public PlanePoint PositionTestPoint => TestPoints?.Position ?? PositionPrior.Center;

    /// <summary>I, the number of BSs.</summary>
    [JsonIgnore]
    public int BaseStationCount => BaseStations.Count;

    /// <summary>
    /// Checks every value; throws <see cref="ScenarioException"/> naming the first bad one by its JSON path
    /// and saying what was expected. Returns this scenario, so that calls can be chained.
    /// </summary>
    public Scenario Validate()
    {
        Require(BaseStations is not null, "baseStations", "is missing: expected a list of at least one BS");
        Require(BaseStations!.Count >= 1, "baseStations", "is empty: expected at least one BS");
        for (int i = 0; i < BaseStations.Count; i++)
        {
            BaseStation? bs = BaseStations[i];
            string path = $"baseStations[{i}]";
            Require(bs is not null, path, "is null: expected {\"position\": {\"x\": .., \"y\": ..}, \"orientationDeg\": ..}");
            Finite(bs!.Position.X, $"{path}.position.x");
            Finite(bs.Position.Y, $"{path}.position.y");
            Range(bs.OrientationDeg, -90, 90, $"{path}.orientationDeg", "degrees in [-90, 90]");
            for (int j = 0; j < i; j++)
            {
                Require(BaseStations[j].Position != bs.Position, $"{path}.position", $"= ({bs.Position.X}, {bs.Position.Y}) repeats baseStations[{j}]: expected distinct BS positions");
            }
        }

        Require(AntennaCount >= 2, "antennaCount", $"= {AntennaCount}: expected an integer >= 2");
        Require(TransmissionCount >= 2 && TransmissionCount % 2 == 0, "transmissionCount",
            $"= {TransmissionCount}: expected an even integer >= 2 (T/2 directional and T/2 derivative beams, eq. 8)");
        Require(double.IsFinite(WavelengthM) && WavelengthM > 0, "wavelengthM", $"= {WavelengthM}: expected a finite wavelength > 0 m");

        Require(SnrGridDb is not null && SnrGridDb.Count >= 1, "snrGridDb", "is missing or empty: expected at least one SNR in dB");
        for (int i = 0; i < SnrGridDb!.Count; i++)
        {
            Range(SnrGridDb[i], -100, 100, $"snrGridDb[{i}]", "dB in [-100, 100]");
        }

        ValidateAodPrior();
        ValidatePositionPrior();
        ValidateImpairments();
        ValidateTestPoints();
        return this;
    }

    private void ValidateTestPoints()
    {
        if (TestPoints is null)
        {
            return;
        }

        if (TestPoints.AodRegionDeg is IReadOnlyList<double> region)
        {
            Require(region.Count == 2, "testPoints.aodRegionDeg", $"has {region.Count} entries: expected [min, max] in degrees");
            Range(region[0], -90, 90, "testPoints.aodRegionDeg[0]", "degrees in (-90, 90)", open: true);
            Range(region[1], -90, 90, "testPoints.aodRegionDeg[1]", "degrees in (-90, 90)", open: true);
            Require(region[0] < region[1], "testPoints.aodRegionDeg", $"= [{region[0]}, {region[1]}]: expected min < max");
        }

        if (TestPoints.Position is PlanePoint p)
        {
            Finite(p.X, "testPoints.position.x");
            Finite(p.Y, "testPoints.position.y");
            PositionPrior prior = PositionPrior;
            Require(prior.Contains(p), "testPoints.position",
                $"= ({p.X}, {p.Y}) m lies outside the area P = [{prior.MinX:0.###}, {prior.MaxX:0.###}] x [{prior.MinY:0.###}, {prior.MaxY:0.###}] m: expected a point of P");
        }
    }

    private void ValidateAodPrior()
    {
        Require(AodPrior is not null, "aodPrior", "is null: expected an object");
        AodPrior p = AodPrior!;
        Range(p.MeanMinDeg, -90, 90, "aodPrior.meanMinDeg", "degrees in (-90, 90)", open: true);
        Range(p.MeanMaxDeg, -90, 90, "aodPrior.meanMaxDeg", "degrees in (-90, 90)", open: true);
        Require(p.MeanMinDeg <= p.MeanMaxDeg, "aodPrior.meanMaxDeg", $"= {p.MeanMaxDeg} < meanMinDeg = {p.MeanMinDeg}: expected meanMinDeg <= meanMaxDeg");
        Range(p.WidthMinDeg, 0, 180, "aodPrior.widthMinDeg", "degrees in (0, 180)", open: true);
        Range(p.WidthMaxDeg, 0, 180, "aodPrior.widthMaxDeg", "degrees in (0, 180)", open: true);
        Require(p.WidthMinDeg <= p.WidthMaxDeg, "aodPrior.widthMaxDeg", $"= {p.WidthMaxDeg} < widthMinDeg = {p.WidthMinDeg}: expected widthMinDeg <= widthMaxDeg");
        Require(p.MeanMinDeg - (p.WidthMaxDeg / 2) > -90 && p.MeanMaxDeg + (p.WidthMaxDeg / 2) < 90, "aodPrior",
            $"mean range [{p.MeanMinDeg}, {p.MeanMaxDeg}] deg +/- widthMaxDeg/2 = {p.WidthMaxDeg / 2} leaves (-90, 90) deg: expected every region inside the half plane");
    }

    private void ValidatePositionPrior()
    {
        Require(PositionPrior is not null, "positionPrior", "is null: expected an object");
        PositionPrior p = PositionPrior!;
        Finite(p.Center.X, "positionPrior.center.x");
        Finite(p.Center.Y, "positionPrior.center.y");
        Require(double.IsFinite(p.WidthM) && p.WidthM > 0, "positionPrior.widthM", $"= {p.WidthM}: expected a finite width > 0 m");
        Require(double.IsFinite(p.HeightM) && p.HeightM > 0, "positionPrior.heightM", $"= {p.HeightM}: expected a finite height > 0 m");
        Range(p.RegionHalfWidthDeg, 0, 90, "positionPrior.regionHalfWidthDeg", "degrees in (0, 90)", open: true);
        Range(p.CenterOffsetMaxDeg, 0, 90, "positionPrior.centerOffsetMaxDeg", "degrees in [0, 90)");
        for (int i = 0; i < BaseStations.Count; i++)
        {
            BaseStation bs = BaseStations[i];
            Require(bs.Position.Y < p.MinY || bs.Position.Y > p.MaxY || bs.Position.X < p.MinX || bs.Position.X > p.MaxX,
                "positionPrior", $"area [{p.MinX:0.###}, {p.MaxX:0.###}] x [{p.MinY:0.###}, {p.MaxY:0.###}] m contains baseStations[{i}]: expected the UE area to exclude every BS");
        }
    }

    private void ValidateImpairments()
    {
        Require(Impairments is not null, "impairments", "is null: expected an object");
        ImpairmentSettings im = Impairments!;
        Require(Enum.IsDefined(im.Kind), "impairments.kind", $"= {im.Kind}: expected none, spacing or coupling");
        Require(im.Spacing is not null, "impairments.spacing", "is null: expected an object");
        Range(im.Spacing!.StdDevWavelengths, 0, 0.5, "impairments.spacing.stdDevWavelengths", "sigma_lambda / lambda in [0, 0.5)");
        Require(im.Spacing.StdDevWavelengths < 0.5, "impairments.spacing.stdDevWavelengths", $"= {im.Spacing.StdDevWavelengths}: expected sigma_lambda / lambda < 0.5");
        Require(Enum.IsDefined(im.Spacing.Model), "impairments.spacing.model", $"= {im.Spacing.Model}: expected paper or cumulative");

        MutualCouplingSettings? c = im.Coupling;
        Require(c is not null, "impairments.coupling", "is null: expected an object");
        Require(c!.Magnitudes is not null && c.Magnitudes.Count >= 1, "impairments.coupling.magnitudes", "is missing or empty: expected |c_0| = 1, |c_1|, ..., |c_M|");
        Require(c.PhasesDeg is not null && c.PhasesDeg.Count == c.Magnitudes!.Count, "impairments.coupling.phasesDeg",
            $"has {c.PhasesDeg?.Count ?? 0} entries: expected one phase per magnitude ({c.Magnitudes!.Count})");
        Require(c.Magnitudes.Count <= AntennaCount, "impairments.coupling.magnitudes",
            $"has {c.Magnitudes.Count} entries: expected at most antennaCount = {AntennaCount} (band M < N)");
        Require(c.Magnitudes[0] == 1.0, "impairments.coupling.magnitudes[0]", $"= {c.Magnitudes[0]}: expected c_0 = 1");
        for (int k = 1; k < c.Magnitudes.Count; k++)
        {
            double previous = c.Magnitudes[k - 1];
            Require(double.IsFinite(c.Magnitudes[k]) && c.Magnitudes[k] > 0 && c.Magnitudes[k] < previous, $"impairments.coupling.magnitudes[{k}]",
                $"= {c.Magnitudes[k]}: expected 0 < |c_{k}| < |c_{k - 1}| = {previous} (section II-B2)");
        }

        for (int k = 0; k < c.PhasesDeg!.Count; k++)
        {
            Finite(c.PhasesDeg[k], $"impairments.coupling.phasesDeg[{k}]");
        }

        if (c.DecayZeta is double zeta)
        {
            Require(double.IsFinite(zeta) && zeta > 0, "impairments.coupling.decayZeta", $"= {zeta}: expected a finite zeta > 0 (docs/conventions.md point 8)");
        }
    }

    private static void Require(bool condition, string path, string message)
    {
        if (!condition)
        {
            throw new ScenarioException(path, message);
        }
    }

    private static void Finite(double value, string path) =>
        Require(double.IsFinite(value), path, $"= {value}: expected a finite number");

    private static void Range(double value, double min, double max, string path, string expected, bool open = false)
    {
        bool inside = open ? value > min && value < max : value >= min && value <= max;
        Require(double.IsFinite(value) && inside, path, $"= {value}: expected {expected}");
    }

    /// <summary>BS <paramref name="index"/> (0-based), with a clear error when out of range.</summary>
    public BaseStation GetBaseStation(int index)
    {
        if (index < 0 || index >= BaseStations.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"BS index {index}: expected 0..{BaseStations.Count - 1} (I = {BaseStations.Count}).");
        }

        return BaseStations[index];
    }

    /// <summary>
    /// The AoD regions U_i = theta_i(p) +/- RegionHalfWidthDeg of every BS for a UE at <paramref name="position"/>
    /// (docs/conventions.md point 11), rad.
    /// </summary>
    public AngularRegion[] PositionRegions(PlanePoint position)
    {
        double halfWidth = Units.DegreesToRadians(PositionPrior.RegionHalfWidthDeg);
        var regions = new AngularRegion[BaseStations.Count];
        for (int i = 0; i < regions.Length; i++)
        {
            double theta = BaseStations[i].AodOf(position);
            if (Math.Abs(theta) + halfWidth >= Math.PI / 2)
            {
                throw new ArgumentException(
                    $"position ({position.X}, {position.Y}) m is at AoD {Units.RadiansToDegrees(theta):0.##} deg from BS {i + 1}: expected |AoD| + {PositionPrior.RegionHalfWidthDeg} deg < 90 deg, so that U_{i + 1} lies in front of the array.",
                    nameof(position));
            }

            regions[i] = AngularRegion.Around(theta, halfWidth);
        }

        return regions;
    }
}
