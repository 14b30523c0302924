namespace E2EDeploy.Cli.Commands;

/// <summary>The numbers of one line, in buffers that a stream reuses for every line.</summary>
internal sealed class LineValues(int bsCount, int t)
{
    /// <summary>Re y, [I * T].</summary>
    public double[] Real { get; } = new double[bsCount * t];

    /// <summary>Im y, [I * T].</summary>
    public double[] Imaginary { get; } = new double[bsCount * t];

    /// <summary>theta_min, theta_max of each BS's region, [2I], rad.</summary>
    public double[] RegionBounds { get; } = new double[2 * bsCount];

    /// <summary>theta_min of the line's region, rad.</summary>
    public double ThetaMin { get; set; }

    /// <summary>theta_max of the line's region, rad.</summary>
    public double ThetaMax { get; set; }
}
