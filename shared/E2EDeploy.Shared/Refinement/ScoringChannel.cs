using System.Numerics;

namespace E2EDeploy.Shared.Refinement;

/// <summary>
/// What one BS's Fisher-scoring terms need, for one precoder F [N_Tx, T] and one <see cref="ScoringArray"/>: the phase
/// scales phi_n = 2 pi x_n and G = B^T F [N_Tx, T], so that b(theta) = F^T a~(theta) = G^T a(theta) and
/// d(theta) = G^T da/dtheta (docs/conventions.md point 3). A reusable workspace: <see cref="Load"/> overwrites it without
/// allocating; not thread-safe (one per thread).
/// </summary>
public sealed class ScoringChannel
{
    private readonly double[] phaseScales;
    private readonly double[] gReal;
    private readonly double[] gImaginary;

    /// <summary>A channel of <paramref name="antennaCount"/> antennas and <paramref name="transmissionCount"/> transmissions; <see cref="Load"/> it before use.</summary>
    public ScoringChannel(int antennaCount, int transmissionCount)
    {
        Numerics.Guard.AtLeast(antennaCount, 2, "antenna count");
        Numerics.Guard.AtLeast(transmissionCount, 1, "transmission count");
        AntennaCount = antennaCount;
        TransmissionCount = transmissionCount;
        phaseScales = new double[antennaCount];
        gReal = new double[antennaCount * transmissionCount];
        gImaginary = new double[antennaCount * transmissionCount];
    }

    /// <summary>N_Tx.</summary>
    public int AntennaCount { get; }

    /// <summary>T.</summary>
    public int TransmissionCount { get; }

    /// <summary>phi_n = 2 pi x_n, rad, [N_Tx].</summary>
    internal ReadOnlySpan<double> PhaseScales => phaseScales;

    /// <summary>Re G, [N_Tx, T] row-major.</summary>
    internal ReadOnlySpan<double> GReal => gReal;

    /// <summary>Im G, [N_Tx, T] row-major.</summary>
    internal ReadOnlySpan<double> GImaginary => gImaginary;

    /// <summary>Sets the channel to <paramref name="array"/> and the precoder <paramref name="precoder"/> [N_Tx * T] row-major (element (n, t) at n T + t).</summary>
    public void Load(ScoringArray array, ReadOnlySpan<Complex> precoder)
    {
        ArgumentNullException.ThrowIfNull(array);
        int n = AntennaCount;
        int t = TransmissionCount;
        if (array.ElementCount != n)
        {
            throw new ArgumentException($"the array has {array.ElementCount} elements: expected N_Tx = {n}.", nameof(array));
        }

        if (precoder.Length != n * t)
        {
            throw new ArgumentException($"precoder has length {precoder.Length}: expected N_Tx * T = {n * t}.", nameof(precoder));
        }

        ReadOnlySpan<double> positions = array.ElementPositionsWavelengths;
        for (int k = 0; k < n; k++)
        {
            phaseScales[k] = 2.0 * Math.PI * positions[k];
        }

        ReadOnlySpan<Complex> coupling = array.CouplingTranspose;
        for (int row = 0; row < n; row++)
        {
            for (int column = 0; column < t; column++)
            {
                Complex sum = coupling.IsEmpty ? precoder[(row * t) + column] : Complex.Zero;
                if (!coupling.IsEmpty)
                {
                    for (int m = 0; m < n; m++)
                    {
                        sum += coupling[(row * n) + m] * precoder[(m * t) + column];
                    }
                }

                gReal[(row * t) + column] = sum.Real;
                gImaginary[(row * t) + column] = sum.Imaginary;
            }
        }
    }
}
