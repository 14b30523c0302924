using System.Text.Json.Serialization;

namespace E2EDeploy.Shared.Models;

/// <summary>
/// The UE estimator of a model version (manifest.json's <c>estimator</c> object): which kind of estimator the estimator file
/// holds and what its graph takes and does. Manifests written before this object existed carry the same facts as separate
/// <c>estimator*</c> fields; <see cref="ModelManifest.Load"/> reads both.
/// </summary>
public sealed record ManifestEstimator
{
    /// <summary>The paper's learned UE decoder (Figs. 2 and 3) and nothing after it.</summary>
    public const string LearnedDecoderKind = "learned-decoder";

    /// <summary>The learned decoder followed by Fisher-scoring steps of the likelihood inside the graph (beyond the paper).</summary>
    public const string FisherScoringKind = "fisher-scoring";

    /// <summary>
    /// The learned decoder in the graph, followed by Fisher-scoring steps that the runtime runs (E2EDeploy.Shared's
    /// FisherScoringRefinement, in double precision) with the version's precoders and <see cref="Arrays"/>: the same
    /// estimator as <see cref="FisherScoringKind"/>, without the hundreds of graph nodes that make it slow at batch 1.
    /// The estimator file alone gives the decoder's estimate.
    /// </summary>
    public const string RuntimeFisherScoringKind = "fisher-scoring-runtime";

    /// <summary>
    /// The posterior mean E[p | y] on a grid (no learned decoder). No released model has it and the product no longer exports
    /// it (docs/research-log.md); a version that has it still loads.
    /// </summary>
    public const string PosteriorMeanKind = "posterior-mean";

    /// <summary>One of <see cref="Kinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// Whether the estimator takes the a-priori region(s) after y (input <c>y_xi</c>, <see cref="ModelContract"/>): the AoD
    /// estimator U, the position estimator every BS's U_i; false for the paper's estimator, which sees y only.
    /// </summary>
    public bool TakesRegion { get; init; }

    /// <summary>
    /// Whether the graph ends by projecting its estimate onto the prior's support: U (AoD) or the area P (position), as the ML
    /// estimators constrain theirs.
    /// </summary>
    public bool ProjectsOntoPrior { get; init; }

    /// <summary>Fisher-scoring steps after the learned decoder (<see cref="FisherScoringKind"/>, <see cref="RuntimeFisherScoringKind"/>); 0 otherwise.</summary>
    public int RefinementSteps { get; init; }

    /// <summary>Grid points per BS region of a <see cref="PosteriorMeanKind"/> estimator; 0 otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int GridPoints { get; init; }

    /// <summary>
    /// The UE's array model that a model-based step uses: "learned" (calibrated from the training data, e2e-train calibrate)
    /// or "nominal" (the half-wavelength ULA); null for a learned decoder alone.
    /// </summary>
    public string? Array { get; init; }

    /// <summary>
    /// The UE's array model of each BS, BS 1 first, for <see cref="RuntimeFisherScoringKind"/> with a "learned"
    /// <see cref="Array"/>; null otherwise (a "nominal" array is the half-wavelength ULA).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ManifestArray>? Arrays { get; init; }

    /// <summary>Whether the runtime runs the scoring steps after the graph (<see cref="RuntimeFisherScoringKind"/>).</summary>
    [JsonIgnore]
    public bool RuntimeScoring => Kind == RuntimeFisherScoringKind;

    /// <summary>The kinds a manifest may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [LearnedDecoderKind, FisherScoringKind, RuntimeFisherScoringKind, PosteriorMeanKind];

    /// <summary>
    /// The array model of each of <paramref name="baseStationCount"/> BSs with <paramref name="antennaCount"/> elements that a
    /// <see cref="RuntimeFisherScoringKind"/> estimator scores with; throws <see cref="InvalidDataException"/> naming
    /// <paramref name="where"/> when the manifest does not give them consistently.
    /// </summary>
    public IReadOnlyList<Refinement.ScoringArray> ScoringArrays(int baseStationCount, int antennaCount, string where)
    {
        if (Array == "nominal" && Arrays is null)
        {
            return Enumerable.Range(0, baseStationCount).Select(_ => Refinement.ScoringArray.Nominal(antennaCount)).ToArray();
        }

        if (Arrays is null || Arrays.Count != baseStationCount)
        {
            throw new InvalidDataException($"{where}: estimator.arrays has {Arrays?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} entries (array '{Array}'): expected one array model per BS, I = {baseStationCount}, or array 'nominal' without arrays.");
        }

        var arrays = new Refinement.ScoringArray[baseStationCount];
        for (int i = 0; i < baseStationCount; i++)
        {
            arrays[i] = Arrays[i].ToScoringArray($"{where}: estimator.arrays[{i}]");
            if (arrays[i].ElementCount != antennaCount)
            {
                throw new InvalidDataException($"{where}: estimator.arrays[{i}] has {arrays[i].ElementCount} elements: expected N_Tx = {antennaCount}.");
            }
        }

        return arrays;
    }

    /// <summary>
    /// The estimator that a manifest written before the <c>estimator</c> object describes with its separate fields
    /// (estimatorTakesRegion, estimatorProjectsOntoPrior, estimatorRefinementSteps, estimatorPosteriorGrid, estimatorArray).
    /// </summary>
    public static ManifestEstimator FromSeparateFields(bool takesRegion, bool projectsOntoPrior, int refinementSteps, int posteriorGrid, string? array) => new()
    {
        Kind = posteriorGrid > 0 ? PosteriorMeanKind : refinementSteps > 0 ? FisherScoringKind : LearnedDecoderKind,
        TakesRegion = takesRegion,
        ProjectsOntoPrior = projectsOntoPrior,
        RefinementSteps = refinementSteps,
        GridPoints = posteriorGrid,
        Array = array,
    };
}
