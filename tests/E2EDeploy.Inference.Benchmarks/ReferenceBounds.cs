using System.Numerics;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Evaluation;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// The cost of the low-SNR references (docs/conventions.md point 12) for the paper's benchmark precoders, nominal arrays:
/// one Ziv-Zakai bound (AoD: U1 = [40, 60] deg; position: the test point's regions, p uniform on their support), and one
/// estimate of the MMSE estimators, at 0 and 30 dB.
/// </summary>
[Config(typeof(BenchConfig))]
public class ReferenceBounds
{
    private Precoder aodPrecoder = null!;
    private Precoder[] positionPrecoders = null!;
    private AngularRegion[] regions = null!;
    private ConvexPolygon support = null!;
    private PosteriorMeanAodEstimator aodEstimator = null!;
    private PosteriorMeanPositionEstimator positionEstimator = null!;
    private Complex[] aodObservation = null!;
    private Complex[] positionObservation = null!;
    private readonly double[] aodEstimate = new double[1];
    private readonly double[] positionEstimate = new double[2];
    private readonly ArrayResponse array = ArrayResponse.Nominal(32);

    /// <summary>SNR, dB.</summary>
    [Params(0, 30)]
    public double SnrDb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Scenario scenario = Scenario.Paper;
        aodPrecoder = BenchmarkPrecoder.Design(PaperTestPoints.AodRegion, 32, 20).Precoder;
        regions = scenario.PositionRegions(PaperTestPoints.Position);
        positionPrecoders = regions.Select(r => BenchmarkPrecoder.Design(r, 32, 20).Precoder).ToArray();
        support = PositionPriorSupport.Of(scenario.BaseStations, regions, scenario.PositionPrior);
        aodEstimator = new PosteriorMeanAodEstimator(aodPrecoder, array, PaperTestPoints.AodRegion, SnrDb);
        positionEstimator = new PosteriorMeanPositionEstimator(scenario.BaseStations, positionPrecoders, [array, array], regions, scenario.PositionPrior, SnrDb);
        Random random = RandomSources.Create(1);
        var channel = new ChannelSimulator(array);
        aodObservation = new Complex[20];
        channel.Simulate([Units.DegreesToRadians(50)], aodPrecoder, SnrDb, random, aodObservation);
        positionObservation = new Complex[40];
        for (int i = 0; i < 2; i++)
        {
            channel.Simulate([scenario.BaseStations[i].AodOf(PaperTestPoints.Position)], positionPrecoders[i], SnrDb, random, positionObservation.AsSpan(i * 20, 20));
        }
    }

    [Benchmark(Description = "AoD ZZB, one precoder")]
    public double AodBound() => AodZivZakaiBound.Compute(aodPrecoder, array, PaperTestPoints.AodRegion, SnrDb);

    [Benchmark(Description = "position ZZB, two precoders")]
    public double PositionBound() => PositionZivZakaiBound.Compute(Scenario.Paper.BaseStations, positionPrecoders, [array, array], support, SnrDb);

    [Benchmark(Description = "AoD MMSE, one estimate")]
    public double AodMmse()
    {
        aodEstimator.Estimate(aodObservation, aodEstimate);
        return aodEstimate[0];
    }

    [Benchmark(Description = "position MMSE, one estimate")]
    public double PositionMmse()
    {
        positionEstimator.Estimate(positionObservation, positionEstimate);
        return positionEstimate[0];
    }
}
