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
/// <param name="KneeDb">
/// With a value, below this SNR the weight falls 20 dB per 10 dB instead of 10: w = 10^((SNR - reference)/10) x
/// 10^(min(SNR - knee, 0)/10). Below the threshold SNR no estimator attains the CRB (without knowing U the decoder's
/// error there is set by its prior), so CRB-scaled weights alone let those samples dominate the loss; docs/research-log.md
/// measures the effect. Null for the plain CRB scaling.
/// </param>
public sealed record SnrRange(double MinDb, double MaxDb, double? KneeDb = null)
{
    /// <summary>The loss weight of a sample at <paramref name="snrDb"/>: 1 at <see cref="ReferenceDb"/>.</summary>
    public double Weight(double snrDb) => Math.Pow(10, ((snrDb - ReferenceDb) + Math.Min(snrDb - (KneeDb ?? double.NegativeInfinity), 0)) / 10);

    /// <summary>The usual reference SNR of the weights, dB: the paper's evaluation SNR of Figs. 7 and 10.</summary>
    public const double DefaultReferenceDb = 20;

    /// <summary>Whether the SNR is fixed (every weight is then 1).</summary>
    public bool IsFixed => MinDb == MaxDb;

    /// <summary>The SNR at which the weight is 1, dB: the fixed SNR, or 20 dB clamped into the range.</summary>
    public double ReferenceDb => IsFixed ? MinDb : Math.Clamp(DefaultReferenceDb, MinDb, MaxDb);

    /// <summary>One fixed SNR.</summary>
    public static SnrRange Fixed(double snrDb) => new(snrDb, snrDb);

    /// <summary>"20 dB", "-5..30 dB" or "-5..30 dB, knee 10 dB".</summary>
    public override string ToString() => IsFixed
        ? string.Create(CultureInfo.InvariantCulture, $"{MinDb:0.##} dB")
        : string.Create(CultureInfo.InvariantCulture, $"{MinDb:0.##}..{MaxDb:0.##} dB{(KneeDb is double k ? $", knee {k:0.##} dB" : string.Empty)}");
}
