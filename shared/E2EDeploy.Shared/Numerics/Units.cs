namespace E2EDeploy.Shared.Numerics;

/// <summary>Unit conversions used throughout the project (degrees, radians, decibels).</summary>
public static class Units
{
    /// <summary>Converts an angle from degrees to radians.</summary>
    public static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180.0);

    /// <summary>Converts an angle from radians to degrees.</summary>
    public static double RadiansToDegrees(double radians) => radians * (180.0 / Math.PI);

    /// <summary>Converts a power ratio in dB to a linear ratio: 10^(dB/10).</summary>
    public static double DecibelsToLinear(double decibels) => Math.Pow(10.0, decibels / 10.0);

    /// <summary>Wraps an angle in radians to (-pi, pi].</summary>
    public static double WrapToPi(double radians)
    {
        double wrapped = Math.IEEERemainder(radians, 2.0 * Math.PI);
        return wrapped <= -Math.PI ? wrapped + 2.0 * Math.PI : wrapped;
    }
}
