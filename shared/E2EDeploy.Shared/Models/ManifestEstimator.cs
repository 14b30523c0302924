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
    /// The posterior mean E[p | y] on a grid (no learned decoder). No released model has it and the product no longer exports
    /// it (docs/research-log.md); a version that has it still loads.
    /// </summary>
    public const string PosteriorMeanKind = "posterior-mean";

    /// <summary>One of <see cref="LearnedDecoderKind"/>, <see cref="FisherScoringKind"/> or <see cref="PosteriorMeanKind"/>.</summary>
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

    /// <summary>Fisher-scoring steps after the learned decoder (<see cref="FisherScoringKind"/>); 0 otherwise.</summary>
    public int RefinementSteps { get; init; }

    /// <summary>Grid points per BS region of a <see cref="PosteriorMeanKind"/> estimator; 0 otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int GridPoints { get; init; }

    /// <summary>
    /// The UE's array model that a model-based step uses: "learned" (calibrated from the training data, e2e-train calibrate)
    /// or "nominal" (the half-wavelength ULA); null for a learned decoder alone.
    /// </summary>
    public string? Array { get; init; }

    /// <summary>The kinds a manifest may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [LearnedDecoderKind, FisherScoringKind, PosteriorMeanKind];

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
