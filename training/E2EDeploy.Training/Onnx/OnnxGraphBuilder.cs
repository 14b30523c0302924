using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Onnx.Proto;
using Google.Protobuf;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// Builds an ONNX graph node by node, in topological order, with unique names. Initializers are float32 or int64
/// tensors in raw_data (little-endian) and are not listed among the graph inputs.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto graph;
    private readonly HashSet<string> names = [];
    private int counter;

    public OnnxGraphBuilder(string name)
    {
        graph = new GraphProto { Name = name };
    }

    public GraphProto Graph => graph;

    /// <summary>Declares a float32 graph input with the contract's shape.</summary>
    public string Input(TensorContract contract)
    {
        Reserve(contract.Name);
        graph.Input.Add(ValueInfo(contract));
        return contract.Name;
    }

    /// <summary>Declares a float32 graph output with the contract's shape.</summary>
    public void Output(TensorContract contract) => graph.Output.Add(ValueInfo(contract));

    /// <summary>Adds a float32 initializer.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        Reserve(name);
        byte[] raw = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(raw);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the exporter writes raw_data on little-endian machines only.");
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a float64 initializer (the posterior-mean estimator computes in double precision).</summary>
    public string DoubleInitializer(string name, ReadOnlySpan<double> values, params long[] dims)
    {
        Reserve(name);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the exporter writes raw_data on little-endian machines only.");
        }

        byte[] raw = new byte[values.Length * sizeof(double)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(raw);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 initializer (for Reshape's shape).</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        Reserve(name);
        byte[] raw = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(values.Length);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node and returns its output name (a fresh one unless <paramref name="output"/> is given).</summary>
    public string Node(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        string result = output ?? Fresh(opType.ToLowerInvariant());
        if (output is not null)
        {
            Reserve(output);
        }

        var node = new NodeProto { OpType = opType, Name = Fresh($"{opType}_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(result);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return result;
    }

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs (for instance Split) and returns their fresh names.</summary>
    public string[] Nodes(string opType, string[] inputs, int outputCount, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh($"{opType}_node") };
        node.Input.AddRange(inputs);
        string[] results = Enumerable.Range(0, outputCount).Select(_ => Fresh(opType.ToLowerInvariant())).ToArray();
        node.Output.AddRange(results);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return results;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string Fresh(string stem)
    {
        string name;
        do
        {
            name = $"{stem}_{counter++}";
        }
        while (names.Contains(name));

        names.Add(name);
        return name;
    }

    private void Reserve(string name)
    {
        if (!names.Add(name))
        {
            throw new InvalidOperationException($"ONNX name '{name}' is used twice.");
        }
    }

    private static ValueInfoProto ValueInfo(TensorContract contract)
    {
        var shape = new TensorShapeProto();
        foreach (long d in contract.Shape)
        {
            shape.Dim.Add(d == ModelContract.BatchDimension
                ? new TensorShapeProto.Types.Dimension { DimParam = ModelContract.BatchName }
                : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = contract.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
