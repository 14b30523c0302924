using System.Numerics;
using System.Runtime.CompilerServices;

namespace E2EDeploy.Shared.Numerics;

/// <summary>Argument checks that name the argument, the bad value and what was expected.</summary>
internal static class Guard
{
    public static void Finite(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value}: expected a finite number.");
        }
    }

    public static void AllFinite(ReadOnlySpan<double> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] = {values[i]}: expected a finite number.", name);
            }
        }
    }

    public static void AllFinite(ReadOnlySpan<Complex> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i].Real) || !double.IsFinite(values[i].Imaginary))
            {
                throw new ArgumentException($"{name}[{i}] = {values[i]}: expected a finite complex number.", name);
            }
        }
    }

    public static void Positive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value}: expected a finite number > 0.");
        }
    }

    public static void AtLeast(int value, int minimum, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value}: expected an integer >= {minimum}.");
        }
    }

    public static void Length<T>(ReadOnlySpan<T> span, int expected, string shape, [CallerArgumentExpression(nameof(span))] string? name = null)
    {
        if (span.Length != expected)
        {
            throw new ArgumentException($"{name} has length {span.Length}: expected {expected} ({shape}).", name);
        }
    }

    public static void AngleInsideHalfPlane(double radians, [CallerArgumentExpression(nameof(radians))] string? name = null)
    {
        if (!double.IsFinite(radians) || Math.Abs(radians) >= Math.PI / 2)
        {
            throw new ArgumentOutOfRangeException(name, radians,
                $"{name} = {radians} rad ({Units.RadiansToDegrees(radians):0.###} deg): expected a finite angle with |theta| < 90 deg.");
        }
    }
}
