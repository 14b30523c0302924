using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// <see cref="FisherScoring"/> and the refinement steps as ONNX nodes, formula by formula in the same order, so that
/// ONNX Runtime computes what TorchSharp computes (the export check compares them). Tensors: y parts [N, T],
/// F parts [N, Ntx, T], theta [N], p [N, 2].
/// </summary>
internal sealed class FisherScoringGraph
{
    private readonly OnnxGraphBuilder builder;
    private readonly int antennaCount;
    private readonly int transmissionCount;
    private readonly string axisOne;
    private readonly string columnShape;
    private readonly string flatShape;
    private readonly string rowShape;
    private readonly string responseShape;
    private readonly string floor;
    private readonly string maxAngle;
    private readonly string minAngle;
    private readonly string maxStep;
    private readonly string minStep;
    private readonly string damping;

    public FisherScoringGraph(OnnxGraphBuilder builder, int antennaCount, int transmissionCount)
    {
        this.builder = builder;
        this.antennaCount = antennaCount;
        this.transmissionCount = transmissionCount;
        axisOne = builder.Int64Initializer("refine_axis_one", 1);
        columnShape = builder.Int64Initializer("refine_column_shape", -1, 1);
        flatShape = builder.Int64Initializer("refine_flat_shape", -1);
        rowShape = builder.Int64Initializer("refine_row_shape", -1, 1, antennaCount);
        responseShape = builder.Int64Initializer("refine_response_shape", -1, transmissionCount);
        floor = builder.Initializer("refine_information_floor", [FisherScoring.InformationFloor]);
        maxAngle = builder.Initializer("refine_max_angle_step", [FisherScoring.MaxAngleStepRad]);
        minAngle = builder.Initializer("refine_min_angle_step", [-FisherScoring.MaxAngleStepRad]);
        maxStep = builder.Initializer("refine_max_position_step", [FisherScoring.MaxPositionStepM]);
        minStep = builder.Initializer("refine_min_position_step", [-FisherScoring.MaxPositionStepM]);
        damping = builder.Initializer("refine_position_damping", [FisherScoring.PositionDamping]);
    }

    /// <summary>The constants of one BS: its F parts and its learned array.</summary>
    public sealed record Channel(string PrecoderReal, string PrecoderImaginary, string PhaseScale, string CouplingTransposeReal, string CouplingTransposeImaginary);

    /// <summary>Column <paramref name="index"/> of x [N, K] as [N].</summary>
    public string Column(string x, string indexName, long index) =>
        builder.Node("Reshape", [builder.Node("Gather", [x, builder.Int64Initializer(indexName, index)], null, OnnxGraphBuilder.Int("axis", 1)), flatShape]);

    /// <summary>y_i's real and imaginary parts [N, T] from y [N, 2IT].</summary>
    public (string Real, string Imaginary) Observation(string y, int bs)
    {
        string Part(string name, int from) => builder.Node("Gather", [y, builder.Int64Initializer(name, [.. Enumerable.Range(from, transmissionCount).Select(c => (long)c)])], null, OnnxGraphBuilder.Int("axis", 1));
        int at = 2 * transmissionCount * bs;
        return (Part($"bs{bs + 1}_y_real_columns", at), Part($"bs{bs + 1}_y_imag_columns", at + transmissionCount));
    }

    /// <summary>F [N, 2, Ntx, T] split into its parts (Gather on axis 1 with a [1] index, then Reshape to [N, Ntx, T]), and the learned array's constants (2 pi x as [1, Ntx], B^T parts).</summary>
    public Channel ChannelOf(string precoder, LearnedArray array, string prefix)
    {
        float[] positions = OnnxExporter.Values(array.Positions);
        float twoPi = (float)(2 * Math.PI);
        float[] scale = positions.Select(x => x * twoPi).ToArray();
        string partShape = builder.Int64Initializer($"{prefix}precoder_part_shape", -1, antennaCount, transmissionCount);
        string Part(string name, long index) => builder.Node("Reshape", [builder.Node("Gather", [precoder, builder.Int64Initializer(name, index)], null, OnnxGraphBuilder.Int("axis", 1)), partShape]);
        return new Channel(
            Part($"{prefix}precoder_real_index", 0),
            Part($"{prefix}precoder_imag_index", 1),
            builder.Initializer($"{prefix}phase_scale", scale, 1, antennaCount),
            builder.Initializer($"{prefix}coupling_t_real", OnnxExporter.Values(array.CouplingTransposeReal), antennaCount, antennaCount),
            builder.Initializer($"{prefix}coupling_t_imag", OnnxExporter.Values(array.CouplingTransposeImaginary), antennaCount, antennaCount));
    }

    /// <summary>score, information and correlation at theta [N], each [N], as <see cref="FisherScoring.Terms"/>.</summary>
    public (string Score, string Information, string Correlation) Terms(string yRe, string yIm, Channel channel, string theta)
    {
        string column = builder.Node("Reshape", [theta, columnShape]);
        string phase = Mul(builder.Node("Sin", [column]), channel.PhaseScale);
        string cosPhase = builder.Node("Cos", [phase]);
        string sinPhase = builder.Node("Sin", [phase]);
        (string aRe, string aIm) = Couple(cosPhase, sinPhase, channel);
        string factor = Mul(builder.Node("Cos", [column]), channel.PhaseScale);
        (string daRe, string daIm) = Couple(Mul(builder.Node("Neg", [factor]), sinPhase), Mul(factor, cosPhase), channel);
        (string bRe, string bIm) = Response(aRe, aIm, channel);
        (string dRe, string dIm) = Response(daRe, daIm, channel);
        string bb = Sum(Add(Mul(bRe, bRe), Mul(bIm, bIm)));
        string dd = Sum(Add(Mul(dRe, dRe), Mul(dIm, dIm)));
        string bdRe = Sum(Add(Mul(bRe, dRe), Mul(bIm, dIm)));
        string bdIm = Sum(Sub(Mul(bRe, dIm), Mul(bIm, dRe)));
        string byRe = Sum(Add(Mul(bRe, yRe), Mul(bIm, yIm)));
        string byIm = Sum(Sub(Mul(bRe, yIm), Mul(bIm, yRe)));
        string alphaRe = Div(byRe, bb);
        string alphaIm = Div(byIm, bb);
        string alphaReColumn = builder.Node("Reshape", [alphaRe, columnShape]);
        string alphaImColumn = builder.Node("Reshape", [alphaIm, columnShape]);
        string rRe = Sub(yRe, Sub(Mul(alphaReColumn, bRe), Mul(alphaImColumn, bIm)));
        string rIm = Sub(yIm, Add(Mul(alphaReColumn, bIm), Mul(alphaImColumn, bRe)));
        string drRe = Sum(Add(Mul(dRe, rRe), Mul(dIm, rIm)));
        string drIm = Sum(Sub(Mul(dRe, rIm), Mul(dIm, rRe)));
        string score = Add(Mul(alphaRe, drRe), Mul(alphaIm, drIm));
        string information = Mul(Add(Mul(alphaRe, alphaRe), Mul(alphaIm, alphaIm)), Sub(dd, Div(Add(Mul(bdRe, bdRe), Mul(bdIm, bdIm)), bb)));
        string correlation = Div(Add(Mul(byRe, byRe), Mul(byIm, byIm)), bb);
        return (score, information, correlation);
    }

    /// <summary>As <see cref="FisherScoring.AngleStep"/>.</summary>
    public string AngleStep(string yRe, string yIm, Channel channel, string theta, string low, string high)
    {
        (string score, string information, _) = Terms(yRe, yIm, channel, theta);
        string step = Clamp(Div(score, builder.Node("Max", [information, floor])), minAngle, maxAngle);
        return builder.Node("Max", [builder.Node("Min", [Add(theta, step), high]), low]);
    }

    /// <summary>One step of <see cref="RefinedPositionEstimator"/> from p [N, 2].</summary>
    public string PositionStep((string Re, string Im)[] observations, Channel[] channels, IReadOnlyList<BaseStation> baseStations, string p, string low, string high, string? output)
    {
        string px = builder.Node("Reshape", [builder.Node("Gather", [p, Constant("refine_x_index", () => builder.Int64Initializer("refine_x_index", 0))], null, OnnxGraphBuilder.Int("axis", 1)), flatShape]);
        string py = builder.Node("Reshape", [builder.Node("Gather", [p, Constant("refine_y_index", () => builder.Int64Initializer("refine_y_index", 1))], null, OnnxGraphBuilder.Int("axis", 1)), flatShape]);
        string? j11 = null, j12 = null, j22 = null, sx = null, sy = null;
        for (int i = 0; i < channels.Length; i++)
        {
            BaseStation bs = baseStations[i];
            string dx = Sub(px, Scalar($"bs{i + 1}_qx", (float)bs.Position.X));
            string dy = Sub(py, Scalar($"bs{i + 1}_qy", (float)bs.Position.Y));
            string r2 = Add(Mul(dx, dx), Mul(dy, dy));
            string gx = Div(dy, r2);
            string gy = Div(builder.Node("Neg", [dx]), r2);
            string theta = Sub(builder.Node("Atan", [Div(dx, dy)]), Scalar($"bs{i + 1}_psi", (float)bs.OrientationRad));
            (string score, string information, _) = Terms(observations[i].Re, observations[i].Im, channels[i], theta);
            string a = Mul(information, gx);
            string c = Mul(information, gy);
            j11 = Accumulate(j11, Mul(a, gx));
            j12 = Accumulate(j12, Mul(a, gy));
            j22 = Accumulate(j22, Mul(c, gy));
            sx = Accumulate(sx, Mul(score, gx));
            sy = Accumulate(sy, Mul(score, gy));
        }

        string damping = Mul(Add(j11!, j22!), this.damping);
        j11 = Add(j11!, damping);
        j22 = Add(j22!, damping);
        string det = builder.Node("Max", [Sub(Mul(j11, j22), Mul(j12!, j12!)), floor]);
        string stepX = Clamp(Div(Sub(Mul(j22!, sx!), Mul(j12!, sy!)), det), minStep, maxStep);
        string stepY = Clamp(Div(Sub(Mul(j11!, sy!), Mul(j12!, sx!)), det), minStep, maxStep);
        string step = builder.Node("Concat", [builder.Node("Reshape", [stepX, columnShape]), builder.Node("Reshape", [stepY, columnShape])], null, OnnxGraphBuilder.Int("axis", 1));
        return builder.Node("Max", [builder.Node("Min", [Add(p, step), high]), low], output);
    }

    private readonly Dictionary<string, string> constants = [];

    /// <summary>The initializer <paramref name="name"/>, created on first use: every step shares the BSs' constants.</summary>
    private string Constant(string name, Func<string> create)
    {
        if (!constants.TryGetValue(name, out string? existing))
        {
            existing = create();
            constants[name] = existing;
        }

        return existing;
    }

    private string Scalar(string name, float value) => Constant(name, () => builder.Initializer(name, [value]));

    private string Accumulate(string? sum, string term) => sum is null ? term : Add(sum, term);

    private (string Real, string Imaginary) Couple(string real, string imaginary, Channel channel) =>
        (Sub(builder.Node("MatMul", [real, channel.CouplingTransposeReal]), builder.Node("MatMul", [imaginary, channel.CouplingTransposeImaginary])),
         Add(builder.Node("MatMul", [imaginary, channel.CouplingTransposeReal]), builder.Node("MatMul", [real, channel.CouplingTransposeImaginary])));

    /// <summary>b_t = sum_n F[n, t] v_n: [N, 1, Ntx] x [N, Ntx, T] -&gt; [N, T], as TorchChannel.Response.</summary>
    private (string Real, string Imaginary) Response(string vRe, string vIm, Channel channel)
    {
        string vr = builder.Node("Reshape", [vRe, rowShape]);
        string vi = builder.Node("Reshape", [vIm, rowShape]);
        string real = Sub(builder.Node("MatMul", [vr, channel.PrecoderReal]), builder.Node("MatMul", [vi, channel.PrecoderImaginary]));
        string imaginary = Add(builder.Node("MatMul", [vr, channel.PrecoderImaginary]), builder.Node("MatMul", [vi, channel.PrecoderReal]));
        return (builder.Node("Reshape", [real, responseShape]), builder.Node("Reshape", [imaginary, responseShape]));
    }

    private string Clamp(string x, string min, string max) => builder.Node("Min", [builder.Node("Max", [x, min]), max]);

    private string Sum(string x) => builder.Node("ReduceSum", [x, axisOne], null, OnnxGraphBuilder.Int("keepdims", 0));

    private string Mul(string a, string b) => builder.Node("Mul", [a, b]);

    private string Add(string a, string b) => builder.Node("Add", [a, b]);

    private string Sub(string a, string b) => builder.Node("Sub", [a, b]);

    private string Div(string a, string b) => builder.Node("Div", [a, b]);
}
