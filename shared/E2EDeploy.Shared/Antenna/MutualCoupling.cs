using System.Numerics;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Antenna;

/// <summary>
/// Mutual coupling (section II-B2, docs/conventions.md point 8): B is the banded symmetric (not Hermitian)
/// Toeplitz matrix with B[m, n] = c_|m-n| for |m - n| &lt;= M and 0 otherwise; a~ = B a.
/// Immutable and thread-safe.
/// </summary>
public sealed class MutualCoupling
{
    private readonly Complex[] coefficients;

    /// <summary>Creates B for <paramref name="elementCount"/> elements from c_0..c_M.</summary>
    public MutualCoupling(int elementCount, ReadOnlySpan<Complex> coefficients)
    {
        Guard.AtLeast(elementCount, 2);
        Guard.AtLeast(coefficients.Length, 1, "coefficient count (M + 1)");
        Guard.AllFinite(coefficients);
        if (coefficients.Length > elementCount)
        {
            throw new ArgumentException($"{coefficients.Length} coefficients: expected at most N = {elementCount} (M < N).", nameof(coefficients));
        }

        ElementCount = elementCount;
        this.coefficients = coefficients.ToArray();
    }

    /// <summary>N, the size of B.</summary>
    public int ElementCount { get; }

    /// <summary>c_0..c_M (after any Frobenius rescaling).</summary>
    public ReadOnlySpan<Complex> Coefficients => coefficients;

    /// <summary>M, the half-bandwidth.</summary>
    public int Bandwidth => coefficients.Length - 1;

    /// <summary>||B||_F = sqrt(N |c_0|^2 + sum_k 2 (N - k) |c_k|^2).</summary>
    public double FrobeniusNorm => FrobeniusNormOf(ElementCount, coefficients);

    /// <summary>
    /// B from scenario settings: c_k = |c_k| exp(j phase_k), or, with zeta set, the Fig. 10 family
    /// |c_k| = exp(-zeta k) with the same phases, rescaled to the Frobenius norm of the B built from the
    /// settings' magnitudes (docs/conventions.md point 8).
    /// </summary>
    public static MutualCoupling FromSettings(int elementCount, MutualCouplingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Magnitudes.Count != settings.PhasesDeg.Count)
        {
            throw new ArgumentException($"{settings.Magnitudes.Count} magnitudes and {settings.PhasesDeg.Count} phases: expected one phase per magnitude.", nameof(settings));
        }

        int count = settings.Magnitudes.Count;
        var reference = new Complex[count];
        for (int k = 0; k < count; k++)
        {
            reference[k] = Complex.FromPolarCoordinates(settings.Magnitudes[k], Units.DegreesToRadians(settings.PhasesDeg[k]));
        }

        if (settings.DecayZeta is not double zeta)
        {
            return new MutualCoupling(elementCount, reference);
        }

        Guard.Positive(zeta, "decayZeta");
        var decayed = new Complex[count];
        for (int k = 0; k < count; k++)
        {
            decayed[k] = Complex.FromPolarCoordinates(Math.Exp(-zeta * k), Units.DegreesToRadians(settings.PhasesDeg[k]));
        }

        double scale = FrobeniusNormOf(elementCount, reference) / FrobeniusNormOf(elementCount, decayed);
        for (int k = 0; k < count; k++)
        {
            decayed[k] *= scale;
        }

        return new MutualCoupling(elementCount, decayed);
    }

    /// <summary>The paper's default coefficients (section IV-A) for <paramref name="elementCount"/> elements.</summary>
    public static MutualCoupling Default(int elementCount) => FromSettings(elementCount, new MutualCouplingSettings());

    /// <summary>Writes B x into <paramref name="destination"/> (both [N]; they must not overlap).</summary>
    public void Apply(ReadOnlySpan<Complex> x, Span<Complex> destination)
    {
        Guard.Length(x, ElementCount, "[N]");
        if (destination.Length != ElementCount)
        {
            throw new ArgumentException($"destination has length {destination.Length}: expected N = {ElementCount}.", nameof(destination));
        }

        int n = ElementCount;
        int m = Bandwidth;
        for (int row = 0; row < n; row++)
        {
            int lo = Math.Max(0, row - m);
            int hi = Math.Min(n - 1, row + m);
            Complex sum = Complex.Zero;
            for (int col = lo; col <= hi; col++)
            {
                sum += coefficients[Math.Abs(row - col)] * x[col];
            }

            destination[row] = sum;
        }
    }

    /// <summary>B as a dense N x N matrix.</summary>
    public Complex[,] ToMatrix()
    {
        var b = new Complex[ElementCount, ElementCount];
        for (int row = 0; row < ElementCount; row++)
        {
            for (int col = Math.Max(0, row - Bandwidth); col <= Math.Min(ElementCount - 1, row + Bandwidth); col++)
            {
                b[row, col] = coefficients[Math.Abs(row - col)];
            }
        }

        return b;
    }

    private static double FrobeniusNormOf(int n, ReadOnlySpan<Complex> c)
    {
        double sum = 0;
        for (int k = 0; k < c.Length; k++)
        {
            double magnitude2 = (c[k].Real * c[k].Real) + (c[k].Imaginary * c[k].Imaginary);
            sum += (k == 0 ? n : 2 * (n - k)) * magnitude2;
        }

        return Math.Sqrt(sum);
    }
}
