using E2EDeploy.Training.Onnx.Proto;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// Cuts an ONNX graph down to what one of its tensors needs: the nodes it depends on (in their order), the initializers
/// those nodes read, and that tensor as the only output, renamed to the contract's output name. Used to take the learned
/// decoder out of a released estimator whose graph also holds the Fisher-scoring steps, with its weights untouched.
/// </summary>
public static class OnnxGraphPruning
{
    /// <summary>
    /// A copy of <paramref name="model"/> whose graph ends at <paramref name="tensor"/>, output as <paramref name="outputName"/>
    /// with the element type and shape of the model's present output. Throws <see cref="ArgumentException"/> when no node
    /// makes <paramref name="tensor"/> or the graph has not exactly one output.
    /// </summary>
    public static ModelProto KeepUpTo(ModelProto model, string tensor, string outputName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(tensor);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputName);
        GraphProto graph = model.Graph;
        if (graph.Output.Count != 1)
        {
            throw new ArgumentException($"the graph has {graph.Output.Count} outputs: expected one.", nameof(model));
        }

        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            foreach (string made in graph.Node[i].Output)
            {
                producer[made] = i;
            }
        }

        if (!producer.ContainsKey(tensor))
        {
            throw new ArgumentException($"no node of the graph makes tensor '{tensor}': expected the name of a node output.", nameof(tensor));
        }

        var needed = new HashSet<int>();
        var pending = new Stack<string>([tensor]);
        while (pending.Count > 0)
        {
            if (producer.TryGetValue(pending.Pop(), out int node) && needed.Add(node))
            {
                foreach (string input in graph.Node[node].Input)
                {
                    pending.Push(input);
                }
            }
        }

        ModelProto pruned = model.Clone();
        GraphProto target = pruned.Graph;
        NodeProto[] kept = graph.Node.Where((_, i) => needed.Contains(i)).Select(n => n.Clone()).ToArray();
        foreach (NodeProto node in kept)
        {
            for (int k = 0; k < node.Output.Count; k++)
            {
                node.Output[k] = node.Output[k] == tensor ? outputName : node.Output[k];
            }

            for (int k = 0; k < node.Input.Count; k++)
            {
                node.Input[k] = node.Input[k] == tensor ? outputName : node.Input[k];
            }
        }

        var read = new HashSet<string>(kept.SelectMany(n => n.Input), StringComparer.Ordinal);
        target.Node.Clear();
        target.Node.AddRange(kept);
        TensorProto[] initializers = graph.Initializer.Where(t => read.Contains(t.Name)).Select(t => t.Clone()).ToArray();
        target.Initializer.Clear();
        target.Initializer.AddRange(initializers);
        ValueInfoProto output = graph.Output[0].Clone();
        output.Name = outputName;
        target.Output.Clear();
        target.Output.Add(output);
        target.ValueInfo.Clear();
        return pruned;
    }
}
