using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx.Proto;
using Google.Protobuf;
using TorchSharp.Modules;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// Turns the trained networks into self-contained ONNX models (IR 8, opset 17) that follow <see cref="ModelContract"/>:
/// Gemm (transB = 1) for each Linear, Relu between layers, and every normalisation and output scaling of the
/// module inside the graph (Mul, ReduceSum, Sqrt, Div and Reshape for the precoder; Reshape, Tanh and Mul for
/// the AoD decoder; the gain-phase-invariant <see cref="GramFeatures"/> when a decoder uses them). TorchSharp has no ONNX exporter (dotnet/TorchSharp issue 1281), hence this one.
/// </summary>
public static partial class OnnxExporter
{
    /// <summary>The precoder model: xi [N, 3] -&gt; precoder [N, 2, Ntx, T], unit Frobenius norm per sample.</summary>
    public static byte[] Export(PrecoderNetwork network, int baseStationCount, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ModelSignature signature = ModelContract.Signature(ModelKind.Precoder, network.AntennaCount, network.TransmissionCount, baseStationCount);
        var builder = new OnnxGraphBuilder("precoder");
        string x = builder.Input(signature.Input);
        PrecoderGraph(builder, network, x, string.Empty, signature.Output.Name);
        builder.Output(signature.Output);
        return Serialize(builder, ModelKind.Precoder, metadata);
    }

    /// <summary>
    /// The precoder's nodes on xi [N, 3]: the MLP, Mul (the squares), ReduceSum over axis 1, Sqrt, Div and Reshape to
    /// [N, 2, Ntx, T]. Names start with <paramref name="prefix"/>. Mul and ReduceSum rather than ReduceSumSquare: in ONNX
    /// Runtime 1.31 the pair is 8 to 17 % faster for the whole precoder at batch 256 (docs/guide/performance.md, "Against
    /// PyTorch").
    /// </summary>
    private static string PrecoderGraph(OnnxGraphBuilder builder, PrecoderNetwork network, string xi, string prefix, string? output = null)
    {
        string raw = Mlp(builder, network.Body, xi, null, prefix);
        string axis = builder.Int64Initializer($"{prefix}precoder_norm_axes", 1);
        string squares = builder.Node("ReduceSum", [builder.Node("Mul", [raw, raw]), axis], null, OnnxGraphBuilder.Int("keepdims", 1));
        string norm = builder.Node("Sqrt", [squares]);
        string normalized = builder.Node("Div", [raw, norm]);
        string shape = builder.Int64Initializer($"{prefix}precoder_shape", -1, 2, network.AntennaCount, network.TransmissionCount);
        return builder.Node("Reshape", [normalized, shape], output);
    }

    /// <summary>
    /// The AoD estimator: y [N, 2T] -&gt; aod [N] = pi/2 tanh(mlp(y)), rad. A decoder that takes the region has the input
    /// y_xi [N, 2T + 3]; Gather on axis 1 splits it into y and xi, and the MLP sees Concat(features of y, xi). With the
    /// region head, aod = centre + 1.25 x half-width x tanh(mlp) (MatMul of xi with a constant [3, 2], Gather, Mul, Add).
    /// With the projection onto U, Min and Max with xi's theta_max and theta_min close the graph.
    /// </summary>
    public static byte[] Export(AodDecoder decoder, int antennaCount, int baseStationCount, IReadOnlyDictionary<string, string> metadata, bool inputWithRegion = false)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ModelSignature signature = ModelContract.Signature(ModelKind.AodEstimator, antennaCount, decoder.TransmissionCount, baseStationCount, decoder.TakesRegion || inputWithRegion);
        var builder = new OnnxGraphBuilder("aod_estimator");
        string input = builder.Input(signature.Input);
        (string y, string? xi) = SplitRegions(builder, input, signature);
        AodDecoderGraph(builder, decoder, y, decoder.TakesRegion ? xi : null, signature.Output.Name);
        builder.Output(signature.Output);
        return Serialize(builder, ModelKind.AodEstimator, metadata);
    }

    /// <summary>The AoD decoder's nodes on y [N, 2T] and, for a decoder that takes it, xi [N, 3]; returns theta_hat [N].</summary>
    private static string AodDecoderGraph(OnnxGraphBuilder builder, AodDecoder decoder, string y, string? xi, string? output)
    {
        string features = decoder.Input != DecoderInput.Raw ? Gram(builder, y, 1, decoder.TransmissionCount) : y;
        if (xi is not null)
        {
            features = builder.Node("Concat", [features, xi], null, OnnxGraphBuilder.Int("axis", 1));
        }

        string logit = Mlp(builder, decoder.Body, features);
        string flatShape = builder.Int64Initializer("aod_shape", -1);
        string squashed = builder.Node("Tanh", [builder.Node("Reshape", [logit, flatShape])]);
        string? projected = decoder.ProjectsOntoRegion ? null : output;
        string estimate = builder.Node("Mul", [squashed, builder.Initializer("half_pi", [(float)(Math.PI / 2)])], projected);

        if (decoder.ProjectsOntoRegion && xi is not null)
        {
            // The projection onto U: Max(Min(theta_hat, theta_max), theta_min), with xi's first two columns as [N].
            string Bound(string name, long index) => builder.Node("Reshape", [builder.Node("Gather", [xi, builder.Int64Initializer(name, index)], null, OnnxGraphBuilder.Int("axis", 1)), flatShape]);
            estimate = builder.Node("Max", [builder.Node("Min", [estimate, Bound("region_max", 1)]), Bound("region_min", 0)], output);
        }

        return estimate;
    }

    /// <summary>
    /// The position estimator: y [N, 2 I T] -&gt; position [N, 2], m. A decoder that takes the regions has the input
    /// y_xi [N, 2 I T + 3 I]; Gather on axis 1 splits it into y and [xi_1, ..., xi_I], and the MLP sees Concat(features of y, xi).
    /// With the projection onto P, Min and Max with P's corners (constants [2]) close the graph.
    /// </summary>
    public static byte[] Export(PositionDecoder decoder, int antennaCount, IReadOnlyDictionary<string, string> metadata, bool inputWithRegions = false)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ModelSignature signature = ModelContract.Signature(ModelKind.PositionEstimator, antennaCount, decoder.TransmissionCount, decoder.BaseStationCount, decoder.TakesRegion || inputWithRegions);
        var builder = new OnnxGraphBuilder("position_estimator");
        string input = builder.Input(signature.Input);
        (string y, string? xi) = SplitRegions(builder, input, signature);
        PositionDecoderGraph(builder, decoder, y, decoder.TakesRegion ? xi : null, signature.Output.Name);
        builder.Output(signature.Output);
        return Serialize(builder, ModelKind.PositionEstimator, metadata);
    }

    /// <summary>The position decoder's nodes on y [N, 2IT] and, for a decoder that takes them, xi [N, 3I]; returns p_hat [N, 2].</summary>
    private static string PositionDecoderGraph(OnnxGraphBuilder builder, PositionDecoder decoder, string y, string? xi, string? output)
    {
        string features = decoder.Input != DecoderInput.Raw ? Gram(builder, y, decoder.BaseStationCount, decoder.TransmissionCount) : y;
        if (xi is not null)
        {
            features = builder.Node("Concat", [features, xi], null, OnnxGraphBuilder.Int("axis", 1));
        }

        if (decoder.ProjectionBounds is (float[] low, float[] high))
        {
            // The projection onto P: Max(Min(p_hat, [x_max, y_max]), [x_min, y_min]), broadcast over the batch.
            string estimate = Mlp(builder, decoder.Body, features);
            return builder.Node("Max", [builder.Node("Min", [estimate, builder.Initializer("area_high", high, 2)]), builder.Initializer("area_low", low, 2)], output);
        }

        return Mlp(builder, decoder.Body, features, output);
    }

    /// <summary>
    /// An estimator's input split by Gather on axis 1 into y (the columns before <see cref="ModelSignature.RegionColumn"/>)
    /// and the regions' xi (the rest); the input itself and null when the signature has no region.
    /// </summary>
    private static (string Y, string? Xi) SplitRegions(OnnxGraphBuilder builder, string input, ModelSignature signature)
    {
        if (signature.RegionColumn is not int column)
        {
            return (input, null);
        }

        string Columns(string name, int from, int count) =>
            builder.Node("Gather", [input, builder.Int64Initializer(name, [.. Enumerable.Range(from, count).Select(c => (long)c)])], null, OnnxGraphBuilder.Int("axis", 1));
        return (Columns("y_columns", 0, column), Columns("xi_columns", column, ModelContract.RegionWidth * signature.RegionCount));
    }

    /// <summary>
    /// <see cref="GramFeatures"/> as ONNX: y [N, 2 K T] is reshaped to columns [N, K, 2, T, 1] and rows [N, K, 2, 1, T];
    /// Gather on axis 2 picks the real and imaginary parts; Mul broadcasts the outer products; the real and imaginary
    /// parts of y y^H are concatenated per observation and flattened to [N, 2 K T^2], in GramFeatures' order.
    /// </summary>
    private static string Gram(OnnxGraphBuilder builder, string y, int observationCount, int transmissionCount)
    {
        int t = transmissionCount;
        string columns = builder.Node("Reshape", [y, builder.Int64Initializer("gram_column_shape", -1, observationCount, 2, t, 1)]);
        string rows = builder.Node("Reshape", [y, builder.Int64Initializer("gram_row_shape", -1, observationCount, 2, 1, t)]);
        string real = builder.Int64Initializer("gram_real", 0);
        string imag = builder.Int64Initializer("gram_imag", 1);
        string PartOf(string x, string index) => builder.Node("Gather", [x, index], null, OnnxGraphBuilder.Int("axis", 2));
        string reT = PartOf(columns, real), imT = PartOf(columns, imag), reS = PartOf(rows, real), imS = PartOf(rows, imag);

        // [N, K, T, T]: re_t re_s + im_t im_s and im_t re_s - re_t im_s.
        string realPart = builder.Node("Add", [builder.Node("Mul", [reT, reS]), builder.Node("Mul", [imT, imS])]);
        string imagPart = builder.Node("Sub", [builder.Node("Mul", [imT, reS]), builder.Node("Mul", [reT, imS])]);
        string flatShape = builder.Int64Initializer("gram_part_shape", -1, observationCount, 1, t * t);
        string both = builder.Node("Concat", [builder.Node("Reshape", [realPart, flatShape]), builder.Node("Reshape", [imagPart, flatShape])], null, OnnxGraphBuilder.Int("axis", 2));
        return builder.Node("Reshape", [both, builder.Int64Initializer("gram_shape", -1, GramFeatures.Width(observationCount, t))]);
    }

    /// <summary>Gemm per Linear (weight [out, in], transB = 1), Relu after every hidden layer.</summary>
    private static string Mlp(OnnxGraphBuilder builder, Mlp mlp, string input, string? output = null, string prefix = "")
    {
        string x = input;
        IReadOnlyList<Linear> layers = mlp.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            Linear layer = layers[i];
            string weight = builder.Initializer($"{prefix}layer{i}_weight", Values(layer.weight!), layer.out_features, layer.in_features);
            string bias = builder.Initializer($"{prefix}layer{i}_bias", Values(layer.bias!), layer.out_features);
            bool last = i + 1 == layers.Count;
            x = builder.Node("Gemm", [x, weight, bias], last ? output : null, OnnxGraphBuilder.Int("transB", 1));
            if (!last)
            {
                x = builder.Node("Relu", [x]);
            }
        }

        return x;
    }

    /// <summary>A tensor's values as float32, on the CPU, in row-major order (for initializers).</summary>
    internal static float[] Values(TorchSharp.torch.Tensor tensor)
    {
        using TorchSharp.torch.Tensor cpu = tensor.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static byte[] Serialize(OnnxGraphBuilder builder, ModelKind kind, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = ModelContract.IrVersion,
            ProducerName = "E2EDeploy",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            ModelVersion = 1,
            Graph = builder.Graph,
            DocString = $"E2EDeploy {ModelContract.KindName(kind)}",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = ModelContract.Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = ModelContract.KindKey, Value = ModelContract.KindName(kind) });
        foreach ((string key, string value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key != ModelContract.KindKey)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }

        return model.ToByteArray();
    }
}
