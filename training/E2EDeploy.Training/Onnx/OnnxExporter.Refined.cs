using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;

namespace E2EDeploy.Training.Onnx;

/// <summary>The estimators with Fisher-scoring refinement (<see cref="RefinedAodEstimator"/>, <see cref="RefinedPositionEstimator"/>).</summary>
public static partial class OnnxExporter
{
    /// <summary>
    /// The AoD estimator with refinement: y_xi [N, 2T + 3] -&gt; aod [N], rad. The decoder's nodes give theta_0 (Max/Min onto
    /// U); each BS's precoder subgraph (initializers prefixed bs1_, bs2_, ...) gives F_i from xi; the unrolled scoring steps
    /// of <see cref="FisherScoring"/> follow (<see cref="FisherScoringGraph"/>: block products, one Gram MatMul per evaluation); Greater and Where
    /// keep the BS whose correlation is largest.
    /// </summary>
    public static byte[] Export(RefinedAodEstimator estimator, int antennaCount, int baseStationCount, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        int t = estimator.Decoder.TransmissionCount;
        ModelSignature signature = ModelContract.Signature(ModelKind.AodEstimator, antennaCount, t, baseStationCount, estimatorTakesRegion: true);
        var builder = new OnnxGraphBuilder("aod_estimator");
        string input = builder.Input(signature.Input);
        (string y, string? regions) = SplitRegions(builder, input, signature);
        string xi = regions!;
        var graph = new FisherScoringGraph(builder, antennaCount, t);
        string low = graph.Column(xi, "refine_low_index", 0);
        string high = graph.Column(xi, "refine_high_index", 1);
        string decoded = AodDecoderGraph(builder, estimator.Decoder, y, estimator.Decoder.TakesRegion ? xi : null, null);
        string start = builder.Node("Max", [builder.Node("Min", [graph.AsColumn(decoded), high]), low]);
        string observation = graph.Observation(y, 0);
        string? best = null, bestCorrelation = null;
        for (int i = 0; i < estimator.Precoders.Count; i++)
        {
            string f = PrecoderGraph(builder, estimator.Precoders[i], xi, $"bs{i + 1}_");
            FisherScoringGraph.Channel channel = graph.ChannelOf(f, estimator.Arrays[i], $"bs{i + 1}_");
            string theta = start;
            for (int k = 0; k < estimator.Steps; k++)
            {
                theta = graph.AngleStep(observation, channel, theta, low, high);
            }

            if (best is null)
            {
                best = theta;
                if (estimator.Precoders.Count > 1)
                {
                    bestCorrelation = graph.Correlation(observation, channel, theta);
                }
            }
            else
            {
                string correlation = graph.Correlation(observation, channel, theta);
                best = builder.Node("Where", [builder.Node("Greater", [correlation, bestCorrelation!]), theta, best]);
                if (i + 1 < estimator.Precoders.Count)
                {
                    bestCorrelation = builder.Node("Max", [correlation, bestCorrelation!]);
                }
            }
        }

        graph.Flat(best!, signature.Output.Name);

        builder.Output(signature.Output);
        return Serialize(builder, ModelKind.AodEstimator, metadata);
    }

    /// <summary>
    /// The position estimator with refinement: y_xi [N, 2IT + 3I] -&gt; position [N, 2], m. The decoder's nodes give p_0
    /// (Max/Min onto P); each BS's precoder subgraph gives F_i from xi_i; each unrolled step computes theta_i(p) with Atan,
    /// the scoring terms per BS, and the 2 x 2 solve in closed form, as <see cref="RefinedPositionEstimator"/> does.
    /// </summary>
    public static byte[] Export(RefinedPositionEstimator estimator, int antennaCount, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        int t = estimator.Decoder.TransmissionCount;
        int bsCount = estimator.Precoders.Count;
        ModelSignature signature = ModelContract.Signature(ModelKind.PositionEstimator, antennaCount, t, bsCount, estimatorTakesRegion: true);
        var builder = new OnnxGraphBuilder("position_estimator");
        string input = builder.Input(signature.Input);
        (string y, string? regions) = SplitRegions(builder, input, signature);
        string xi = regions!;
        var graph = new FisherScoringGraph(builder, antennaCount, t);
        string low = builder.Initializer("refine_area_low", estimator.Low, 2);
        string high = builder.Initializer("refine_area_high", estimator.High, 2);
        string decoded = PositionDecoderGraph(builder, estimator.Decoder, y, estimator.Decoder.TakesRegion ? xi : null, null);
        string p = builder.Node("Max", [builder.Node("Min", [decoded, high]), low]);
        var observations = new string[bsCount];
        var channels = new FisherScoringGraph.Channel[bsCount];
        for (int i = 0; i < bsCount; i++)
        {
            observations[i] = graph.Observation(y, i);
            string xiI = builder.Node("Gather", [xi, builder.Int64Initializer($"bs{i + 1}_xi_columns", [.. Enumerable.Range(ModelContract.RegionWidth * i, ModelContract.RegionWidth).Select(c => (long)c)])], null, OnnxGraphBuilder.Int("axis", 1));
            channels[i] = graph.ChannelOf(PrecoderGraph(builder, estimator.Precoders[i], xiI, $"bs{i + 1}_"), estimator.Arrays[i], $"bs{i + 1}_");
        }

        for (int k = 0; k < estimator.Steps; k++)
        {
            p = graph.PositionStep(observations, channels, estimator.BaseStations, p, low, high, k + 1 == estimator.Steps ? signature.Output.Name : null);
        }

        builder.Output(signature.Output);
        return Serialize(builder, ModelKind.PositionEstimator, metadata);
    }
}
