using E2EDeploy.Shared.Numerics;
using static TorchSharp.torch;

namespace E2EDeploy.Research.Networks;

/// <summary>
/// log I0(x) for x &gt;= 0, the modified Bessel function of the first kind and order 0, by the polynomial approximations
/// of Abramowitz and Stegun 9.8.1 (x &lt; 3.75, relative error below 1.6e-7) and 9.8.2 (x &gt;= 3.75, below 1.9e-7), with
/// the large branch in log form, x - log(x) / 2 + log(poly), so that it never overflows. The ONNX exporter writes the same
/// polynomials node by node (an ONNX graph of it existed until commit 1dd7aeb; docs/research-log.md). It is the likelihood of a unit-modulus gain with a uniform
/// phase: integrating exp(2 Re(e^-j phi b^H y) / sigma^2) over phi gives I0(2 |b^H y| / sigma^2).
/// </summary>
public static class LogBesselI0
{
    /// <summary>Where the two branches meet (<see cref="ModifiedBessel.Knee"/>).</summary>
    public const double Knee = ModifiedBessel.Knee;

    /// <summary>9.8.1 (<see cref="ModifiedBessel.SmallCoefficients"/>).</summary>
    public static IReadOnlyList<double> SmallCoefficients => ModifiedBessel.SmallCoefficients;

    /// <summary>9.8.2 (<see cref="ModifiedBessel.LargeCoefficients"/>).</summary>
    public static IReadOnlyList<double> LargeCoefficients => ModifiedBessel.LargeCoefficients;

    /// <summary>log I0(x) elementwise, any float dtype; x &gt;= 0. Each branch sees its input clamped to its side of the knee, so neither produces a NaN (nor a NaN gradient) where the other is chosen.</summary>
    public static Tensor Of(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        Tensor small = x.clamp_max(Knee) / Knee;
        Tensor smallLog = Horner(small * small, SmallCoefficients).log();
        Tensor large = x.clamp_min(Knee);
        Tensor largeLog = large - (large.log() * 0.5) + Horner(Knee / large, LargeCoefficients).log();
        return where(x < Knee, smallLog, largeLog).MoveToOuterDisposeScope();
    }

    /// <summary>log I0(x) in double precision: the shared <see cref="ModifiedBessel.LogI0"/>.</summary>
    public static double Of(double x) => ModifiedBessel.LogI0(x);

    private static Tensor Horner(Tensor t, IReadOnlyList<double> coefficients)
    {
        Tensor sum = (t * coefficients[^1]) + coefficients[^2];
        for (int k = coefficients.Count - 3; k >= 0; k--)
        {
            sum = (sum * t) + coefficients[k];
        }

        return sum;
    }
}
