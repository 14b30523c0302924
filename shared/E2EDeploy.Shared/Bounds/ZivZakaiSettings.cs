using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The quadrature of the Ziv-Zakai bounds (<see cref="AodZivZakaiBound"/>, <see cref="PositionZivZakaiBound"/>) and of the
/// minimum error probability (<see cref="MinimumErrorProbability"/>). The defaults keep the bound's relative error below
/// 1 % (tests/E2EDeploy.Shared.Tests/Bounds: against finer settings and against brute-force Monte Carlo).
/// </summary>
/// <param name="DistanceNodes">Nodes of the integral over the separation h, log-spaced from far below the CRB to the prior's extent.</param>
/// <param name="PriorNodes">Gauss-Legendre nodes of the integral over the prior, per separation: along U for the AoD, per triangle side for the position.</param>
/// <param name="RadiusNodes">Gauss-Legendre nodes over the magnitude of the first matched-filter output.</param>
/// <param name="InnerNodes">Gauss-Legendre nodes over the magnitude of the second, on each side of the decision threshold.</param>
public sealed record ZivZakaiSettings(int DistanceNodes = 96, int PriorNodes = 12, int RadiusNodes = 16, int InnerNodes = 8)
{
    /// <summary>The defaults.</summary>
    public static ZivZakaiSettings Default { get; } = new();

    internal ZivZakaiSettings Validate()
    {
        Guard.AtLeast(DistanceNodes, 8, nameof(DistanceNodes));
        Guard.AtLeast(PriorNodes, 2, nameof(PriorNodes));
        Guard.AtLeast(RadiusNodes, 2, nameof(RadiusNodes));
        Guard.AtLeast(InnerNodes, 2, nameof(InnerNodes));
        return this;
    }
}
