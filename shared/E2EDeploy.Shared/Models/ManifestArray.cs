using System.Numerics;
using E2EDeploy.Shared.Refinement;

namespace E2EDeploy.Shared.Models;

/// <summary>
/// One BS's UE array model in a manifest (<c>estimator.arrays[i]</c>), for an estimator whose Fisher-scoring steps the
/// runtime runs (<see cref="ManifestEstimator.RuntimeFisherScoringKind"/>): element positions x [N_Tx] in wavelengths and,
/// for a calibrated array, the coupling B^T [N_Tx * N_Tx] row-major as real and imaginary parts (both null for B = I).
/// The numbers are the float32 values of the trained model, written exactly.
/// </summary>
public sealed record ManifestArray(IReadOnlyList<double> ElementPositionsWavelengths, IReadOnlyList<double>? CouplingTransposeReal, IReadOnlyList<double>? CouplingTransposeImaginary)
{
    /// <summary>The array as the shared refinement takes it; throws <see cref="InvalidDataException"/> naming <paramref name="where"/> for inconsistent sizes or values.</summary>
    public ScoringArray ToScoringArray(string where)
    {
        if (ElementPositionsWavelengths is null || ElementPositionsWavelengths.Count < 2)
        {
            throw new InvalidDataException($"{where}: elementPositionsWavelengths has {ElementPositionsWavelengths?.Count ?? 0} values: expected N_Tx >= 2.");
        }

        int n = ElementPositionsWavelengths.Count;
        if ((CouplingTransposeReal is null) != (CouplingTransposeImaginary is null))
        {
            throw new InvalidDataException($"{where}: couplingTransposeReal and couplingTransposeImaginary: expected both (a coupled array) or neither (B = I).");
        }

        var coupling = Array.Empty<Complex>();
        if (CouplingTransposeReal is not null)
        {
            if (CouplingTransposeReal.Count != n * n || CouplingTransposeImaginary!.Count != n * n)
            {
                throw new InvalidDataException($"{where}: the coupling has {CouplingTransposeReal.Count} real and {CouplingTransposeImaginary!.Count} imaginary parts: expected N_Tx * N_Tx = {n * n} each.");
            }

            coupling = new Complex[n * n];
            for (int k = 0; k < coupling.Length; k++)
            {
                coupling[k] = new Complex(CouplingTransposeReal[k], CouplingTransposeImaginary[k]);
            }
        }

        try
        {
            return ScoringArray.Create([.. ElementPositionsWavelengths], coupling);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
    }
}
