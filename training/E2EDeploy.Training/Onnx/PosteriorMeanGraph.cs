using System.Globalization;
using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// <see cref="PosteriorMeanPositionEstimator"/> as ONNX nodes in float64 (Cast in, Cast out), formula by formula in the same
/// order as its TorchSharp twin, so that ONNX Runtime computes what TorchSharp computes (the export check compares them).
/// Tensors: y parts [N, 1, T], F parts [N, Ntx, T], the grid theta [N, G], the pair tensors [N, G, G].
/// </summary>
internal sealed class PosteriorMeanGraph
{
    private const long Float64 = 11;
    private const long Float32 = 1;
    private readonly OnnxGraphBuilder builder;
    private readonly Dictionary<double, string> scalars = [];
    private readonly Dictionary<string, string> shapes = [];
    private readonly int antennaCount;
    private readonly int transmissionCount;
    private readonly int gridPoints;

    public PosteriorMeanGraph(OnnxGraphBuilder builder, int antennaCount, int transmissionCount, int gridPoints)
    {
        this.builder = builder;
        this.antennaCount = antennaCount;
        this.transmissionCount = transmissionCount;
        this.gridPoints = gridPoints;
    }

    /// <summary>The whole estimator: y [N, 4T] and xi [N, 6] (float32) -&gt; p_hat [N, 2] (float32) named <paramref name="output"/>.</summary>
    public string Build(PosteriorMeanPositionEstimator estimator, string y, string xi, Func<int, string, string> precoder, string output)
    {
        PosteriorGeometry geometry = estimator.Geometry;
        string yDouble = Cast(y, Float64);
        string u = builder.DoubleInitializer("posterior_grid_fractions", geometry.Fractions, 1, gridPoints);
        var logLikelihood = new string[2];
        var sines = new string[2];
        var cosines = new string[2];
        for (int i = 0; i < 2; i++)
        {
            string prefix = $"bs{i + 1}_";
            string xiI = builder.Node("Gather", [xi, builder.Int64Initializer($"{prefix}xi_columns", [.. Enumerable.Range(ModelContract.RegionWidth * i, ModelContract.RegionWidth).Select(c => (long)c)])], null, OnnxGraphBuilder.Int("axis", 1));
            string f = Cast(precoder(i, xiI), Float64);
            string xiDouble = Cast(xiI, Float64);
            string low = Columns(xiDouble, $"{prefix}posterior_low_column", 0, 1);
            string high = Columns(xiDouble, $"{prefix}posterior_high_column", 1, 1);
            string theta = Add(low, Mul(Sub(high, low), u));
            logLikelihood[i] = LogLikelihood(yDouble, f, theta, estimator.Arrays[i], estimator.NoiseVariance, i, prefix);
            string bearing = Add(theta, Scalar(geometry.Orientations[i]));
            (sines[i], cosines[i]) = (builder.Node("Sin", [bearing]), builder.Node("Cos", [bearing]));
        }

        string columnShape = builder.Int64Initializer("posterior_column_shape", -1, gridPoints, 1);
        string rowShape = builder.Int64Initializer("posterior_row_shape", -1, 1, gridPoints);
        string sa = Reshape(sines[0], columnShape), ca = Reshape(cosines[0], columnShape);
        string sb = Reshape(sines[1], rowShape), cb = Reshape(cosines[1], rowShape);
        string ex = Scalar(geometry.Baseline.X), ey = Scalar(geometry.Baseline.Y);
        string det = Sub(Mul(sb, ca), Mul(sa, cb));
        string r1 = Div(Sub(Mul(sb, ey), Mul(cb, ex)), det);
        string r2 = Div(Sub(Mul(sa, ey), Mul(ca, ex)), det);
        string px = Add(Mul(r1, sa), Scalar(geometry.First.X));
        string py = Add(Mul(r1, ca), Scalar(geometry.First.Y));
        string zero = Scalar(0);
        string kept = And(And(And(And(And(
            builder.Node("Greater", [r1, zero]), builder.Node("Greater", [r2, zero])),
            builder.Node("GreaterOrEqual", [px, Scalar(geometry.Area.MinX)])), builder.Node("LessOrEqual", [px, Scalar(geometry.Area.MaxX)])),
            builder.Node("GreaterOrEqual", [py, Scalar(geometry.Area.MinY)])), builder.Node("LessOrEqual", [py, Scalar(geometry.Area.MaxY)]));
        string tiny = Scalar(PosteriorMeanPositionEstimator.Tiny);
        string logArea = builder.Node("Log", [builder.Node("Max", [Div(Mul(r1, r2), builder.Node("Abs", [det])), tiny])]);
        string score = Add(Add(Reshape(logLikelihood[0], columnShape), Reshape(logLikelihood[1], rowShape)), logArea);
        string masked = builder.Node("Where", [kept, score, Scalar(PosteriorMeanPositionEstimator.MaskedLogWeight)]);
        string peak = builder.Node("ReduceMax", [masked], null, OnnxGraphBuilder.Ints("axes", 1, 2), OnnxGraphBuilder.Int("keepdims", 1));
        string weight = builder.Node("Exp", [Sub(masked, peak)]);
        string pairAxes = builder.Int64Initializer("posterior_pair_axes", 1, 2);
        string Total(string x) => builder.Node("ReduceSum", [x, pairAxes], null, OnnxGraphBuilder.Int("keepdims", 0));
        string sum = Total(weight);
        string sumX = Total(Mul(weight, builder.Node("Where", [kept, px, zero])));
        string sumY = Total(Mul(weight, builder.Node("Where", [kept, py, zero])));
        string safeSum = builder.Node("Max", [sum, tiny]);
        string any = builder.Node("Greater", [sum, zero]);
        string estimateX = builder.Node("Where", [any, Div(sumX, safeSum), Scalar(geometry.Area.Center.X)]);
        string estimateY = builder.Node("Where", [any, Div(sumY, safeSum), Scalar(geometry.Area.Center.Y)]);
        string pointShape = builder.Int64Initializer("posterior_point_shape", -1, 1);
        string estimate = builder.Node("Concat", [Reshape(estimateX, pointShape), Reshape(estimateY, pointShape)], null, OnnxGraphBuilder.Int("axis", 1));
        return builder.Node("Cast", [estimate], output, OnnxGraphBuilder.Int("to", Float32));
    }

    /// <summary>As PosteriorMeanPositionEstimator.LogLikelihood: [N, G].</summary>
    private string LogLikelihood(string y, string f, string theta, LearnedArray array, double noiseVariance, int bs, string prefix)
    {
        float twoPi = (float)(2 * Math.PI);
        double[] scale = OnnxExporter.Values(array.Positions).Select(x => (double)(x * twoPi)).ToArray();
        string phaseScale = builder.DoubleInitializer($"{prefix}posterior_phase_scale", scale, 1, antennaCount);
        string couplingReal = builder.DoubleInitializer($"{prefix}posterior_coupling_t_real", OnnxExporter.Values(array.CouplingTransposeReal).Select(v => (double)v).ToArray(), antennaCount, antennaCount);
        string couplingImaginary = builder.DoubleInitializer($"{prefix}posterior_coupling_t_imag", OnnxExporter.Values(array.CouplingTransposeImaginary).Select(v => (double)v).ToArray(), antennaCount, antennaCount);
        string column = Reshape(theta, Shape("posterior_flat_column_shape", -1, 1));
        string phase = Mul(builder.Node("Sin", [column]), phaseScale);
        string cosPhase = builder.Node("Cos", [phase]);
        string sinPhase = builder.Node("Sin", [phase]);
        string aRe = Sub(builder.Node("MatMul", [cosPhase, couplingReal]), builder.Node("MatMul", [sinPhase, couplingImaginary]));
        string aIm = Add(builder.Node("MatMul", [sinPhase, couplingReal]), builder.Node("MatMul", [cosPhase, couplingImaginary]));
        string gridShape = Shape("posterior_steering_shape", -1, gridPoints, antennaCount);
        aRe = Reshape(aRe, gridShape);
        aIm = Reshape(aIm, gridShape);
        string partShape = Shape("posterior_precoder_part_shape", -1, antennaCount, transmissionCount);
        string fRe = Reshape(builder.Node("Gather", [f, builder.Int64Initializer($"{prefix}posterior_real_index", 0)], null, OnnxGraphBuilder.Int("axis", 1)), partShape);
        string fIm = Reshape(builder.Node("Gather", [f, builder.Int64Initializer($"{prefix}posterior_imag_index", 1)], null, OnnxGraphBuilder.Int("axis", 1)), partShape);
        string bRe = Sub(builder.Node("MatMul", [aRe, fRe]), builder.Node("MatMul", [aIm, fIm]));
        string bIm = Add(builder.Node("MatMul", [aRe, fIm]), builder.Node("MatMul", [aIm, fRe]));
        string observationShape = Shape("posterior_observation_shape", -1, 1, transmissionCount);
        int at = 2 * transmissionCount * bs;
        string yRe = Reshape(Columns(y, $"{prefix}posterior_y_real_columns", at, transmissionCount), observationShape);
        string yIm = Reshape(Columns(y, $"{prefix}posterior_y_imag_columns", at + transmissionCount, transmissionCount), observationShape);
        string axisTwo = Shape("posterior_axis_two", 2);
        string Sum(string x) => builder.Node("ReduceSum", [x, axisTwo], null, OnnxGraphBuilder.Int("keepdims", 0));
        string bb = Sum(Add(Mul(bRe, bRe), Mul(bIm, bIm)));
        string zRe = Sum(Add(Mul(bRe, yRe), Mul(bIm, yIm)));
        string zIm = Sum(Sub(Mul(bRe, yIm), Mul(bIm, yRe)));
        string magnitude = builder.Node("Sqrt", [Add(Add(Mul(zRe, zRe), Mul(zIm, zIm)), Scalar(PosteriorMeanPositionEstimator.Tiny))]);
        return Sub(LogBesselI0Of(Mul(magnitude, Scalar(2 / noiseVariance))), Mul(bb, Scalar(1 / noiseVariance)));
    }

    /// <summary>As <see cref="LogBesselI0.Of(TorchSharp.torch.Tensor)"/>.</summary>
    private string LogBesselI0Of(string x)
    {
        string knee = Scalar(LogBesselI0.Knee);
        string small = Div(builder.Node("Min", [x, knee]), knee);
        string smallLog = builder.Node("Log", [Horner(Mul(small, small), LogBesselI0.SmallCoefficients)]);
        string large = builder.Node("Max", [x, knee]);
        string largeLog = Add(Sub(large, Mul(builder.Node("Log", [large]), Scalar(0.5))), builder.Node("Log", [Horner(Div(knee, large), LogBesselI0.LargeCoefficients)]));
        return builder.Node("Where", [builder.Node("Less", [x, knee]), smallLog, largeLog]);
    }

    private string Horner(string t, IReadOnlyList<double> coefficients)
    {
        string sum = Add(Mul(t, Scalar(coefficients[^1])), Scalar(coefficients[^2]));
        for (int k = coefficients.Count - 3; k >= 0; k--)
        {
            sum = Add(Mul(sum, t), Scalar(coefficients[k]));
        }

        return sum;
    }

    private string Shape(string name, params long[] values)
    {
        if (!shapes.TryGetValue(name, out string? existing))
        {
            existing = builder.Int64Initializer(name, values);
            shapes[name] = existing;
        }

        return existing;
    }

    /// <summary>A float64 scalar constant, one initializer per value.</summary>
    private string Scalar(double value)
    {
        if (!scalars.TryGetValue(value, out string? name))
        {
            name = builder.DoubleInitializer($"posterior_constant_{scalars.Count}", [value]);
            scalars[value] = name;
        }

        return name;
    }

    private string Columns(string x, string name, int from, int count) =>
        builder.Node("Gather", [x, builder.Int64Initializer(name, [.. Enumerable.Range(from, count).Select(c => (long)c)])], null, OnnxGraphBuilder.Int("axis", 1));

    private string Cast(string x, long to) => builder.Node("Cast", [x], null, OnnxGraphBuilder.Int("to", to));

    private string Reshape(string x, string shape) => builder.Node("Reshape", [x, shape]);

    private string And(string a, string b) => builder.Node("And", [a, b]);

    private string Mul(string a, string b) => builder.Node("Mul", [a, b]);

    private string Add(string a, string b) => builder.Node("Add", [a, b]);

    private string Sub(string a, string b) => builder.Node("Sub", [a, b]);

    private string Div(string a, string b) => builder.Node("Div", [a, b]);
}
