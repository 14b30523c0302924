using System.Globalization;

namespace E2EDeploy.Training.Training;

/// <summary>
/// The training SNRs of a model, dB: one fixed value (the paper, section IV-B: one model per SNR), or a range from which
/// every sample draws its own SNR uniformly in dB, so that one model serves the whole grid. With a range, the loss of a
/// sample is weighted by w = 10^((SNR - ReferenceDb)/10): the CRB falls as 1/SNR, so w * error^2 is on one scale at
/// every SNR, and the weighted RMSE reads as an RMSE at <see cref="ReferenceDb"/>.
/// </summary>
/// <param name="MinDb">Lowest SNR, dB.</param>
/// <param name="MaxDb">Highest SNR, dB (equal to <paramref name="MinDb"/> for a fixed SNR).</param>
public sealed record SnrRange(double MinDb, double MaxDb)
{
    /// <summary>The usual reference SNR of the weights, dB: the paper's evaluation SNR of Figs. 7 and 10.</summary>
    public const double DefaultReferenceDb = 20;

    /// <summary>Whether the SNR is fixed (every weight is then 1).</summary>
    public bool IsFixed => MinDb == MaxDb;

    /// <summary>The SNR at which the weight is 1, dB: the fixed SNR, or 20 dB clamped into the range.</summary>
    public double ReferenceDb => IsFixed ? MinDb : Math.Clamp(DefaultReferenceDb, MinDb, MaxDb);

    /// <summary>One fixed SNR.</summary>
    public static SnrRange Fixed(double snrDb) => new(snrDb, snrDb);

    /// <summary>"20 dB" or "-5..30 dB".</summary>
    public override string ToString() => IsFixed
        ? string.Create(CultureInfo.InvariantCulture, $"{MinDb:0.##} dB")
        : string.Create(CultureInfo.InvariantCulture, $"{MinDb:0.##}..{MaxDb:0.##} dB");
}
