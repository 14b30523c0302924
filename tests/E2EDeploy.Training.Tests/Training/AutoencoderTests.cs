using System.Numerics;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Training;

/// <summary>The bound term of the loss against the shared CRB and PEB of the same learned precoders.</summary>
[TestClass]
public sealed class AutoencoderTests
{
    public static IEnumerable<object[]> Impairments() => [[ImpairmentKind.None], [ImpairmentKind.Spacing], [ImpairmentKind.Coupling]];

    [TestMethod]
    [DynamicData(nameof(Impairments))]
    public void TheAodBoundTermIsTheSharedCramerRaoBoundOfTheLearnedPrecoders(ImpairmentKind impairment)
    {
        Scenario scenario = Impaired(impairment);
        using var model = Autoencoder.Create(TrainingTask.Aod, scenario, 8, CPU);
        using var generator = new Generator(5, CPU);
        model.Initialize(generator);
        var sampler = new PriorSampler(scenario, 15, CPU);
        using TrainingSample sample = sampler.SampleAod(40, generator);
        float[] bounds;
        using (var scope = NewDisposeScope())
        {
            bounds = model.BoundPerSample(sample).data<float>().ToArray();
        }

        // The bound is over BS 1's samples, then BS 2's.
        var expected = new List<double>();
        for (int i = 0; i < scenario.BaseStationCount; i++)
        {
            Precoder[] precoders = Precoders(model, i, sample.Xi[i], scenario);
            float[] thetas = sample.Theta[i].data<float>().ToArray();
            expected.AddRange(thetas.Select((theta, k) => AodCramerRaoBound.Compute(precoders[k], model.Arrays[i], theta, 15)));
        }

        Assert.HasCount(expected.Count, bounds);
        for (int k = 0; k < bounds.Length; k++)
        {
            Assert.AreEqual(expected[k], bounds[k], 1e-3 * expected[k], $"sample {k}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Impairments))]
    public void ThePositionBoundTermIsTheSquaredSharedPebOfTheLearnedPrecoders(ImpairmentKind impairment)
    {
        Scenario scenario = Impaired(impairment);
        using var model = Autoencoder.Create(TrainingTask.Position, scenario, 8, CPU);
        using var generator = new Generator(6, CPU);
        model.Initialize(generator);
        var sampler = new PriorSampler(scenario, 25, CPU);
        using TrainingSample sample = sampler.SamplePosition(24, generator);
        float[] bounds;
        using (var scope = NewDisposeScope())
        {
            bounds = model.BoundPerSample(sample).data<float>().ToArray();
        }

        Precoder[][] precoders = Enumerable.Range(0, scenario.BaseStationCount).Select(i => Precoders(model, i, sample.Xi[i], scenario)).ToArray();
        float[] positions = sample.Position!.data<float>().ToArray();
        Assert.HasCount(24, bounds);
        for (int k = 0; k < bounds.Length; k++)
        {
            var p = new PlanePoint(positions[2 * k], positions[(2 * k) + 1]);
            double peb = PositionErrorBound.Compute(scenario.BaseStations, precoders.Select(f => f[k]).ToArray(), model.Arrays, p, 25);
            Assert.AreEqual(peb * peb, bounds[k], 1e-3 * peb * peb, $"sample {k} at ({p.X}, {p.Y})");
        }
    }

    [TestMethod]
    public void ThePapersLossHasNoBoundTermAndAPositiveWeightAddsIt()
    {
        using var model = Autoencoder.Create(TrainingTask.Aod, TestRuns.Small, 8, CPU);
        using var generator = new Generator(7, CPU);
        model.Initialize(generator);
        using TrainingSample sample = new PriorSampler(TestRuns.Small, 20, CPU).SampleAod(32, generator);
        using var noGrad = no_grad();
        using Tensor paper = model.Loss(sample);
        using Tensor weighted = model.Loss(sample, 2.0);
        double meanBound = model.MeanBound(sample);
        Assert.IsGreaterThan(0, meanBound);
        Assert.AreEqual(paper.item<float>() + (2.0 * meanBound), weighted.item<float>(), 1e-4 * weighted.item<float>());
    }

    private static Scenario Impaired(ImpairmentKind kind) =>
        (TestRuns.Small with { Impairments = TestRuns.Small.Impairments with { Kind = kind } }).Validate();

    /// <summary>The learned precoders of BS <paramref name="bs"/> for every row of xi, as shared <see cref="Precoder"/>s.</summary>
    private static Precoder[] Precoders(Autoencoder model, int bs, Tensor xi, Scenario scenario)
    {
        int n = scenario.AntennaCount, t = scenario.TransmissionCount;
        float[] values;
        using (var noGrad = no_grad())
        using (Tensor f = model.Precoders[bs].call(xi))
        {
            values = f.data<float>().ToArray();
        }

        int count = values.Length / (2 * n * t);
        return Enumerable.Range(0, count).Select(b =>
        {
            var complex = new Complex[n * t];
            for (int k = 0; k < n * t; k++)
            {
                complex[k] = new Complex(values[(b * 2 * n * t) + k], values[(b * 2 * n * t) + (n * t) + k]);
            }

            return new Precoder(n, t, complex);
        }).ToArray();
    }
}
