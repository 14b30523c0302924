using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Refinement;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Refinement;

/// <summary>
/// The runtime's Fisher-scoring steps against independent computations: the observation model of the shared channel
/// (Precoder.ResponseAt with ArrayResponse, coupling included), finite differences of the concentrated log-likelihood for
/// the score and the information, and convergence to the true angle or position on noiseless observations.
/// </summary>
[TestClass]
public sealed class FisherScoringRefinementTests
{
    private const int N = 16;
    private const int T = 6;

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TheCorrelationIsEq11sObjectiveOnTheSharedChannelsResponse(bool coupled)
    {
        (ArrayResponse array, ScoringChannel channel, Precoder precoder) = Setup(coupled, seed: 3);
        Complex[] y = Observation(precoder, array, 0.31, new Complex(0.7, -0.4));
        var b = new Complex[T];
        foreach (double theta in new[] { -0.4, 0.1, 0.3, 0.9 })
        {
            precoder.ResponseAt(array, theta, b);
            Complex by = Complex.Zero;
            double bb = 0;
            for (int t = 0; t < T; t++)
            {
                by += Complex.Conjugate(b[t]) * y[t];
                bb += b[t].Magnitude * b[t].Magnitude;
            }

            double expected = by.Magnitude * by.Magnitude / bb;
            Assert.AreEqual(expected, FisherScoringRefinement.Terms(y, channel, theta).Correlation, 1e-12 * expected, $"theta = {theta}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TheScoreIsHalfTheCorrelationsDerivative(bool coupled)
    {
        // The concentrated log-likelihood is (||y||^2 - correlation(theta)) / sigma^2 up to sign and constants, so the score
        // (its gradient x sigma^2 / 2) is half the correlation's derivative: a central difference, independent of d.
        (ArrayResponse array, ScoringChannel channel, Precoder precoder) = Setup(coupled, seed: 5);
        Complex[] y = Observation(precoder, array, 0.2, new Complex(1.1, 0.3));
        Random random = E2EDeploy.Shared.Numerics.RandomSources.Create(9);
        for (int k = 0; k < y.Length; k++)
        {
            y[k] += new Complex(0.05 * (random.NextDouble() - 0.5), 0.05 * (random.NextDouble() - 0.5));
        }

        const double h = 1e-5;
        foreach (double theta in new[] { 0.15, 0.22, 0.5 })
        {
            double difference = (FisherScoringRefinement.Terms(y, channel, theta + h).Correlation - FisherScoringRefinement.Terms(y, channel, theta - h).Correlation) / (2 * h);
            double score = FisherScoringRefinement.Terms(y, channel, theta).Score;
            Assert.AreEqual(0.5 * difference, score, 1e-6 * Math.Max(1, Math.Abs(score)), $"theta = {theta}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void OnANoiselessObservationTheInformationIsMinusHalfTheCorrelationsCurvature(bool coupled)
    {
        // At y = alpha b(theta_0) and theta = theta_0 the Hessian of the concentrated log-likelihood is minus the Fisher
        // information of theta with alpha unknown (the observed information equals the expected one without noise).
        (ArrayResponse array, ScoringChannel channel, Precoder precoder) = Setup(coupled, seed: 7);
        const double theta0 = -0.35;
        Complex[] y = Observation(precoder, array, theta0, new Complex(-0.6, 0.9));
        const double h = 1e-4;
        double curvature = (FisherScoringRefinement.Terms(y, channel, theta0 + h).Correlation - (2 * FisherScoringRefinement.Terms(y, channel, theta0).Correlation)
            + FisherScoringRefinement.Terms(y, channel, theta0 - h).Correlation) / (h * h);
        double information = FisherScoringRefinement.Terms(y, channel, theta0).Information;
        Assert.IsGreaterThan(0, information);
        Assert.AreEqual(-0.5 * curvature, information, 1e-5 * information);
    }

    [TestMethod]
    public void ThreeStepsFromNearbyReachTheTrueAngleOfANoiselessObservation()
    {
        (ArrayResponse array, ScoringChannel channel, Precoder precoder) = Setup(coupled: true, seed: 11);
        const double theta0 = 0.4;
        Complex[] y = Observation(precoder, array, theta0, new Complex(0.3, 0.8));
        var region = new AngularRegion(0.2, 0.6);
        double refined = FisherScoringRefinement.RefineAod(y, [channel], theta0 + 0.01, region, steps: 3);
        Assert.AreEqual(theta0, refined, 1e-9);
    }

    [TestMethod]
    public void AStartOutsideTheRegionIsProjectedAndEveryStepStaysInIt()
    {
        (ArrayResponse array, ScoringChannel channel, Precoder precoder) = Setup(coupled: false, seed: 13);
        Complex[] y = Observation(precoder, array, 0.59, Complex.One);
        var region = new AngularRegion(0.2, 0.5);
        Assert.AreEqual(0.2, FisherScoringRefinement.RefineAod(y, [channel], -1.0, region, steps: 0), 0);
        double refined = FisherScoringRefinement.RefineAod(y, [channel], 0.45, region, steps: 5);
        Assert.IsTrue(region.Contains(refined), $"{refined} outside [{region.MinRad}, {region.MaxRad}]");
    }

    [TestMethod]
    public void TheBsWhoseChannelExplainsTheObservationIsKept()
    {
        (ArrayResponse array, ScoringChannel first, _) = Setup(coupled: false, seed: 17);
        (_, ScoringChannel second, Precoder secondPrecoder) = Setup(coupled: false, seed: 19);
        const double theta0 = 0.3;
        Complex[] y = Observation(secondPrecoder, array, theta0, new Complex(0.5, 0.5));
        var region = new AngularRegion(0.1, 0.5);
        Assert.AreEqual(theta0, FisherScoringRefinement.RefineAod(y, [first, second], theta0 + 0.005, region, steps: 4), 1e-8);
    }

    [TestMethod]
    public void PositionStepsFromNearbyReachTheTruePositionOfNoiselessObservations()
    {
        BaseStation[] stations = [new(new PlanePoint(-5, 0), 0), new(new PlanePoint(3, 0), 10)];
        var area = new PositionPrior();
        var position = new PlanePoint(0.7, 5.2);
        ArrayResponse array = ArrayResponse.Nominal(N);
        var channels = new ScoringChannel[2];
        var y = new Complex[2 * T];
        for (int i = 0; i < 2; i++)
        {
            Precoder precoder = TestPrecoders.Random(N, T, 23 + i);
            channels[i] = new ScoringChannel(N, T);
            channels[i].Load(ScoringArray.Nominal(N), precoder.Values);
            Observation(precoder, array, stations[i].AodOf(position), new Complex(0.4 + i, -0.2)).CopyTo(y.AsSpan(i * T, T));
        }

        PlanePoint refined = FisherScoringRefinement.RefinePosition(y, channels, stations, area, new PlanePoint(0.75, 5.15), steps: 4);
        Assert.AreEqual(position.X, refined.X, 1e-7);
        Assert.AreEqual(position.Y, refined.Y, 1e-7);
    }

    [TestMethod]
    public void WrongSizesAreNamed()
    {
        (_, ScoringChannel channel, _) = Setup(coupled: false, seed: 29);
        var e = Assert.Throws<ArgumentException>(() => FisherScoringRefinement.Terms(new Complex[T + 1], channel, 0.1));
        StringAssert.Contains(e.Message, $"observation has length {T + 1}: expected T = {T}");
        var load = Assert.Throws<ArgumentException>(() => channel.Load(ScoringArray.Nominal(N), new Complex[3]));
        StringAssert.Contains(load.Message, $"expected N_Tx * T = {N * T}");
        var array = Assert.Throws<ArgumentException>(() => ScoringArray.Create(new double[N], new Complex[5]));
        StringAssert.Contains(array.Message, $"expected N_Tx * N_Tx = {N * N}");
        Assert.Throws<ArgumentException>(() => FisherScoringRefinement.RefineAod(new Complex[T], [], 0, new AngularRegion(0, 0.1), 1));
    }

    /// <summary>The true array (nominal, or with the paper's mutual coupling), its scoring channel for a random precoder, and the precoder.</summary>
    private static (ArrayResponse Array, ScoringChannel Channel, Precoder Precoder) Setup(bool coupled, int seed)
    {
        ArrayResponse array = coupled ? ArrayResponse.WithCoupling(MutualCoupling.Default(N)) : ArrayResponse.Nominal(N);
        Precoder precoder = TestPrecoders.Random(N, T, seed);
        var channel = new ScoringChannel(N, T);
        channel.Load(coupled ? ScoringArray.Create(array.ElementPositionsWavelengths, CouplingTranspose(array.Coupling!)) : ScoringArray.Nominal(N), precoder.Values);
        return (array, channel, precoder);
    }

    /// <summary>B^T row-major from the coupling's own matrix.</summary>
    private static Complex[] CouplingTranspose(MutualCoupling coupling)
    {
        Complex[,] b = coupling.ToMatrix();
        var transpose = new Complex[N * N];
        for (int n = 0; n < N; n++)
        {
            for (int m = 0; m < N; m++)
            {
                transpose[(n * N) + m] = b[m, n];
            }
        }

        return transpose;
    }

    /// <summary>y = alpha F^T a~(theta) through the shared channel's response.</summary>
    private static Complex[] Observation(Precoder precoder, ArrayResponse array, double theta, Complex gain)
    {
        var b = new Complex[precoder.TransmissionCount];
        precoder.ResponseAt(array, theta, b);
        return b.Select(v => gain * v).ToArray();
    }
}
