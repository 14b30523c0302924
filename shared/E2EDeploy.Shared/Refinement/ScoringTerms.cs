namespace E2EDeploy.Shared.Refinement;

/// <summary>
/// The Fisher-scoring terms of one BS's observation at one angle theta (<see cref="FisherScoringRefinement.Terms"/>), each
/// multiplied by sigma^2 / 2, which cancels in a step: the score (the log-likelihood's gradient in theta), the Fisher
/// information, and eq. (11)'s objective |b^H y|^2 / ||b||^2.
/// </summary>
public readonly record struct ScoringTerms(double Score, double Information, double Correlation);
