using E2EDeploy.Shared.Antenna;
using E2EDeploy.Training.Channel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The UE's model of one BS's array response (beyond the paper): a~(theta) = B a(theta), a_n = exp(j 2 pi x_n sin theta),
/// with learnable element positions x [N_Tx] (wavelengths) and a learnable complex coupling B [N_Tx, N_Tx], stored as
/// B^T (real, imaginary). It starts from the nominal half-wavelength ULA (x_n = n / 2, B = I) and is learned from the
/// training data (<see cref="Training.ArrayCalibration"/>): it covers the spacing model of eq. (4) (element positions)
/// and the coupling model (B) exactly, so the UE never needs the true impairment. The steering formula is
/// <see cref="TorchChannel.Steering(Tensor, Tensor, Tensor?, Tensor?)"/>, the one the channel uses.
/// </summary>
public sealed class LearnedArray : nn.Module
{
    private readonly Parameter positions;
    private readonly Parameter couplingTransposeReal;
    private readonly Parameter couplingTransposeImaginary;

    /// <summary>Creates the nominal array of <paramref name="elementCount"/> elements.</summary>
    public LearnedArray(int elementCount)
        : base(nameof(LearnedArray))
    {
        if (elementCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(elementCount), elementCount, "expected an array of at least 2 elements.");
        }

        ElementCount = elementCount;
        float[] nominal = ArrayResponse.Nominal(elementCount).ElementPositionsWavelengths.ToArray().Select(x => (float)x).ToArray();
        positions = new Parameter(tensor(nominal));
        couplingTransposeReal = new Parameter(eye(elementCount, dtype: ScalarType.Float32));
        couplingTransposeImaginary = new Parameter(zeros(elementCount, elementCount, dtype: ScalarType.Float32));
        RegisterComponents();
    }

    /// <summary>N_Tx.</summary>
    public int ElementCount { get; }

    /// <summary>x [N_Tx], wavelengths.</summary>
    public Tensor Positions => positions;

    /// <summary>B^T, real part [N_Tx, N_Tx].</summary>
    public Tensor CouplingTransposeReal => couplingTransposeReal;

    /// <summary>B^T, imaginary part [N_Tx, N_Tx].</summary>
    public Tensor CouplingTransposeImaginary => couplingTransposeImaginary;

    /// <summary>a~(theta) as (real, imaginary), each [B, N_Tx]; theta [B] in rad.</summary>
    public (Tensor Real, Tensor Imaginary) Steering(Tensor thetaRad)
    {
        using var scope = NewDisposeScope();
        (Tensor re, Tensor im) = TorchChannel.Steering(thetaRad, positions * (float)(2 * Math.PI), couplingTransposeReal, couplingTransposeImaginary);
        return (re.MoveToOuterDisposeScope(), im.MoveToOuterDisposeScope());
    }

    /// <summary>d a~ / d theta as (real, imaginary), each [B, N_Tx]; theta [B] in rad.</summary>
    public (Tensor Real, Tensor Imaginary) SteeringDerivative(Tensor thetaRad)
    {
        using var scope = NewDisposeScope();
        (Tensor re, Tensor im) = TorchChannel.SteeringDerivative(thetaRad, positions * (float)(2 * Math.PI), couplingTransposeReal, couplingTransposeImaginary);
        return (re.MoveToOuterDisposeScope(), im.MoveToOuterDisposeScope());
    }
}

/// <summary>The UE's <see cref="LearnedArray"/> of every BS, BS 1 first; owns them (saved and loaded as one module).</summary>
public sealed class LearnedArrays : nn.Module
{
    private readonly ModuleList<LearnedArray> arrays;

    /// <summary>Creates <paramref name="baseStationCount"/> nominal arrays of <paramref name="elementCount"/> elements.</summary>
    public LearnedArrays(int baseStationCount, int elementCount)
        : base(nameof(LearnedArrays))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseStationCount, 1);
        arrays = new ModuleList<LearnedArray>(Enumerable.Range(0, baseStationCount).Select(_ => new LearnedArray(elementCount)).ToArray());
        RegisterComponents();
    }

    /// <summary>The array of BS <paramref name="bs"/> (0-based).</summary>
    public LearnedArray this[int bs] => arrays[bs];

    /// <summary>I.</summary>
    public int Count => arrays.Count;

    /// <summary>The arrays, BS 1 first.</summary>
    public IReadOnlyList<LearnedArray> All => [.. arrays];
}
