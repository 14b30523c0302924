using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// <see cref="FisherScoring"/> and the refinement steps as ONNX nodes: the same formulas, arranged so that one estimate
/// needs few nodes (ONNX Runtime pays about 1 us per node at batch 1, and its session creation grows faster than the node
/// count; docs/guide/performance.md). Complex vectors are real rows [re, im]; the array's coupling and the precoder are
/// one block matrix per BS, G = [[B_re^T, B_im^T], [-B_im^T, B_re^T]] [[F_re, F_im], [-F_im, F_re]] [N, 2Ntx, 2T], so
/// that [cos, sin] G = [Re b, Im b]; the steering vector and its derivative go through G in one MatMul; and every inner
/// product of b, d and y comes from one Gram MatMul. The export check compares the result with TorchSharp's.
/// Angles and the scoring terms are columns [N, 1] (theta, low, high, score, ...), so that no step reshapes them.
/// Tensors: y [N, 1, 2T], F [N, 2, Ntx, T], theta [N, 1], p [N, 2].
/// </summary>
internal sealed class FisherScoringGraph
{
    private readonly OnnxGraphBuilder builder;
    private readonly int antennaCount;
    private readonly int transmissionCount;
    private readonly string columnShape;
    private readonly string pairShape;
    private readonly string gramShape;
    private readonly string rotation;
    private readonly string floor;
    private readonly string maxAngle;
    private readonly string minAngle;

    public FisherScoringGraph(OnnxGraphBuilder builder, int antennaCount, int transmissionCount)
    {
        this.builder = builder;
        this.antennaCount = antennaCount;
        this.transmissionCount = transmissionCount;
        columnShape = builder.Int64Initializer("refine_column_shape", -1, 1);
        pairShape = builder.Int64Initializer("refine_pair_shape", -1, 2, 2 * antennaCount);
        gramShape = builder.Int64Initializer("refine_gram_shape", -1, 18);
        int t = transmissionCount;

        // [re, im] J = [-im, re]: J = [[0, I], [-I, 0]] [2T, 2T].
        float[] j = new float[4 * t * t];
        for (int k = 0; k < t; k++)
        {
            j[(k * 2 * t) + t + k] = 1;
            j[((t + k) * 2 * t) + k] = -1;
        }

        rotation = builder.Initializer("refine_rotation", j, 2 * t, 2 * t);

        floor = builder.Initializer("refine_information_floor", [FisherScoring.InformationFloor]);
        maxAngle = builder.Initializer("refine_max_angle_step", [FisherScoring.MaxAngleStepRad]);
        minAngle = builder.Initializer("refine_min_angle_step", [-FisherScoring.MaxAngleStepRad]);
    }

    /// <summary>The constants of one BS: G = C F [N, 2Ntx, 2T] (the coupling and the precoder as one block matrix) and 2 pi x as [1, Ntx].</summary>
    public sealed record Channel(string Response, string PhaseScale);

    /// <summary>Column <paramref name="index"/> of x [N, K] as [N, 1].</summary>
    public string Column(string x, string indexName, long index) =>
        builder.Node("Gather", [x, builder.Int64Initializer(indexName, index)], null, OnnxGraphBuilder.Int("axis", 1));

    /// <summary>x [N] as a column [N, 1].</summary>
    public string AsColumn(string x) => builder.Node("Reshape", [x, columnShape]);

    /// <summary>A column [N, 1] as [N], named <paramref name="output"/> if given.</summary>
    public string Flat(string column, string? output = null) =>
        builder.Node("Reshape", [column, Constant("refine_flat_shape", () => builder.Int64Initializer("refine_flat_shape", -1))], output);

    /// <summary>y_i as a row [N, 1, 2T] (real parts, then imaginary parts) from y [N, 2IT].</summary>
    public string Observation(string y, int bs)
    {
        int at = 2 * transmissionCount * bs;
        string columns = builder.Int64Initializer($"bs{bs + 1}_y_columns", [.. Enumerable.Range(at, 2 * transmissionCount).Select(c => (long)c)]);
        string rowShape = Constant("refine_observation_shape", () => builder.Int64Initializer("refine_observation_shape", -1, 1, 2 * transmissionCount));
        return builder.Node("Reshape", [builder.Node("Gather", [y, columns], null, OnnxGraphBuilder.Int("axis", 1)), rowShape]);
    }

    /// <summary>
    /// The channel of F [N, 2, Ntx, T] through the learned array: F's block matrix [[F_re, F_im], [-F_im, F_re]] (Gather,
    /// Reshape, Neg, Concat), multiplied once by the coupling's block matrix (a constant), and 2 pi x as [1, Ntx].
    /// </summary>
    public Channel ChannelOf(string precoder, LearnedArray array, string prefix)
    {
        int n = antennaCount;
        float[] positions = OnnxExporter.Values(array.Positions);
        float twoPi = (float)(2 * Math.PI);
        float[] scale = positions.Select(x => x * twoPi).ToArray();
        string partShape = builder.Int64Initializer($"{prefix}precoder_part_shape", -1, n, transmissionCount);
        string Part(string name, long index) => builder.Node("Reshape", [builder.Node("Gather", [precoder, builder.Int64Initializer(name, index)], null, OnnxGraphBuilder.Int("axis", 1)), partShape]);
        string real = Part($"{prefix}precoder_real_index", 0);
        string imaginary = Part($"{prefix}precoder_imag_index", 1);
        string top = builder.Node("Concat", [real, imaginary], null, OnnxGraphBuilder.Int("axis", 2));
        string bottom = builder.Node("Concat", [builder.Node("Neg", [imaginary]), real], null, OnnxGraphBuilder.Int("axis", 2));
        string block = builder.Node("Concat", [top, bottom], null, OnnxGraphBuilder.Int("axis", 1));

        // C = [[B_re^T, B_im^T], [-B_im^T, B_re^T]] [2Ntx, 2Ntx]: [re, im] C = [re B_re^T - im B_im^T, re B_im^T + im B_re^T].
        float[] couplingReal = OnnxExporter.Values(array.CouplingTransposeReal);
        float[] couplingImaginary = OnnxExporter.Values(array.CouplingTransposeImaginary);
        float[] coupling = new float[4 * n * n];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                float re = couplingReal[(r * n) + c], im = couplingImaginary[(r * n) + c];
                coupling[(r * 2 * n) + c] = re;
                coupling[(r * 2 * n) + n + c] = im;
                coupling[((n + r) * 2 * n) + c] = -im;
                coupling[((n + r) * 2 * n) + n + c] = re;
            }
        }

        string couplingBlock = builder.Initializer($"{prefix}coupling_block", coupling, 2 * n, 2 * n);
        return new Channel(builder.Node("MatMul", [couplingBlock, block]), builder.Initializer($"{prefix}phase_scale", scale, 1, n));
    }

    /// <summary>score, information and correlation at theta [N, 1], each [N, 1], as <see cref="FisherScoring.Terms"/>.</summary>
    public (string Score, string Information, string Correlation) Terms(string y, Channel channel, string theta) =>
        ScoringTerms(Inner(y, channel, theta));

    /// <summary>eq. (11)'s objective |b^H y|^2 / ||b||^2 at theta [N, 1], as <see cref="FisherScoring.Terms"/>.</summary>
    public string Correlation(string y, Channel channel, string theta)
    {
        InnerProducts p = Inner(y, channel, theta);
        return Div(SquaredMagnitude(p.ByRe, p.ByIm), p.Bb);
    }

    /// <summary>As <see cref="FisherScoring.AngleStep"/>, theta, low and high [N, 1].</summary>
    public string AngleStep(string y, Channel channel, string theta, string low, string high)
    {
        (string score, string information, _) = ScoringTerms(Inner(y, channel, theta));
        string step = Clamp(Div(score, builder.Node("Max", [information, floor])), minAngle, maxAngle);
        return builder.Node("Max", [builder.Node("Min", [Add(theta, step), high]), low]);
    }

    /// <summary>One step of <see cref="RefinedPositionEstimator"/> from p [N, 2].</summary>
    public string PositionStep(string[] observations, Channel[] channels, IReadOnlyList<BaseStation> baseStations, string p, string low, string high, string? output)
    {
        string px = builder.Node("Gather", [p, Constant("refine_x_index", () => builder.Int64Initializer("refine_x_index", 0))], null, OnnxGraphBuilder.Int("axis", 1));
        string py = builder.Node("Gather", [p, Constant("refine_y_index", () => builder.Int64Initializer("refine_y_index", 1))], null, OnnxGraphBuilder.Int("axis", 1));
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
            (string score, string information, _) = ScoringTerms(Inner(observations[i], channels[i], theta));
            string a = Mul(information, gx);
            string c = Mul(information, gy);
            j11 = Accumulate(j11, Mul(a, gx));
            j12 = Accumulate(j12, Mul(a, gy));
            j22 = Accumulate(j22, Mul(c, gy));
            sx = Accumulate(sx, Mul(score, gx));
            sy = Accumulate(sy, Mul(score, gy));
        }

        // The position constants are created on first use, so that an AoD graph carries none of them.
        string maxStep = Scalar("refine_max_position_step", FisherScoring.MaxPositionStepM);
        string minStep = Scalar("refine_min_position_step", -FisherScoring.MaxPositionStepM);
        string damping = Mul(Add(j11!, j22!), Scalar("refine_position_damping", FisherScoring.PositionDamping));
        j11 = Add(j11!, damping);
        j22 = Add(j22!, damping);
        string det = builder.Node("Max", [Sub(Mul(j11, j22), Mul(j12!, j12!)), floor]);
        string stepX = Clamp(Div(Sub(Mul(j22!, sx!), Mul(j12!, sy!)), det), minStep, maxStep);
        string stepY = Clamp(Div(Sub(Mul(j11!, sy!), Mul(j12!, sx!)), det), minStep, maxStep);
        string step = builder.Node("Concat", [stepX, stepY], null, OnnxGraphBuilder.Int("axis", 1));
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

    /// <summary>The inner products of b = F^T a(theta), d = F^T da/dtheta and y, each [N] (Re and Im of b^H b, d^H d, b^H d, b^H y, d^H y).</summary>
    private sealed record InnerProducts(string Bb, string Dd, string BdRe, string BdIm, string ByRe, string ByIm, string DyRe, string DyIm);

    /// <summary>
    /// a = B^T exp(j 2 pi x sin(theta)) and da/dtheta = B^T (j 2 pi x cos(theta)) exp(...) as rows [cos, sin] and
    /// [-f sin, f cos] (f = 2 pi x cos(theta)), through G in one MatMul to [b; d] [N, 2, 2T]; with y, the Gram products.
    /// </summary>
    private InnerProducts Inner(string y, Channel channel, string column)
    {
        string phase = Mul(builder.Node("Sin", [column]), channel.PhaseScale);
        string cosPhase = builder.Node("Cos", [phase]);
        string sinPhase = builder.Node("Sin", [phase]);
        string factor = Mul(builder.Node("Cos", [column]), channel.PhaseScale);
        string steering = builder.Node("Concat", [cosPhase, sinPhase, builder.Node("Neg", [Mul(factor, sinPhase)]), Mul(factor, cosPhase)], null, OnnxGraphBuilder.Int("axis", 1));
        string responses = builder.Node("MatMul", [builder.Node("Reshape", [steering, pairShape]), channel.Response]);
        string z = builder.Node("Concat", [responses, y], null, OnnxGraphBuilder.Int("axis", 1));
        string w = builder.Node("Concat", [z, builder.Node("MatMul", [z, rotation])], null, OnnxGraphBuilder.Int("axis", 1));
        string gram = builder.Node("Reshape", [builder.Node("MatMul", [w, builder.Node("Transpose", [z], null, OnnxGraphBuilder.Ints("perm", 0, 2, 1))]), gramShape]);
        // Z = [b; d; y] and W = [Z; Z J] [N, 6, 2T]; Gram = W Z^T [N, 6, 3], flattened row-major: entry 3 r + c is
        // Re(z_r^H z_c) for r < 3 and Im(z_(r-3)^H z_c) for r >= 3, since Re(u^H v) = u_row . v_row and Im(u^H v) = (u_row J) . v_row.
        string[] entries = builder.Nodes("Split", [gram], 18, OnnxGraphBuilder.Int("axis", 1));
        return new InnerProducts(entries[0], entries[4], entries[1], entries[10], entries[2], entries[11], entries[5], entries[14]);
    }

    /// <summary>
    /// score = Re(conj(alpha) d^H r) with alpha = b^H y / ||b||^2 and r = y - alpha b, which is
    /// (Re(conj(b^H y) d^H y) - |b^H y|^2 Re(b^H d) / ||b||^2) / ||b||^2; information = |alpha|^2 (||d||^2 - |b^H d|^2 / ||b||^2)
    /// with |alpha|^2 = correlation / ||b||^2; correlation = |b^H y|^2 / ||b||^2. Each [N, 1].
    /// </summary>
    private (string Score, string Information, string Correlation) ScoringTerms(InnerProducts p)
    {
        string byby = SquaredMagnitude(p.ByRe, p.ByIm);
        string bydy = Add(Mul(p.ByRe, p.DyRe), Mul(p.ByIm, p.DyIm));
        string score = Div(Sub(bydy, Div(Mul(byby, p.BdRe), p.Bb)), p.Bb);
        string correlation = Div(byby, p.Bb);
        string information = Mul(Div(correlation, p.Bb), Sub(p.Dd, Div(SquaredMagnitude(p.BdRe, p.BdIm), p.Bb)));
        return (score, information, correlation);
    }

    private string SquaredMagnitude(string re, string im) => Add(Mul(re, re), Mul(im, im));

    private string Clamp(string x, string min, string max) => builder.Node("Min", [builder.Node("Max", [x, min]), max]);

    private string Mul(string a, string b) => builder.Node("Mul", [a, b]);

    private string Add(string a, string b) => builder.Node("Add", [a, b]);

    private string Sub(string a, string b) => builder.Node("Sub", [a, b]);

    private string Div(string a, string b) => builder.Node("Div", [a, b]);
}
