// Shared by the position diagnostics in experiments/ (compiled into each of them; not part of the solution or CI).
using E2EDeploy.Inference;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;

/// <summary>
/// A deployed position model version with two BSs (a folder of models/ or of a scratch registry): its scenario, the
/// true arrays of its impairment draws, and loaders for its precoders and estimator.
/// </summary>
internal sealed record PositionVersion(string Folder, Scenario Scenario, InferenceOptions Options, ArrayResponse[] Arrays)
{
    /// <summary>The version in <paramref name="folder"/>, or null, with the reason on stderr, unless it is a position model with 2 BSs.</summary>
    public static PositionVersion? Load(string folder)
    {
        string path = Path.Combine(folder, "manifest.json");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: '{folder}' has no manifest.json: expected a model version folder such as models/position-none-snr05/v1.");
            return null;
        }

        ModelManifest manifest = ModelManifest.Load(path);
        if (manifest.Task != "position" || manifest.BaseStationCount != 2)
        {
            Console.Error.WriteLine($"error: {folder} is a {manifest.Task} model with {manifest.BaseStationCount} BSs: expected a position model with 2 BSs.");
            return null;
        }

        Scenario scenario = manifest.Scenario;
        return new PositionVersion(folder, scenario, new InferenceOptions { Scenario = scenario }, ArrayRealizations.ForAllBaseStations(scenario));
    }

    /// <summary>The deployed precoder of BS <paramref name="baseStation"/> (1-based); the caller disposes it.</summary>
    public BsPrecoder LoadPrecoder(int baseStation) => BsPrecoder.Load(ModelReference.Version(Folder, baseStation), Options);

    /// <summary>The deployed position estimator; the caller disposes it.</summary>
    public UePositionEstimator LoadEstimator() => UePositionEstimator.Load(ModelReference.Version(Folder), Options);

    /// <summary>
    /// The paper's position test point p = [0.5, 5] m, its regions U_i = theta_i(p) +/- 15 deg (docs/conventions.md point 11) and
    /// the deployed precoders for them.
    /// </summary>
    public (PlanePoint Point, AngularRegion[] Regions, Precoder[] Precoders) AtTestPoint()
    {
        PlanePoint point = PaperTestPoints.Position;
        AngularRegion[] regions = Scenario.PositionRegions(point);
        return (point, regions, Precoders(regions));
    }

    /// <summary>Both BSs' precoders F_i for the regions U_i (rad, [2]).</summary>
    public Precoder[] Precoders(IReadOnlyList<AngularRegion> regions)
    {
        var precoders = new Precoder[2];
        for (int i = 0; i < 2; i++)
        {
            using BsPrecoder precoder = LoadPrecoder(i + 1);
            precoders[i] = precoder.Compute(regions[i]);
        }

        return precoders;
    }
}
