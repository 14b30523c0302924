using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Evaluation;

/// <summary>
/// The Bayes-optimal (MMSE) AoD estimator for given precoder F and TRUE array a~ (docs/conventions.md point 12): the posterior
/// mean E[theta | y] = int_U theta e^l(theta) dtheta / int_U e^l(theta) dtheta for theta uniform on U, with the likelihood
/// of <see cref="AngularLikelihood"/> (|alpha| known, phase uniform) at the SNR it was made for, by the trapezoid rule on its
/// grid. It is a reference, not a deployable estimator: it knows the true array and the SNR. No estimator has a smaller
/// RMSE over the prior. Thread-safe.
/// </summary>
public sealed class PosteriorMeanAodEstimator : IAodEstimator
{
    private readonly AngularLikelihood likelihood;

    /// <summary>Creates the estimator for <paramref name="precoder"/>, <paramref name="trueArray"/> and the prior U = <paramref name="region"/> at <paramref name="snrDb"/>.</summary>
    public PosteriorMeanAodEstimator(Precoder precoder, ArrayResponse trueArray, AngularRegion region, double snrDb)
    {
        likelihood = new AngularLikelihood(precoder, trueArray, region, snrDb);
    }

    /// <inheritdoc />
    public int TransmissionCount => likelihood.TransmissionCount;

    /// <summary>The grid points over U.</summary>
    public int GridPoints => likelihood.Grid.Count;

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> aodRad)
    {
        int t = TransmissionCount;
        if (observations.Length != aodRad.Length * t)
        {
            throw new ArgumentException($"observations has length {observations.Length}: expected [B = {aodRad.Length}, T = {t}] = {aodRad.Length * t}.", nameof(observations));
        }

        var logLikelihood = new double[likelihood.Grid.Count];
        for (int b = 0; b < aodRad.Length; b++)
        {
            likelihood.Evaluate(observations.Slice(b * t, t), logLikelihood);
            double peak = double.NegativeInfinity;
            foreach (double value in logLikelihood)
            {
                peak = Math.Max(peak, value);
            }

            double mass = 0, moment = 0;
            for (int g = 0; g < logLikelihood.Length; g++)
            {
                double weight = (g == 0 || g == logLikelihood.Length - 1 ? 0.5 : 1) * Math.Exp(logLikelihood[g] - peak);
                mass += weight;
                moment += weight * likelihood.Grid[g];
            }

            aodRad[b] = moment / mass;
        }
    }
}
