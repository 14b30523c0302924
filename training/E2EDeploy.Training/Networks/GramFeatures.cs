using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// The gain-phase-invariant input of <see cref="DecoderInput.Gram"/>. For K observations per sample, each y_k in C^T laid
/// out as T real parts then T imaginary parts (y [B, 2 K T]), it returns for every k the real parts, then the imaginary
/// parts, of the T x T matrix R_k = y_k y_k^H (row t, column s: y_t conj(y_s)), row-major: [B, 2 K T^2].
/// Multiplying y_k by any e^{j phi} leaves R_k unchanged, so the decoder no longer has to learn to ignore the phase of
/// alpha; and |b^H y|^2 = b^H R b is linear in R. Parameter-free; the ONNX exporter writes the same operations.
/// </summary>
public static class GramFeatures
{
    /// <summary>The number of features for K observations of T transmissions: 2 K T^2.</summary>
    public static int Width(int observationCount, int transmissionCount) => 2 * observationCount * transmissionCount * transmissionCount;

    /// <summary>y [B, 2 K T] -&gt; [B, 2 K T^2].</summary>
    public static Tensor Compute(Tensor y, int observationCount, int transmissionCount)
    {
        using var scope = NewDisposeScope();
        long batch = y.shape[0];
        int t = transmissionCount;
        Tensor blocks = y.view(batch, observationCount, 2, t);
        Tensor re = blocks[.., .., 0, ..];
        Tensor im = blocks[.., .., 1, ..];

        // y_t conj(y_s) = (re_t re_s + im_t im_s) + j (im_t re_s - re_t im_s).
        Tensor realPart = (re.unsqueeze(3) * re.unsqueeze(2)) + (im.unsqueeze(3) * im.unsqueeze(2));
        Tensor imagPart = (im.unsqueeze(3) * re.unsqueeze(2)) - (re.unsqueeze(3) * im.unsqueeze(2));
        return stack([realPart, imagPart], 2).reshape(batch, Width(observationCount, t)).MoveToOuterDisposeScope();
    }
}
