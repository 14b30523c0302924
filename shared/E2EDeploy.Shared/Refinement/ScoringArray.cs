using System.Numerics;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Refinement;

/// <summary>
/// The UE's model of one BS's array for the Fisher-scoring steps (beyond the paper): a~(theta) = B a(theta) with
/// [a(theta)]_n = exp(j 2 pi x_n sin theta), element positions x [N_Tx] in wavelengths and a complex N_Tx x N_Tx
/// coupling B, kept as B^T (row-major, element (n, m) at n N_Tx + m), or none (B = I). "nominal" is the half-wavelength
/// ULA without coupling; "learned" is what e2e-train calibrate fitted to the training data (the training project's
/// LearnedArray holds the same numbers). Immutable and thread-safe.
/// </summary>
public sealed class ScoringArray
{
    private readonly double[] elementPositions;
    private readonly Complex[]? couplingTranspose;

    private ScoringArray(double[] elementPositionsWavelengths, Complex[]? couplingTranspose)
    {
        elementPositions = elementPositionsWavelengths;
        this.couplingTranspose = couplingTranspose;
    }

    /// <summary>N_Tx.</summary>
    public int ElementCount => elementPositions.Length;

    /// <summary>x_n, wavelengths, [N_Tx].</summary>
    public ReadOnlySpan<double> ElementPositionsWavelengths => elementPositions;

    /// <summary>B^T row-major [N_Tx * N_Tx], or empty when there is no coupling (B = I).</summary>
    public ReadOnlySpan<Complex> CouplingTranspose => couplingTranspose;

    /// <summary>Whether the model has a coupling matrix.</summary>
    public bool HasCoupling => couplingTranspose is not null;

    /// <summary>The half-wavelength ULA without coupling: x_n = n / 2, B = I.</summary>
    public static ScoringArray Nominal(int elementCount)
    {
        Guard.AtLeast(elementCount, 2, "element count");
        return new ScoringArray(Enumerable.Range(0, elementCount).Select(n => 0.5 * n).ToArray(), null);
    }

    /// <summary>
    /// An array of element positions <paramref name="elementPositionsWavelengths"/> [N_Tx] and coupling B^T
    /// <paramref name="couplingTranspose"/> [N_Tx * N_Tx] row-major (empty for none). Throws for a size mismatch or a
    /// value that is not finite.
    /// </summary>
    public static ScoringArray Create(ReadOnlySpan<double> elementPositionsWavelengths, ReadOnlySpan<Complex> couplingTranspose)
    {
        int n = elementPositionsWavelengths.Length;
        Guard.AtLeast(n, 2, "element count");
        Guard.AllFinite(elementPositionsWavelengths, nameof(elementPositionsWavelengths));
        if (!couplingTranspose.IsEmpty && couplingTranspose.Length != n * n)
        {
            throw new ArgumentException($"couplingTranspose has length {couplingTranspose.Length}: expected N_Tx * N_Tx = {n * n} (or empty for no coupling).", nameof(couplingTranspose));
        }

        Guard.AllFinite(couplingTranspose, nameof(couplingTranspose));
        return new ScoringArray(elementPositionsWavelengths.ToArray(), couplingTranspose.IsEmpty ? null : couplingTranspose.ToArray());
    }
}
