using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;

namespace E2EDeploy.Training.Onnx;

/// <summary>The posterior-mean position estimator (<see cref="PosteriorMeanPositionEstimator"/>).</summary>
public static partial class OnnxExporter
{
    /// <summary>
    /// The posterior-mean position estimator: y_xi [N, 4T + 6] -&gt; position [N, 2], m. Each BS's precoder subgraph
    /// (initializers prefixed bs1_, bs2_) gives F_i from xi_i; <see cref="PosteriorMeanGraph"/> follows in float64.
    /// </summary>
    public static byte[] Export(PosteriorMeanPositionEstimator estimator, int antennaCount, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        int t = estimator.TransmissionCount;
        ModelSignature signature = ModelContract.Signature(ModelKind.PositionEstimator, antennaCount, t, 2, estimatorTakesRegion: true);
        var builder = new OnnxGraphBuilder("position_estimator");
        string input = builder.Input(signature.Input);
        (string y, string? xi) = SplitRegions(builder, input, signature);
        var graph = new PosteriorMeanGraph(builder, antennaCount, t, estimator.GridPoints);
        graph.Build(estimator, y, xi!, (i, xiI) => PrecoderGraph(builder, estimator.Precoders[i], xiI, $"bs{i + 1}_"), signature.Output.Name);
        builder.Output(signature.Output);
        return Serialize(builder, ModelKind.PositionEstimator, metadata);
    }
}
