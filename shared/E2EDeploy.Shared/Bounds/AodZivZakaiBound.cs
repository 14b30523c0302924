using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using MathNet.Numerics.Integration;

namespace E2EDeploy.Shared.Bounds;

/// <summary>
/// The Ziv-Zakai bound on the AoD (docs/conventions.md point 12), in the form with valley filling of Bell, Steinberg, Ephraim
/// and Van Trees (IEEE Trans. IT 43(2), 1997, eq. 14), for theta uniform on U = [a, a + W]:
/// E[(theta_hat - theta)^2] &gt;= (1/2) int_0^W h V{ A(h) } dh,  A(h) = (2 / W) int_a^(a + W - h) P_min(phi, phi + h) dphi,
/// where V{f}(h) = max over eta &gt;= 0 of f(h + eta) fills the valleys and P_min is the
/// <see cref="MinimumErrorProbability"/> of the test between theta = phi and theta = phi + h.
/// Assumptions: any precoder F, the TRUE array a~ (impaired or not), the gain as the simulator draws it (|alpha| known, its
/// phase uniform), theta uniform on U. It tends to the prior's standard deviation W / sqrt(12) at low SNR and to
/// sqrt(mean CRB) of <see cref="KnownMagnitudeCramerRaoBound"/> at high SNR. It bounds the RMSE of every estimator over the
/// prior, deployable or not; it says nothing about the RMSE at one fixed theta.
/// </summary>
public static class AodZivZakaiBound
{
    /// <summary>The bound on the RMSE, sqrt of the bound on the MSE, rad.</summary>
    /// <param name="precoder">F, [N_Tx, T].</param>
    /// <param name="trueArray">The true array a~.</param>
    /// <param name="prior">U, rad: theta is uniform on it.</param>
    /// <param name="snrDb">SNR, dB.</param>
    /// <param name="settings">Quadrature (default <see cref="ZivZakaiSettings.Default"/>).</param>
    public static double Compute(Precoder precoder, ArrayResponse trueArray, AngularRegion prior, double snrDb, ZivZakaiSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(precoder);
        ArgumentNullException.ThrowIfNull(trueArray);
        Guard.Finite(snrDb);
        settings = (settings ?? ZivZakaiSettings.Default).Validate();
        if (!(prior.WidthRad > 0) || !(Math.Abs(prior.MinRad) < Math.PI / 2) || !(Math.Abs(prior.MaxRad) < Math.PI / 2))
        {
            throw new ArgumentException($"prior U = {prior}: expected a region of positive width inside (-90, 90) deg.", nameof(prior));
        }

        double noiseVariance = ChannelSimulator.NoiseVariance(snrDb);
        double width = prior.WidthRad;
        int t = precoder.TransmissionCount;
        var rules = new MinimumErrorProbability.Rules(settings);
        var workspace = new MinimumErrorProbability.Workspace();
        var priorRule = new GaussLegendreRule(-1, 1, settings.PriorNodes);
        double[] distances = Distances(precoder, trueArray, prior, snrDb, settings.DistanceNodes);
        var area = new double[distances.Length];
        Span<Complex> b0 = stackalloc Complex[t];
        Span<Complex> b1 = stackalloc Complex[t];
        for (int k = 0; k < distances.Length; k++)
        {
            double h = distances[k];
            double span = width - h;
            if (!(span > 0))
            {
                continue;
            }

            double sum = 0;
            for (int n = 0; n < priorRule.Order; n++)
            {
                double phi = prior.MinRad + (0.5 * span * (1 + priorRule.Abscissas[n]));
                precoder.ResponseAt(trueArray, phi, b0);
                precoder.ResponseAt(trueArray, phi + h, b1);
                sum += priorRule.Weights[n] * MinimumErrorProbability.Compute(b0, b1, 1, noiseVariance, rules, workspace);
            }

            area[k] = 2 / width * (0.5 * span * sum);
        }

        return Math.Sqrt(Integrate(distances, area));
    }

    /// <summary>
    /// The separations: <paramref name="count"/> log-spaced values from a hundredth of the smallest sqrt(CRB) over U (but at
    /// most W / 1000) up to the width W.
    /// </summary>
    internal static double[] Distances(Precoder precoder, ArrayResponse trueArray, AngularRegion prior, double snrDb, int count)
    {
        double smallest = double.PositiveInfinity;
        foreach (double theta in prior.EvenGrid(32))
        {
            double information = Units.DecibelsToLinear(snrDb) * KnownMagnitudeCramerRaoBound.FisherInformationPerUnitSnr(precoder, trueArray, theta);
            smallest = Math.Min(smallest, 1 / Math.Sqrt(Math.Max(information, 1e-300)));
        }

        return LogSpaced(Math.Min(0.01 * smallest, prior.WidthRad / 1000), prior.WidthRad, count);
    }

    /// <summary><paramref name="count"/> values from <paramref name="low"/> to <paramref name="high"/>, evenly spaced in log.</summary>
    internal static double[] LogSpaced(double low, double high, int count)
    {
        double logLow = Math.Log(low), logHigh = Math.Log(high);
        return Enumerable.Range(0, count).Select(k => Math.Exp(logLow + ((logHigh - logLow) * k / (count - 1)))).ToArray();
    }

    /// <summary>
    /// (1/2) int_0^max h V{A}(h) dh on log-spaced h: the valley filling as the running maximum from the right, the integral
    /// by the trapezoid rule in log h, and [0, h_0] with V constant.
    /// </summary>
    internal static double Integrate(double[] distances, double[] area)
    {
        var filled = new double[area.Length];
        double running = 0;
        for (int k = area.Length - 1; k >= 0; k--)
        {
            running = Math.Max(running, area[k]);
            filled[k] = running;
        }

        double sum = 0.5 * distances[0] * distances[0] * filled[0];
        for (int k = 1; k < distances.Length; k++)
        {
            double left = distances[k - 1] * distances[k - 1] * filled[k - 1];
            double right = distances[k] * distances[k] * filled[k];
            sum += 0.5 * (left + right) * Math.Log(distances[k] / distances[k - 1]);
        }

        return 0.5 * sum;
    }
}
