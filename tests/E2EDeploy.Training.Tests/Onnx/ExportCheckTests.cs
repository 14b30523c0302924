using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx;
using TorchSharp;

namespace E2EDeploy.Training.Tests.Onnx;

[TestClass]
public sealed class ExportCheckTests
{
    [TestMethod]
    public void AModelThatDoesNotReproduceItsModuleIsRejected()
    {
        using var exported = new AodDecoder(4, 8);
        using var other = new AodDecoder(4, 8);
        using (var g = new torch.Generator(1))
        {
            exported.Initialize(g);
        }

        using (var g = new torch.Generator(2))
        {
            other.Initialize(g);
        }

        byte[] onnx = OnnxExporter.Export(exported, 8, 2, new Dictionary<string, string>());
        ModelSignature signature = ModelContract.Signature(ModelKind.AodEstimator, 8, 4, 2);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, ExportCheck.Run(onnx, signature, exported, "same").MaxAbsDifference);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExportCheck.Run(onnx, signature, other, "tiny/v1/aod-estimator.onnx"));
        StringAssert.Contains(e.Message, "tiny/v1/aod-estimator.onnx: ONNX Runtime and TorchSharp differ by");
    }

    [TestMethod]
    public void AGraphWithTheWrongShapeIsRejected()
    {
        using var decoder = new AodDecoder(4, 8);
        byte[] onnx = OnnxExporter.Export(decoder, 8, 2, new Dictionary<string, string>());
        ModelSignature wrong = ModelContract.Signature(ModelKind.AodEstimator, 8, 5, 2);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExportCheck.Run(onnx, wrong, decoder, "m"));
        StringAssert.Contains(e.Message, "input 'y' is Float [-1, 8]: expected Float [N, 10]");
    }

    [TestMethod]
    public void ARegionDecoderFollowsTheYXiContractAndNotThePlainOne()
    {
        using var decoder = new AodDecoder(4, 8, DecoderInput.Gram, takesRegion: true);
        using (var g = new torch.Generator(3))
        {
            decoder.Initialize(g);
        }

        byte[] onnx = OnnxExporter.Export(decoder, 8, 2, new Dictionary<string, string>());
        ModelSignature signature = ModelContract.Signature(ModelKind.AodEstimator, 8, 4, 2, estimatorTakesRegion: true);
        Assert.AreEqual(8, signature.RegionColumn);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, ExportCheck.Run(onnx, signature, decoder, "region").MaxAbsDifference);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExportCheck.Run(onnx, ModelContract.Signature(ModelKind.AodEstimator, 8, 4, 2), decoder, "m"));
        StringAssert.Contains(e.Message, "m: the graph's inputs are [y_xi]: expected [y].");
    }

    [TestMethod]
    public void APositionRegionDecoderTakesOneXiPerBaseStationAfterY()
    {
        using var decoder = new PositionDecoder(2, 4, 8, DecoderInput.Gram, takesRegion: true);
        using (var g = new torch.Generator(3))
        {
            decoder.Initialize(g);
        }

        byte[] onnx = OnnxExporter.Export(decoder, 8, new Dictionary<string, string>());
        ModelSignature signature = ModelContract.Signature(ModelKind.PositionEstimator, 8, 4, 2, estimatorTakesRegion: true);
        Assert.AreEqual(2 * 2 * 4, signature.RegionColumn);
        Assert.AreEqual(2, signature.RegionCount);
        CollectionAssert.AreEqual(new long[] { -1, (2 * 2 * 4) + (2 * 3) }, signature.Input.Shape);
        Assert.IsLessThanOrEqualTo(ExportCheck.Tolerance, ExportCheck.Run(onnx, signature, decoder, "region").MaxAbsDifference);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExportCheck.Run(onnx, ModelContract.Signature(ModelKind.PositionEstimator, 8, 4, 2), decoder, "m"));
        StringAssert.Contains(e.Message, "m: the graph's inputs are [y_xi]: expected [y].");
    }
}
