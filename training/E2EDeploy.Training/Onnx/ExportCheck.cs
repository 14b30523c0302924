using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Onnx;

/// <summary>The outcome of an export check.</summary>
/// <param name="Kind">Model kind.</param>
/// <param name="Samples">Inputs compared.</param>
/// <param name="MaxAbsDifference">Largest |ONNX Runtime - TorchSharp| over all outputs.</param>
/// <param name="GoldenShape">Shape of the golden input (the first <see cref="ExportCheck.GoldenRows"/> checked inputs).</param>
/// <param name="GoldenInput">Those inputs.</param>
/// <param name="GoldenOutput">ONNX Runtime's outputs for them.</param>
public sealed record ExportCheckResult(ModelKind Kind, int Samples, double MaxAbsDifference, long[] GoldenShape, float[] GoldenInput, float[] GoldenOutput);

/// <summary>
/// Checks an exported model before it is written: ONNX Runtime and the TorchSharp module on the same random inputs
/// must agree to <see cref="Tolerance"/> in every output value, and the graph must have the contract's names and shapes.
/// </summary>
public static class ExportCheck
{
    /// <summary>Largest allowed max-abs difference.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Rows of the checked inputs kept as golden cases in the manifest.</summary>
    public const int GoldenRows = 8;

    /// <summary>Runs both and compares; throws <see cref="InvalidOperationException"/> naming the model when they differ.</summary>
    /// <param name="onnx">The exported model.</param>
    /// <param name="signature">Its contract.</param>
    /// <param name="module">The TorchSharp module (on the CPU) that the model must reproduce.</param>
    /// <param name="label">Name of the model in messages.</param>
    /// <param name="samples">Number of random inputs (1,000 by default).</param>
    /// <param name="seed">Seed of the inputs.</param>
    /// <param name="input">
    /// The inputs instead of random ones, whole rows of the signature's input (a refining estimator is checked on draws of
    /// its own channel: on random y its scoring steps are ill-conditioned by design and amplify float rounding).
    /// </param>
    public static ExportCheckResult Run(byte[] onnx, ModelSignature signature, nn.Module<Tensor, Tensor> module, string label, int samples = 1000, int seed = 7, float[]? input = null)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnx, options);
        CheckSignature(session, signature, label);

        if (input is not null && input.Length % signature.Input.RowLength != 0)
        {
            throw new ArgumentException($"{label}: the check's input has {input.Length} values: expected whole rows of {signature.Input.RowLength}.", nameof(input));
        }

        input ??= RandomInput(signature, samples, seed);
        samples = (int)(input.Length / signature.Input.RowLength);
        long[] inputShape = [samples, .. signature.Input.Shape.Skip(1)];
        float[] expected;
        using (no_grad())
        using (Tensor x = tensor(input, inputShape))
        using (Tensor y = module.call(x))
        {
            expected = y.contiguous().data<float>().ToArray();
        }

        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [signature.Input.Name], [inputValue], [signature.Output.Name]);
        ReadOnlySpan<float> actual = outputs[0].GetTensorDataAsSpan<float>();
        if (actual.Length != expected.Length)
        {
            throw new InvalidOperationException($"{label}: ONNX Runtime returned {actual.Length} values, TorchSharp {expected.Length}.");
        }

        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference);
        }

        if (!(worst <= Tolerance))
        {
            throw new InvalidOperationException($"{label}: ONNX Runtime and TorchSharp differ by {worst:e3} (max abs over {samples} inputs): expected <= {Tolerance:e0}. Nothing was written.");
        }

        long inputRow = signature.Input.RowLength;
        long outputRow = signature.Output.RowLength;
        int rows = Math.Min(GoldenRows, samples);
        return new ExportCheckResult(signature.Kind, samples, worst, [rows, .. inputShape.Skip(1)],
            input[..(int)(rows * inputRow)], actual[..(int)(rows * outputRow)].ToArray());
    }

    private static void CheckSignature(InferenceSession session, ModelSignature signature, string label)
    {
        void Check(IReadOnlyDictionary<string, NodeMetadata> actual, TensorContract contract, string what)
        {
            if (actual.Count != 1 || !actual.TryGetValue(contract.Name, out NodeMetadata? metadata))
            {
                throw new InvalidOperationException($"{label}: the graph's {what} are [{string.Join(", ", actual.Keys)}]: expected [{contract.Name}].");
            }

            long[] shape = metadata.Dimensions.Select(d => (long)d).ToArray();
            if (!shape.SequenceEqual(contract.Shape) || metadata.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
            {
                throw new InvalidOperationException($"{label}: {what[..^1]} '{contract.Name}' is {metadata.ElementDataType} [{string.Join(", ", shape)}]: expected Float {contract.ShapeText}.");
            }
        }

        Check(session.InputMetadata, signature.Input, "inputs");
        Check(session.OutputMetadata, signature.Output, "outputs");
    }

    /// <summary>
    /// Inputs in the ranges the model sees: N(0, 1) observations, and for the columns of an a-priori region
    /// (<see cref="ModelSignature.RegionColumn"/>, <see cref="ModelSignature.RegionCount"/> of them) a valid xi (eq. 5) of a region within +/- 80 deg.
    /// </summary>
    private static float[] RandomInput(ModelSignature signature, int samples, int seed)
    {
        Random random = RandomSources.Create(seed);
        long row = signature.Input.RowLength;
        var values = new float[samples * row];
        for (int b = 0; b < samples; b++)
        {
            for (long k = 0; k < row; k++)
            {
                if (signature.RegionColumn is int column && k >= column && k < column + (ModelContract.RegionWidth * signature.RegionCount))
                {
                    continue;
                }

                values[(b * row) + k] = (float)MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1);
            }

            for (int region = 0; region < signature.RegionCount; region++)
            {
                double center = (random.NextDouble() - 0.5) * 2 * 1.2;
                double half = 0.05 + (random.NextDouble() * 0.25);
                long at = (b * row) + signature.RegionColumn!.Value + (region * ModelContract.RegionWidth);
                values[at + 0] = (float)(center - half);
                values[at + 1] = (float)(center + half);
                values[at + 2] = (float)half;
            }
        }

        return values;
    }
}
