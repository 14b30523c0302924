using E2EDeploy.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Networks;

[TestClass]
public sealed class NetworkTests
{
    [TestMethod]
    public void PrecoderOutputHasUnitFrobeniusNormAndTheContractShape()
    {
        using var network = new PrecoderNetwork(32, 20, 16);
        using var generator = new Generator(3);
        network.Initialize(generator);
        using Tensor xi = rand(5, 3, generator: generator);
        using Tensor f = network.call(xi);
        CollectionAssert.AreEqual(new long[] { 5, 2, 32, 20 }, f.shape);
        using Tensor norms = f.square().sum([1, 2, 3]).sqrt();
        foreach (float norm in norms.data<float>().ToArray())
        {
            Assert.AreEqual(1.0, norm, 1e-5);
        }
    }

    [TestMethod]
    public void TheProjectionOntoUClipsOnlyTheEstimatesOutsideIt()
    {
        const int t = 4;
        using var plain = new AodDecoder(t, 8, DecoderInput.Gram, takesRegion: true);
        using var projected = new AodDecoder(t, 8, DecoderInput.Gram, takesRegion: true, projectOntoRegion: true);
        using var generator = new Generator(12);
        plain.Initialize(generator);
        projected.load_state_dict(plain.state_dict());
        using Tensor y = randn([400, 2 * t], generator: generator) * 5;
        using Tensor center = (rand([400, 1], generator: generator) - 0.5) * 2.4;
        using Tensor half = 0.02 + (rand([400, 1], generator: generator) * 0.1);
        using Tensor input = cat([y, center - half, center + half, half], 1);
        double[] free = plain.call(input).to_type(ScalarType.Float64).data<double>().ToArray();
        double[] clipped = projected.call(input).to_type(ScalarType.Float64).data<double>().ToArray();
        double[] low = (center - half).to_type(ScalarType.Float32).to_type(ScalarType.Float64).data<double>().ToArray();
        double[] high = (center + half).to_type(ScalarType.Float32).to_type(ScalarType.Float64).data<double>().ToArray();
        int outside = 0;
        for (int b = 0; b < 400; b++)
        {
            double expected = Math.Min(Math.Max(free[b], low[b]), high[b]);
            outside += expected == free[b] ? 0 : 1;
            Assert.AreEqual(expected, clipped[b], 1e-7, $"row {b}: min(max(theta_hat, theta_min), theta_max)");
        }

        Assert.IsGreaterThan(10, outside, "the untrained decoder puts many estimates outside the narrow regions, so the clip is exercised");
        Assert.IsLessThan(400, outside, "and some inside, which it leaves alone");
        Assert.Throws<ArgumentException>(() => new AodDecoder(t, 8, projectOntoRegion: true));
    }

    [TestMethod]
    public void TheProjectionOntoPClipsEachCoordinateToTheArea()
    {
        var area = new E2EDeploy.Shared.Scenarios.PositionPrior();
        using var plain = new PositionDecoder(2, 4, 8, DecoderInput.Gram);
        using var projected = new PositionDecoder(2, 4, 8, DecoderInput.Gram, projectionArea: area);
        using var generator = new Generator(13);
        plain.Initialize(generator);
        projected.load_state_dict(plain.state_dict());
        using (no_grad())
        {
            // Spread the estimates around P's centre, well beyond its +/- 1.58 m.
            plain.Body.Layers[^1].bias!.copy_(tensor(new[] { (float)area.Center.X, (float)area.Center.Y }));
            projected.Body.Layers[^1].bias!.copy_(tensor(new[] { (float)area.Center.X, (float)area.Center.Y }));
            plain.Body.Layers[^1].weight!.mul_(2000);
            projected.Body.Layers[^1].weight!.mul_(2000);
        }

        using Tensor y = randn([300, 16], generator: generator) * 3;
        float[] free = plain.call(y).data<float>().ToArray();
        float[] clipped = projected.call(y).data<float>().ToArray();
        double[] low = [area.Center.X - (area.WidthM / 2), area.Center.Y - (area.HeightM / 2)];
        double[] high = [area.Center.X + (area.WidthM / 2), area.Center.Y + (area.HeightM / 2)];
        int outside = 0;
        for (int k = 0; k < free.Length; k++)
        {
            double expected = Math.Min(Math.Max(free[k], (float)low[k % 2]), (float)high[k % 2]);
            outside += expected == free[k] ? 0 : 1;
            Assert.AreEqual(expected, clipped[k], 1e-6, $"value {k}");
        }

        Assert.IsGreaterThan(10, outside, "estimates outside P are clipped");
        Assert.IsLessThan(free.Length, outside, "estimates inside P are left alone");
    }

    [TestMethod]
    public void TableIWidthsAreThePapers()
    {
        using var precoder = new PrecoderNetwork(32, 20, 256);
        using var aod = new AodDecoder(20, 256);
        using var position = new PositionDecoder(2, 20, 256);
        CollectionAssert.AreEqual(new long[] { 3, 256, 256, 256, 256, 256, 256 }, precoder.Body.Layers.Select(l => l.in_features).ToArray());
        Assert.AreEqual(1280, precoder.Body.Layers[^1].out_features);
        CollectionAssert.AreEqual(new long[] { 40, 256, 256, 256, 256, 512, 512 }, aod.Body.Layers.Select(l => l.in_features).ToArray());
        Assert.AreEqual(1, aod.Body.Layers[^1].out_features);
        Assert.AreEqual(80, position.Body.Layers[0].in_features);
        Assert.AreEqual(2, position.Body.Layers[^1].out_features);
    }

    [TestMethod]
    public void AodDecoderOutputsRadiansWithinTheHalfPlane()
    {
        using var decoder = new AodDecoder(20, 16);
        using var generator = new Generator(4);
        decoder.Initialize(generator);
        using Tensor y = randn(200, 40, generator: generator) * 100;
        using Tensor theta = decoder.call(y);
        CollectionAssert.AreEqual(new long[] { 200 }, theta.shape);
        Assert.IsTrue(theta.data<float>().ToArray().All(v => Math.Abs(v) <= Math.PI / 2 + 1e-6));
    }

    [TestMethod]
    public void InitialisationDependsOnlyOnTheGenerator()
    {
        using var a = new AodDecoder(4, 8);
        using var b = new AodDecoder(4, 8);
        using (var g = new Generator(9))
        {
            a.Initialize(g);
        }

        using (var g = new Generator(9))
        {
            b.Initialize(g);
        }

        for (int i = 0; i < a.Body.Layers.Count; i++)
        {
            CollectionAssert.AreEqual(a.Body.Layers[i].weight!.data<float>().ToArray(), b.Body.Layers[i].weight!.data<float>().ToArray(), $"layer {i}");
        }
    }
}
