using System.Numerics;
using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Models;

/// <summary>
/// Converts between the simulator's complex values and the contract's float32 rows (<see cref="ModelContract"/>):
/// a complex vector of length L becomes L real parts followed by L imaginary parts.
/// </summary>
public static class ContractLayout
{
    /// <summary>Writes xi = [theta_min, theta_max, (theta_max - theta_min) / 2] (eq. 5) into <paramref name="row"/> [3].</summary>
    public static void WriteRegion(AngularRegion region, Span<float> row)
    {
        (double min, double max, double half) = region.Xi;
        row[0] = (float)min;
        row[1] = (float)max;
        row[2] = (float)half;
    }

    /// <summary>
    /// Writes <paramref name="values"/> (length L) as L real parts then L imaginary parts into <paramref name="row"/> [2L].
    /// Returns the index of the first non-finite value, or -1.
    /// </summary>
    public static int WriteComplex(ReadOnlySpan<Complex> values, Span<float> row)
    {
        int length = values.Length;
        int bad = -1;
        for (int k = 0; k < length; k++)
        {
            Complex v = values[k];
            if (bad < 0 && !(double.IsFinite(v.Real) && double.IsFinite(v.Imaginary)))
            {
                bad = k;
            }

            row[k] = (float)v.Real;
            row[length + k] = (float)v.Imaginary;
        }

        return bad;
    }

    /// <summary>Reads L complex values from a row of L real parts then L imaginary parts.</summary>
    public static void ReadComplex(ReadOnlySpan<float> row, Span<Complex> values)
    {
        int length = values.Length;
        for (int k = 0; k < length; k++)
        {
            values[k] = new Complex(row[k], row[length + k]);
        }
    }
}
