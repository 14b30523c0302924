using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace E2EDeploy.Training.Networks;

/// <summary>A stack of Linear layers with ReLU after every hidden layer and a linear output (Table I, docs/conventions.md point 9).</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<TorchSharp.Modules.Linear> layers;

    /// <summary>Creates the stack input -> hidden[0] -> ... -> hidden[^1] -> output.</summary>
    public Mlp(string name, int input, IReadOnlyList<int> hidden, int output)
        : base(name)
    {
        var widths = new List<int> { input };
        widths.AddRange(hidden);
        widths.Add(output);
        layers = new TorchSharp.Modules.ModuleList<TorchSharp.Modules.Linear>();
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            layers.Add(Linear(widths[i], widths[i + 1]));
        }

        RegisterComponents();
    }

    /// <summary>The Linear layers in order (for the exporter and the initialiser).</summary>
    public IReadOnlyList<TorchSharp.Modules.Linear> Layers => [.. layers];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].call(x);
            if (i + 1 < layers.Count)
            {
                x = x.relu_();
            }
        }

        return x;
    }

    /// <summary>
    /// Re-initialises every layer from <paramref name="generator"/> with PyTorch's default Linear distribution,
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, so that initialisation depends only on the seed passed in.
    /// </summary>
    public void Initialize(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (TorchSharp.Modules.Linear layer in layers)
        {
            double bound = 1.0 / Math.Sqrt(layer.in_features);
            // Tensor.uniform_ honours the generator; nn.init.uniform_ in TorchSharp 0.107 ignores it.
            layer.weight!.uniform_(-bound, bound, generator);
            layer.bias!.uniform_(-bound, bound, generator);
        }
    }
}
