namespace E2EDeploy.Shared.Scenarios;

/// <summary>Which hardware impairment (section II-B) the true channel has.</summary>
public enum ImpairmentKind
{
    /// <summary>Ideal ULA with lambda/2 spacing.</summary>
    None,

    /// <summary>Array element spacing perturbation, eq. (4), docs/conventions.md point 7.</summary>
    Spacing,

    /// <summary>Mutual coupling a~ = B a, docs/conventions.md point 8.</summary>
    Coupling,
}

/// <summary>How perturbed spacings d_k become element positions (docs/conventions.md point 7).</summary>
public enum ElementPositionModel
{
    /// <summary>Element k &gt;= 1 at k * d_k (d_k the k-th spacing, from 1), element 0 at 0: the paper's printed formula (default).</summary>
    Paper,

    /// <summary>Element k at the sum of the first k spacings: the physical layout.</summary>
    Cumulative,
}

/// <summary>Spacing perturbation settings (eq. 4): d_k = lambda/2 + gamma_k, gamma_k ~ N(0, sigma_lambda^2).</summary>
public sealed record SpacingPerturbationSettings
{
    /// <summary>sigma_lambda / lambda (paper: 1/100).</summary>
    public double StdDevWavelengths { get; init; } = 0.01;

    /// <summary>Element-position model (docs/conventions.md point 7).</summary>
    public ElementPositionModel Model { get; init; } = ElementPositionModel.Paper;
}

/// <summary>
/// Mutual-coupling settings (section II-B2, IV-A, docs/conventions.md point 8): the coefficients
/// c_k = Magnitudes[k] * exp(j PhasesDeg[k]), k = 0..M, of the banded symmetric Toeplitz B.
/// With <see cref="DecayZeta"/> set, the magnitudes become exp(-zeta k) (the Fig. 10 family) and B is
/// rescaled to the Frobenius norm of the B built from <see cref="Magnitudes"/>.
/// </summary>
public sealed record MutualCouplingSettings
{
    /// <summary>|c_k|, k = 0..M (paper: 1, 0.9, 0.75, 0.55, 0.25).</summary>
    public IReadOnlyList<double> Magnitudes { get; init; } = [1.0, 0.9, 0.75, 0.55, 0.25];

    /// <summary>arg c_k in degrees, k = 0..M (paper: 0, -60, 45, -18, -30, i.e. 0, -pi/3, pi/4, -pi/10, -pi/6).</summary>
    public IReadOnlyList<double> PhasesDeg { get; init; } = [0.0, -60.0, 45.0, -18.0, -30.0];

    /// <summary>Decay parameter zeta &gt; 0 of the Fig. 10 family; null for the default coefficients.</summary>
    public double? DecayZeta { get; init; }
}

/// <summary>The impairment of the true channel and how to realise it.</summary>
public sealed record ImpairmentSettings
{
    /// <summary>Active impairment.</summary>
    public ImpairmentKind Kind { get; init; } = ImpairmentKind.None;

    /// <summary>Seed of the realisations; BS i draws from a seed derived from this one and i.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Spacing perturbation settings.</summary>
    public SpacingPerturbationSettings Spacing { get; init; } = new();

    /// <summary>Mutual coupling settings.</summary>
    public MutualCouplingSettings Coupling { get; init; } = new();
}
