using E2EDeploy.Shared.Antenna;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Channel;

/// <summary>
/// The differentiable MISO downlink of one BS in TorchSharp, float32 and batched: eq. (1)-(2) with pilots s_t = 1,
/// y = alpha F^T a~(theta) + n. The array (element positions, coupling) is taken from the shared
/// <see cref="ArrayResponse"/>, the one definition of the physics; a test checks this channel against the shared
/// simulator. Complex tensors are carried as real and imaginary parts.
/// Owns its constant tensors; dispose it when done.
/// </summary>
public sealed class TorchChannel : IDisposable
{
    private readonly Tensor phaseScale;
    private readonly Tensor? couplingReal;
    private readonly Tensor? couplingImaginary;

    /// <summary>Creates the channel of an array on <paramref name="device"/>.</summary>
    /// <param name="array">The true array a~ (nominal, perturbed spacing or coupling).</param>
    /// <param name="device">Device of the constants and of every input.</param>
    public TorchChannel(ArrayResponse array, Device device)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(device);
        ElementCount = array.ElementCount;
        float[] scale = array.ElementPositionsWavelengths.ToArray().Select(x => (float)(2.0 * Math.PI * x)).ToArray();
        phaseScale = tensor(scale, dtype: ScalarType.Float32, device: device);
        if (array.Coupling is not null)
        {
            System.Numerics.Complex[,] b = array.Coupling.ToMatrix();
            int n = ElementCount;
            var re = new float[n * n];
            var im = new float[n * n];
            for (int row = 0; row < n; row++)
            {
                for (int col = 0; col < n; col++)
                {
                    re[(row * n) + col] = (float)b[row, col].Real;
                    im[(row * n) + col] = (float)b[row, col].Imaginary;
                }
            }

            // a~ = B a, batched as a~^T = a^T B^T; store B^T.
            couplingReal = tensor(re, [n, n], dtype: ScalarType.Float32, device: device).t().contiguous();
            couplingImaginary = tensor(im, [n, n], dtype: ScalarType.Float32, device: device).t().contiguous();
        }
    }

    /// <summary>N_Tx.</summary>
    public int ElementCount { get; }

    /// <summary>a~(theta) as (real, imaginary), each [B, N_Tx]; theta [B] in rad.</summary>
    public (Tensor Real, Tensor Imaginary) Steering(Tensor thetaRad) => Steering(thetaRad, phaseScale, couplingReal, couplingImaginary);

    /// <summary>d a~ / d theta as (real, imaginary), each [B, N_Tx]; theta [B] in rad. d a_n / d theta = j 2 pi x_n cos(theta) a_n, then B.</summary>
    public (Tensor Real, Tensor Imaginary) SteeringDerivative(Tensor thetaRad) => SteeringDerivative(thetaRad, phaseScale, couplingReal, couplingImaginary);

    /// <summary>
    /// a~(theta) = B a(theta), a_n = exp(j 2 pi x_n sin theta), as (real, imaginary), each [B, N_Tx], for element phase
    /// scales 2 pi x_n [N_Tx] and an optional coupling given as B^T (real, imaginary) [N_Tx, N_Tx]. The one steering
    /// formula of the TorchSharp side: the channel's true array and <see cref="Networks.LearnedArray"/> both use it.
    /// </summary>
    public static (Tensor Real, Tensor Imaginary) Steering(Tensor thetaRad, Tensor phaseScale, Tensor? couplingTransposeReal, Tensor? couplingTransposeImaginary)
    {
        using var scope = NewDisposeScope();
        Tensor phase = thetaRad.sin().unsqueeze(1) * phaseScale.unsqueeze(0);
        return Couple(phase.cos(), phase.sin(), couplingTransposeReal, couplingTransposeImaginary).MoveToOuter();
    }

    /// <summary>d a~ / d theta for the same arguments as <see cref="Steering(Tensor, Tensor, Tensor?, Tensor?)"/>: j 2 pi x_n cos(theta) a_n, then B.</summary>
    public static (Tensor Real, Tensor Imaginary) SteeringDerivative(Tensor thetaRad, Tensor phaseScale, Tensor? couplingTransposeReal, Tensor? couplingTransposeImaginary)
    {
        using var scope = NewDisposeScope();
        Tensor scale = phaseScale.unsqueeze(0);
        Tensor phase = thetaRad.sin().unsqueeze(1) * scale;
        Tensor factor = thetaRad.cos().unsqueeze(1) * scale;
        return Couple(-factor * phase.sin(), factor * phase.cos(), couplingTransposeReal, couplingTransposeImaginary).MoveToOuter();
    }

    /// <summary>b_t = sum_n F[n, t] v_n for v [B, N] (real, imaginary) and F [B, 2, N, T]: a batched [1, N] x [N, T] product, [B, T] each.</summary>
    public static (Tensor Real, Tensor Imaginary) Response((Tensor Real, Tensor Imaginary) v, Tensor precoder)
    {
        Tensor fReal = precoder.select(1, 0);
        Tensor fImaginary = precoder.select(1, 1);
        Tensor vr = v.Real.unsqueeze(1);
        Tensor vi = v.Imaginary.unsqueeze(1);
        return ((vr.bmm(fReal) - vi.bmm(fImaginary)).squeeze(1), (vr.bmm(fImaginary) + vi.bmm(fReal)).squeeze(1));
    }

    private static ScopedPair Couple(Tensor real, Tensor imaginary, Tensor? couplingTransposeReal, Tensor? couplingTransposeImaginary)
    {
        if (couplingTransposeReal is null || couplingTransposeImaginary is null)
        {
            return new ScopedPair(real, imaginary);
        }

        // a~^T = a^T B^T, batched.
        return new ScopedPair(
            real.matmul(couplingTransposeReal) - imaginary.matmul(couplingTransposeImaginary),
            imaginary.matmul(couplingTransposeReal) + real.matmul(couplingTransposeImaginary));
    }

    private readonly record struct ScopedPair(Tensor Real, Tensor Imaginary)
    {
        public (Tensor Real, Tensor Imaginary) MoveToOuter() => (Real.MoveToOuterDisposeScope(), Imaginary.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The Fisher information of theta per unit SNR with the gain unknown (docs/conventions.md point 3), differentiable in F:
    /// J / SNR = 2 (||db||^2 - |b^H db|^2 / ||b||^2), b = F^T a~(theta), db = F^T da~/dtheta. [B], rad^-2.
    /// The CRB at SNR s is 1 / (s J/SNR).
    /// </summary>
    /// <param name="thetaRad">theta, rad, [B].</param>
    /// <param name="precoder">F as [B, 2, N_Tx, T].</param>
    public Tensor FisherInformationPerSnr(Tensor thetaRad, Tensor precoder)
    {
        using var scope = NewDisposeScope();
        (Tensor bRe, Tensor bIm) = Response(Steering(thetaRad), precoder);
        (Tensor dRe, Tensor dIm) = Response(SteeringDerivative(thetaRad), precoder);
        Tensor bNorm = (bRe.square() + bIm.square()).sum(1);
        Tensor dNorm = (dRe.square() + dIm.square()).sum(1);

        // b^H db = sum conj(b) db.
        Tensor crossRe = ((bRe * dRe) + (bIm * dIm)).sum(1);
        Tensor crossIm = ((bRe * dIm) - (bIm * dRe)).sum(1);
        Tensor fisher = 2 * (dNorm - ((crossRe.square() + crossIm.square()) / bNorm));
        return fisher.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Eq. (2): y = alpha F^T a~(theta) + n.
    /// </summary>
    /// <param name="thetaRad">theta, rad, [B].</param>
    /// <param name="precoder">F as [B, 2, N_Tx, T] (real part, imaginary part).</param>
    /// <param name="gain">alpha as [B, 2] (real, imaginary).</param>
    /// <param name="noise">n as [B, 2, T] (real parts, imaginary parts).</param>
    /// <returns>y as [B, 2T]: the T real parts, then the T imaginary parts.</returns>
    public Tensor Observe(Tensor thetaRad, Tensor precoder, Tensor gain, Tensor noise)
    {
        using var scope = NewDisposeScope();
        (Tensor bReal, Tensor bImaginary) = Response(Steering(thetaRad), precoder);
        Tensor alphaReal = gain.select(1, 0).unsqueeze(1);
        Tensor alphaImaginary = gain.select(1, 1).unsqueeze(1);
        Tensor yReal = (alphaReal * bReal) - (alphaImaginary * bImaginary) + noise.select(1, 0);
        Tensor yImaginary = (alphaReal * bImaginary) + (alphaImaginary * bReal) + noise.select(1, 1);
        return cat([yReal, yImaginary], 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        phaseScale.Dispose();
        couplingReal?.Dispose();
        couplingImaginary?.Dispose();
    }
}
