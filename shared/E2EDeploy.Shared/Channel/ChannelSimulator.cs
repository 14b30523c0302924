using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Numerics;
using MathNet.Numerics.Distributions;

namespace E2EDeploy.Shared.Channel;

/// <summary>
/// The MISO downlink observation of one BS, eq. (1)-(2) with pilots s_t = 1:
/// y = alpha (F^T a~(theta)) + n, n ~ CN(0, sigma^2 I).
/// Power convention: |alpha| = 1 and sigma^2 = 1 / SNR, so SNR = |alpha|^2 / sigma^2 (section IV-A)
/// and the noiseless part does not depend on the SNR. The gain phase is uniform on [0, 2 pi).
/// Batched over samples; no allocation per sample; immutable and thread-safe.
/// </summary>
public sealed class ChannelSimulator
{
    /// <summary>Creates a simulator for the true array <paramref name="trueArray"/> (a~, impaired or not).</summary>
    public ChannelSimulator(ArrayResponse trueArray)
    {
        TrueArray = trueArray ?? throw new ArgumentNullException(nameof(trueArray));
    }

    /// <summary>The true array a~ of the BS.</summary>
    public ArrayResponse TrueArray { get; }

    /// <summary>Noise variance sigma^2 = 10^(-SNR_dB / 10) for a unit-modulus gain.</summary>
    public static double NoiseVariance(double snrDb)
    {
        Guard.Finite(snrDb);
        return 1.0 / Units.DecibelsToLinear(snrDb);
    }

    /// <summary>
    /// Deterministic eq. (2) for one precoder shared by the batch:
    /// observations[b, t] = gains[b] (F^T a~(aodRad[b]))_t + noise[b, t].
    /// </summary>
    /// <param name="aodRad">theta per sample, rad, [B].</param>
    /// <param name="precoder">F, [N_Tx, T].</param>
    /// <param name="gains">alpha per sample, [B].</param>
    /// <param name="noise">n, [B, T] row-major.</param>
    /// <param name="observations">y, [B, T] row-major (output).</param>
    public void Observe(ReadOnlySpan<double> aodRad, Precoder precoder, ReadOnlySpan<Complex> gains, ReadOnlySpan<Complex> noise, Span<Complex> observations)
    {
        ArgumentNullException.ThrowIfNull(precoder);
        CheckShapes(aodRad, precoder.AntennaCount, precoder.TransmissionCount, gains, noise, observations);
        int t = precoder.TransmissionCount;
        for (int b = 0; b < aodRad.Length; b++)
        {
            Span<Complex> y = observations.Slice(b * t, t);
            precoder.ResponseAt(TrueArray, aodRad[b], y);
            for (int k = 0; k < t; k++)
            {
                y[k] = (gains[b] * y[k]) + noise[(b * t) + k];
            }
        }
    }

    /// <summary>
    /// Deterministic eq. (2) with one precoder per sample (as in training, where each sample has its own region):
    /// observations[b, t] = gains[b] (F_b^T a~(aodRad[b]))_t + noise[b, t].
    /// </summary>
    /// <param name="aodRad">theta per sample, rad, [B].</param>
    /// <param name="precoders">F_b, [B, N_Tx, T] row-major.</param>
    /// <param name="transmissionCount">T.</param>
    /// <param name="gains">alpha per sample, [B].</param>
    /// <param name="noise">n, [B, T].</param>
    /// <param name="observations">y, [B, T] (output).</param>
    public void Observe(ReadOnlySpan<double> aodRad, ReadOnlySpan<Complex> precoders, int transmissionCount, ReadOnlySpan<Complex> gains, ReadOnlySpan<Complex> noise, Span<Complex> observations)
    {
        Guard.AtLeast(transmissionCount, 1);
        int n = TrueArray.ElementCount;
        Guard.Length(precoders, aodRad.Length * n * transmissionCount, "[B, N_Tx, T]");
        CheckShapes(aodRad, n, transmissionCount, gains, noise, observations);
        int t = transmissionCount;
        Span<Complex> a = stackalloc Complex[n];
        for (int b = 0; b < aodRad.Length; b++)
        {
            TrueArray.Steering(aodRad[b], a);
            Span<Complex> y = observations.Slice(b * t, t);
            Precoder.ResponseUnchecked(precoders.Slice(b * n * t, n * t), n, t, a, y);
            for (int k = 0; k < t; k++)
            {
                y[k] = (gains[b] * y[k]) + noise[(b * t) + k];
            }
        }
    }

    /// <summary>
    /// Draws a batch: for each sample a gain alpha = exp(j phi), phi ~ U[0, 2 pi), and noise n ~ CN(0, sigma^2 I)
    /// with sigma^2 = 10^(-SNR/10), from <paramref name="random"/>; writes y [B, T].
    /// </summary>
    /// <param name="aodRad">theta per sample, rad, [B].</param>
    /// <param name="precoder">F, [N_Tx, T].</param>
    /// <param name="snrDb">SNR, dB.</param>
    /// <param name="random">Random source (not shared across threads).</param>
    /// <param name="observations">y, [B, T] (output).</param>
    public void Simulate(ReadOnlySpan<double> aodRad, Precoder precoder, double snrDb, Random random, Span<Complex> observations)
    {
        ArgumentNullException.ThrowIfNull(precoder);
        ArgumentNullException.ThrowIfNull(random);
        int t = precoder.TransmissionCount;
        Guard.Length(observations, aodRad.Length * t, "[B, T]");
        double noiseStd = Math.Sqrt(NoiseVariance(snrDb) / 2.0);
        for (int b = 0; b < aodRad.Length; b++)
        {
            if (!(Math.Abs(aodRad[b]) < Math.PI / 2))
            {
                Guard.AngleInsideHalfPlane(aodRad[b], $"aodRad[{b}]");
            }
            Span<Complex> y = observations.Slice(b * t, t);
            precoder.ResponseAt(TrueArray, aodRad[b], y);
            Complex gain = RandomGain(random);
            for (int k = 0; k < t; k++)
            {
                y[k] = (gain * y[k]) + new Complex(Normal.Sample(random, 0, noiseStd), Normal.Sample(random, 0, noiseStd));
            }
        }
    }

    /// <summary>Draws alpha = exp(j phi), phi ~ U[0, 2 pi).</summary>
    public static Complex RandomGain(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        (double s, double c) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
        return new Complex(c, s);
    }

    private void CheckShapes(ReadOnlySpan<double> aodRad, int antennaCount, int t, ReadOnlySpan<Complex> gains, ReadOnlySpan<Complex> noise, Span<Complex> observations)
    {
        if (antennaCount != TrueArray.ElementCount)
        {
            throw new ArgumentException($"the precoder has N_Tx = {antennaCount} rows: expected {TrueArray.ElementCount}, the array size.", "precoder");
        }

        int batch = aodRad.Length;
        for (int b = 0; b < batch; b++)
        {
            if (!(Math.Abs(aodRad[b]) < Math.PI / 2))
            {
                Guard.AngleInsideHalfPlane(aodRad[b], $"aodRad[{b}]");
            }
        }

        Guard.Length(gains, batch, "[B]");
        Guard.Length(noise, batch * t, "[B, T]");
        Guard.AllFinite(gains);
        Guard.AllFinite(noise);
        if (observations.Length != batch * t)
        {
            throw new ArgumentException($"observations has length {observations.Length}: expected {batch * t} ([B = {batch}, T = {t}]).", nameof(observations));
        }
    }
}
