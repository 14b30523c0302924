namespace E2EDeploy.Shared.Numerics;

/// <summary>
/// The modified Bessel function of the first kind and order 0 in the forms the non-coherent likelihood needs: the scaled
/// e^-x I0(x) and log I0(x), for x &gt;= 0, by the polynomial approximations of Abramowitz and Stegun 9.8.1 (x &lt; 3.75,
/// relative error of I0 below 1.6e-7) and 9.8.2 (x &gt;= 3.75, below 1.9e-7), the large branch kept in scaled form so that
/// neither overflows. Integrating exp(2 Re(e^-j phi b^H y) / sigma^2) over a uniform phase phi gives I0(2 |b^H y| / sigma^2):
/// the likelihood of a gain of known magnitude and unknown phase (docs/conventions.md point 12).
/// </summary>
public static class ModifiedBessel
{
    /// <summary>Where the two branches meet.</summary>
    public const double Knee = 3.75;

    /// <summary>9.8.1: I0(x) = sum_k c_k (x / 3.75)^(2k), lowest power first.</summary>
    public static IReadOnlyList<double> SmallCoefficients { get; } = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813];

    /// <summary>9.8.2: sqrt(x) e^-x I0(x) = sum_k c_k (3.75 / x)^k, lowest power first.</summary>
    public static IReadOnlyList<double> LargeCoefficients { get; } = [0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706, 0.02635537, -0.01647633, 0.00392377];

    /// <summary>e^-x I0(x) for x &gt;= 0 (the scaled function; 1 at 0, about 1 / sqrt(2 pi x) for large x).</summary>
    public static double ScaledI0(double x)
    {
        if (!(x >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "expected x >= 0.");
        }

        if (x < Knee)
        {
            double t = x / Knee;
            return Math.Exp(-x) * Horner(t * t, SmallCoefficients);
        }

        return Horner(Knee / x, LargeCoefficients) / Math.Sqrt(x);
    }

    /// <summary>log I0(x) for x &gt;= 0.</summary>
    public static double LogI0(double x)
    {
        if (!(x >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "expected x >= 0.");
        }

        if (x < Knee)
        {
            double t = x / Knee;
            return Math.Log(Horner(t * t, SmallCoefficients));
        }

        return x - (0.5 * Math.Log(x)) + Math.Log(Horner(Knee / x, LargeCoefficients));
    }

    /// <summary>The x &gt;= 0 with log I0(x) = <paramref name="value"/> (0 for value &lt;= 0), by Newton's method to a relative 1e-12.</summary>
    public static double InverseLogI0(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "expected a number.");
        }

        if (value <= 0)
        {
            return 0;
        }

        // Start from the branch that fits: log I0(x) ~ x^2 / 4 for small x, ~ x - log(2 pi x) / 2 for large x.
        double x = value < 1 ? 2 * Math.Sqrt(value) : value + (0.5 * Math.Log(2 * Math.PI * value));
        for (int iteration = 0; iteration < 60; iteration++)
        {
            // The slope d/dx log I0(x) = I1(x) / I0(x) by a central difference (the polynomials are smooth on each branch).
            double epsilon = 1e-6 * Math.Max(1, x);
            double low = Math.Max(x - epsilon, 0);
            double slope = (LogI0(x + epsilon) - LogI0(low)) / (x + epsilon - low);
            double step = (LogI0(x) - value) / Math.Max(slope, 1e-300);
            double next = Math.Max(x - step, 0.5 * x);
            if (Math.Abs(next - x) <= 1e-12 * Math.Max(1, x))
            {
                return next;
            }

            x = next;
        }

        return x;
    }

    private static double Horner(double t, IReadOnlyList<double> coefficients)
    {
        double sum = (t * coefficients[^1]) + coefficients[^2];
        for (int k = coefficients.Count - 3; k >= 0; k--)
        {
            sum = (sum * t) + coefficients[k];
        }

        return sum;
    }
}
