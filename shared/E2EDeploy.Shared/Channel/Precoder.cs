using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Channel;

/// <summary>
/// A precoder matrix F = [f_1 ... f_T] in C^{N_Tx x T} (eq. 2), stored row-major: element (n, t) at
/// index n * T + t, the same order as the ONNX layout [2, N_Tx, T] (real parts, then imaginary parts).
/// Immutable and thread-safe.
/// </summary>
public sealed class Precoder
{
    private readonly Complex[] values;

    /// <summary>Creates a precoder from values [N_Tx, T], row-major.</summary>
    public Precoder(int antennaCount, int transmissionCount, ReadOnlySpan<Complex> values)
    {
        Guard.AtLeast(antennaCount, 1);
        Guard.AtLeast(transmissionCount, 1);
        Guard.Length(values, antennaCount * transmissionCount, $"[N_Tx = {antennaCount}, T = {transmissionCount}] row-major");
        Guard.AllFinite(values);
        AntennaCount = antennaCount;
        TransmissionCount = transmissionCount;
        this.values = values.ToArray();
    }

    /// <summary>N_Tx, rows.</summary>
    public int AntennaCount { get; }

    /// <summary>T, columns (transmissions).</summary>
    public int TransmissionCount { get; }

    /// <summary>F as [N_Tx, T] row-major.</summary>
    public ReadOnlySpan<Complex> Values => values;

    /// <summary>F[n, t].</summary>
    public Complex this[int antenna, int transmission] => values[(antenna * TransmissionCount) + transmission];

    /// <summary>||F||_F.</summary>
    public double FrobeniusNorm
    {
        get
        {
            double sum = 0;
            foreach (Complex v in values)
            {
                sum += (v.Real * v.Real) + (v.Imaginary * v.Imaginary);
            }

            return Math.Sqrt(sum);
        }
    }

    /// <summary>Creates a precoder from its columns f_1..f_T, each [N_Tx].</summary>
    public static Precoder FromColumns(IReadOnlyList<Complex[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Guard.AtLeast(columns.Count, 1, "column count");
        int n = columns[0].Length;
        int t = columns.Count;
        var values = new Complex[n * t];
        for (int col = 0; col < t; col++)
        {
            if (columns[col].Length != n)
            {
                throw new ArgumentException($"column {col} has length {columns[col].Length}: expected N_Tx = {n}.", nameof(columns));
            }

            for (int row = 0; row < n; row++)
            {
                values[(row * t) + col] = columns[col][row];
            }
        }

        return new Precoder(n, t, values);
    }

    /// <summary>F / ||F||_F, the unit-power normalisation of section III-A1 and III-C1.</summary>
    public Precoder Normalized()
    {
        double norm = FrobeniusNorm;
        if (!(norm > 0))
        {
            throw new InvalidOperationException("the precoder is all zeros: it cannot be normalised to unit Frobenius norm.");
        }

        var scaled = new Complex[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] / norm;
        }

        return new Precoder(AntennaCount, TransmissionCount, scaled);
    }

    /// <summary>F diag(w): column t scaled by <paramref name="columnScales"/>[t].</summary>
    public Precoder ScaleColumns(ReadOnlySpan<double> columnScales)
    {
        Guard.Length(columnScales, TransmissionCount, "[T]");
        var scaled = new Complex[values.Length];
        for (int row = 0; row < AntennaCount; row++)
        {
            for (int col = 0; col < TransmissionCount; col++)
            {
                int index = (row * TransmissionCount) + col;
                scaled[index] = values[index] * columnScales[col];
            }
        }

        return new Precoder(AntennaCount, TransmissionCount, scaled);
    }

    /// <summary>b = F^T x: b_t = sum_n F[n, t] x_n (eq. 2 without gain and noise). x [N_Tx], b [T].</summary>
    public void Response(ReadOnlySpan<Complex> x, Span<Complex> b)
    {
        if (x.Length != AntennaCount)
        {
            throw new ArgumentException($"x has length {x.Length}: expected N_Tx = {AntennaCount}.", nameof(x));
        }

        if (b.Length != TransmissionCount)
        {
            throw new ArgumentException($"b has length {b.Length}: expected T = {TransmissionCount}.", nameof(b));
        }

        ResponseUnchecked(values, AntennaCount, TransmissionCount, x, b);
    }

    /// <summary>
    /// The noiseless response through <paramref name="array"/> and its theta-derivatives:
    /// b = F^T a(theta), db = F^T a'(theta), d2b = F^T a''(theta), each [T]; empty spans are skipped.
    /// </summary>
    public void ResponseAt(ArrayResponse array, double thetaRad, Span<Complex> b, Span<Complex> db = default, Span<Complex> d2b = default)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.ElementCount != AntennaCount)
        {
            throw new ArgumentException($"the array has {array.ElementCount} elements: expected N_Tx = {AntennaCount}, the precoder's rows.", nameof(array));
        }

        int n = AntennaCount;
        Span<Complex> a = b.IsEmpty ? default : stackalloc Complex[n];
        Span<Complex> da = db.IsEmpty ? default : stackalloc Complex[n];
        Span<Complex> d2a = d2b.IsEmpty ? default : stackalloc Complex[n];
        array.Evaluate(thetaRad, a, da, d2a);
        if (!b.IsEmpty)
        {
            Response(a, b);
        }

        if (!db.IsEmpty)
        {
            Response(da, db);
        }

        if (!d2b.IsEmpty)
        {
            Response(d2a, d2b);
        }
    }

    /// <summary>The aggregate beam pattern ||F^T a(theta)||^2 (Figs. 4a, 5, 8) of this precoder through <paramref name="array"/>.</summary>
    public double BeamPattern(ArrayResponse array, double thetaRad)
    {
        Span<Complex> b = stackalloc Complex[TransmissionCount];
        ResponseAt(array, thetaRad, b);
        double sum = 0;
        foreach (Complex v in b)
        {
            sum += (v.Real * v.Real) + (v.Imaginary * v.Imaginary);
        }

        return sum;
    }

    /// <summary>b = F^T x for F given as [n, t] row-major values, without checks.</summary>
    internal static void ResponseUnchecked(ReadOnlySpan<Complex> f, int antennaCount, int transmissionCount, ReadOnlySpan<Complex> x, Span<Complex> b)
    {
        b.Clear();
        for (int row = 0; row < antennaCount; row++)
        {
            Complex xn = x[row];
            ReadOnlySpan<Complex> fRow = f.Slice(row * transmissionCount, transmissionCount);
            for (int col = 0; col < transmissionCount; col++)
            {
                b[col] += fRow[col] * xn;
            }
        }
    }
}
