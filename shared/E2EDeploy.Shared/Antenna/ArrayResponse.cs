using System.Buffers;
using System.Numerics;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Antenna;

/// <summary>
/// Steering vector of a linear array and its first two derivatives in theta (section II-B):
/// [a(theta)]_k = exp(j 2 pi x_k sin theta), with x_k the position of element k in wavelengths
/// (nominal ULA: x_k = k / 2, so [a]_k = exp(j pi k sin theta)), optionally followed by mutual
/// coupling, a~ = B a (docs/conventions.md point 8). Immutable and thread-safe; no allocation per call for N &lt;= 256.
/// </summary>
public sealed class ArrayResponse
{
    private const int StackLimit = 256;
    private readonly double[] elementPositions;

    private ArrayResponse(double[] elementPositionsWavelengths, MutualCoupling? coupling, ImpairmentKind kind, int? realizationSeed)
    {
        Guard.AtLeast(elementPositionsWavelengths.Length, 2, "element count");
        Guard.AllFinite(elementPositionsWavelengths, nameof(elementPositionsWavelengths));
        if (coupling is not null && coupling.ElementCount != elementPositionsWavelengths.Length)
        {
            throw new ArgumentException($"coupling is for {coupling.ElementCount} elements: expected {elementPositionsWavelengths.Length}.", nameof(coupling));
        }

        elementPositions = elementPositionsWavelengths;
        Coupling = coupling;
        Impairment = kind;
        RealizationSeed = realizationSeed;
    }

    /// <summary>N_Tx, the number of elements.</summary>
    public int ElementCount => elementPositions.Length;

    /// <summary>x_k, element positions in wavelengths, [N_Tx].</summary>
    public ReadOnlySpan<double> ElementPositionsWavelengths => elementPositions;

    /// <summary>Mutual coupling B, or null.</summary>
    public MutualCoupling? Coupling { get; }

    /// <summary>Which impairment this array carries.</summary>
    public ImpairmentKind Impairment { get; }

    /// <summary>Seed of the spacing realisation, when random; null otherwise.</summary>
    public int? RealizationSeed { get; }

    /// <summary>The ideal ULA with lambda/2 spacing: [a(theta)]_k = exp(j pi k sin theta), k = 0..N-1 (section II-B).</summary>
    public static ArrayResponse Nominal(int elementCount)
    {
        Guard.AtLeast(elementCount, 2);
        var positions = new double[elementCount];
        for (int k = 0; k < elementCount; k++)
        {
            positions[k] = 0.5 * k;
        }

        return new ArrayResponse(positions, null, ImpairmentKind.None, null);
    }

    /// <summary>An array with perturbed element spacings (eq. 4, docs/conventions.md point 7).</summary>
    public static ArrayResponse WithSpacing(SpacingPerturbation perturbation)
    {
        ArgumentNullException.ThrowIfNull(perturbation);
        return new ArrayResponse(perturbation.ElementPositionsWavelengths().ToArray(), null, ImpairmentKind.Spacing, perturbation.Seed);
    }

    /// <summary>The nominal ULA followed by mutual coupling: a~ = B a (docs/conventions.md point 8).</summary>
    public static ArrayResponse WithCoupling(MutualCoupling coupling)
    {
        ArgumentNullException.ThrowIfNull(coupling);
        return new ArrayResponse(Nominal(coupling.ElementCount).elementPositions, coupling, ImpairmentKind.Coupling, null);
    }

    /// <summary>Writes a~(theta) into <paramref name="steering"/> [N_Tx].</summary>
    public void Steering(double thetaRad, Span<Complex> steering) => Evaluate(thetaRad, steering, default, default);

    /// <summary>Writes d a~ / d theta into <paramref name="derivative"/> [N_Tx], rad^-1.</summary>
    public void SteeringDerivative(double thetaRad, Span<Complex> derivative) => Evaluate(thetaRad, default, derivative, default);

    /// <summary>
    /// Writes a~(theta), d a~/d theta and d^2 a~/d theta^2 into the spans that are not empty (each [N_Tx]).
    /// With x_k the element position in wavelengths and phi_k = 2 pi x_k:
    /// a_k = exp(j phi_k sin theta), a'_k = j phi_k cos theta a_k, a''_k = (-(phi_k cos theta)^2 - j phi_k sin theta) a_k,
    /// each then multiplied by B when there is coupling.
    /// </summary>
    public void Evaluate(double thetaRad, Span<Complex> steering, Span<Complex> derivative, Span<Complex> secondDerivative)
    {
        int n = ElementCount;
        CheckLength(steering, nameof(steering));
        CheckLength(derivative, nameof(derivative));
        CheckLength(secondDerivative, nameof(secondDerivative));
        if (!double.IsFinite(thetaRad))
        {
            throw new ArgumentOutOfRangeException(nameof(thetaRad), thetaRad, $"thetaRad = {thetaRad}: expected a finite angle in radians.");
        }

        if (Coupling is null)
        {
            EvaluateUncoupled(thetaRad, steering, derivative, secondDerivative);
            return;
        }

        Complex[]? rented = n * 3 > StackLimit ? ArrayPool<Complex>.Shared.Rent(3 * n) : null;
        Span<Complex> scratch = rented is null ? stackalloc Complex[3 * n] : rented.AsSpan(0, 3 * n);
        try
        {
            Span<Complex> a = steering.IsEmpty ? default : scratch[..n];
            Span<Complex> da = derivative.IsEmpty ? default : scratch.Slice(n, n);
            Span<Complex> d2a = secondDerivative.IsEmpty ? default : scratch.Slice(2 * n, n);
            EvaluateUncoupled(thetaRad, a, da, d2a);
            if (!steering.IsEmpty)
            {
                Coupling.Apply(a, steering);
            }

            if (!derivative.IsEmpty)
            {
                Coupling.Apply(da, derivative);
            }

            if (!secondDerivative.IsEmpty)
            {
                Coupling.Apply(d2a, secondDerivative);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Complex>.Shared.Return(rented);
            }
        }
    }

    private void EvaluateUncoupled(double thetaRad, Span<Complex> steering, Span<Complex> derivative, Span<Complex> secondDerivative)
    {
        (double sin, double cos) = Math.SinCos(thetaRad);
        for (int k = 0; k < elementPositions.Length; k++)
        {
            double phi = 2.0 * Math.PI * elementPositions[k];
            (double s, double c) = Math.SinCos(phi * sin);
            var a = new Complex(c, s);
            if (!steering.IsEmpty)
            {
                steering[k] = a;
            }

            if (!derivative.IsEmpty)
            {
                derivative[k] = new Complex(0, phi * cos) * a;
            }

            if (!secondDerivative.IsEmpty)
            {
                double pc = phi * cos;
                secondDerivative[k] = new Complex(-pc * pc, -phi * sin) * a;
            }
        }
    }

    private void CheckLength(Span<Complex> span, string name)
    {
        if (!span.IsEmpty && span.Length != ElementCount)
        {
            throw new ArgumentException($"{name} has length {span.Length}: expected N_Tx = {ElementCount} (or empty to skip it).", name);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Impairment switch
    {
        ImpairmentKind.Spacing => $"ULA N={ElementCount}, spacing perturbation (seed {RealizationSeed})",
        ImpairmentKind.Coupling => $"ULA N={ElementCount}, mutual coupling",
        _ => $"ULA N={ElementCount}, nominal",
    };
}
