using static TorchSharp.torch;

namespace E2EDeploy.Training.Training;

/// <summary>
/// One batch of channel inputs, per BS i: xi_i [m_i, 3] (rad), theta_i [m_i] (rad), alpha_i [m_i, 2], n_i [m_i, 2, T];
/// for the position task also p [m, 2] (m), shared by all BSs; and the loss weight of every sample, w_i [m_i]
/// (1 at a fixed SNR, 10^((SNR - reference)/10) with an SNR range). Owns its tensors.
/// </summary>
public sealed class TrainingSample(Tensor[] xi, Tensor[] theta, Tensor[] gain, Tensor[] noise, Tensor? position, Tensor[] weight, double referenceNoiseVariance) : IDisposable
{
    /// <summary>sigma^2 = 10^(-SNR/10) at the reference SNR of the weights (the fixed SNR, or <see cref="SnrRange.ReferenceDb"/>): the SNR of the bound term.</summary>
    public double ReferenceNoiseVariance { get; } = referenceNoiseVariance;

    /// <summary>Loss weight of every sample, per BS (for the position task every BS of a sample shares one SNR draw, so the weights of BS 1 are the sample's).</summary>
    public Tensor[] Weight { get; } = weight;

    /// <summary>Precoder inputs per BS.</summary>
    public Tensor[] Xi { get; } = xi;

    /// <summary>True AoDs per BS.</summary>
    public Tensor[] Theta { get; } = theta;

    /// <summary>Gains per BS.</summary>
    public Tensor[] Gain { get; } = gain;

    /// <summary>Noise per BS.</summary>
    public Tensor[] Noise { get; } = noise;

    /// <summary>True positions (position task), else null.</summary>
    public Tensor? Position { get; } = position;

    /// <summary>Detaches every tensor from the current dispose scope, so the sample can outlive it.</summary>
    public TrainingSample Keep()
    {
        foreach (Tensor t in Xi.Concat(Theta).Concat(Gain).Concat(Noise).Concat(Weight))
        {
            t.DetachFromDisposeScope();
        }

        Position?.DetachFromDisposeScope();
        return this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in Xi.Concat(Theta).Concat(Gain).Concat(Noise).Concat(Weight))
        {
            t.Dispose();
        }

        Position?.Dispose();
    }
}
