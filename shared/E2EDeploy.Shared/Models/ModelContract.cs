namespace E2EDeploy.Shared.Models;

/// <summary>The three kinds of deployed model.</summary>
public enum ModelKind
{
    /// <summary>The BS precoder network f_epsilon: xi -> F.</summary>
    Precoder,

    /// <summary>The UE AoD estimator f_mu: y_i -> theta_hat.</summary>
    AodEstimator,

    /// <summary>The UE position estimator f_beta: y -> p_hat.</summary>
    PositionEstimator,
}

/// <summary>One input or output of a model: name, float32 element type, shape with the symbolic batch dimension as -1.</summary>
/// <param name="Name">Tensor name in the ONNX graph.</param>
/// <param name="Shape">Dimensions; -1 is the symbolic batch dimension "N".</param>
/// <param name="Description">Units and layout.</param>
public sealed record TensorContract(string Name, long[] Shape, string Description)
{
    /// <summary>Number of values per batch row (product of the non-batch dimensions).</summary>
    public long RowLength => Shape.Where(d => d != ModelContract.BatchDimension).Aggregate(1L, (a, b) => a * b);

    /// <summary>The shape as text, e.g. [N, 2, 32, 20].</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Select(d => d == ModelContract.BatchDimension ? ModelContract.BatchName : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

/// <summary>The signature of a model kind for given sizes: exactly one input and one output, float32.</summary>
/// <param name="Kind">The model kind.</param>
/// <param name="Input">The input.</param>
/// <param name="Output">The output.</param>
public sealed record ModelSignature(ModelKind Kind, TensorContract Input, TensorContract Output)
{
    /// <summary>
    /// Where xi, the a-priori region (eq. 5, <see cref="ModelContract.RegionWidth"/> values), starts in an input row:
    /// 0 for a precoder, 2T for an AoD estimator and 2IT for a position estimator that take the region, null for an input without it.
    /// </summary>
    public int? RegionColumn { get; init; }

    /// <summary>
    /// How many regions follow one another from <see cref="RegionColumn"/>: 1 for a precoder and an AoD estimator,
    /// I (xi_1, ..., xi_I, one per BS) for a position estimator that takes the regions, 0 for an input without them.
    /// </summary>
    public int RegionCount => RegionColumn is null ? 0 : Kind == ModelKind.PositionEstimator ? (int)((Input.RowLength - RegionColumn.Value) / ModelContract.RegionWidth) : 1;
}

/// <summary>
/// The one contract between the exporter, the runtime and the tests: names, shapes, dtypes and layouts of the
/// deployed ONNX models. All tensors are float32; complex values cross the boundary as real parts, then imaginary
/// parts. The batch dimension is symbolic ("N").
/// <list type="bullet">
/// <item>Precoder: <c>xi</c> [N, 3] (rad, eq. 5) -&gt; <c>precoder</c> [N, 2, Ntx, T]: F's real parts [Ntx, T], then its imaginary parts, unit Frobenius norm per sample.</item>
/// <item>AoD estimator: <c>y</c> [N, 2T] (T real parts, then T imaginary parts) -&gt; <c>aod</c> [N], rad. An estimator
/// that takes the a-priori region (manifest <c>estimatorTakesRegion</c>) has the input <c>y_xi</c> [N, 2T + 3] instead:
/// the same 2T values of y, then xi = [theta_min, theta_max, (theta_max - theta_min) / 2] (rad, eq. 5), as for the precoder.</item>
/// <item>Position estimator: <c>y</c> [N, 2 I T] (BS 1's real then imaginary parts, then BS 2's, ...) -&gt; <c>position</c> [N, 2], m.
/// An estimator that takes the a-priori regions has the input <c>y_xi</c> [N, 2 I T + 3 I] instead: the same 2 I T values of y,
/// then xi_1, ..., xi_I, the input of each BS's precoder.</item>
/// </list>
/// </summary>
public static class ModelContract
{
    /// <summary>The symbolic batch dimension as it appears in shapes.</summary>
    public const long BatchDimension = -1;

    /// <summary>The name of the symbolic batch dimension in the ONNX graph.</summary>
    public const string BatchName = "N";

    /// <summary>ONNX IR version of exported models.</summary>
    public const long IrVersion = 8;

    /// <summary>ONNX opset (default domain) of exported models.</summary>
    public const long Opset = 17;

    /// <summary>metadata_props key holding the model kind.</summary>
    public const string KindKey = "e2e.kind";

    /// <summary>Lower-case name of a kind as used in files and metadata: precoder, aod-estimator, position-estimator.</summary>
    public static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Precoder => "precoder",
        ModelKind.AodEstimator => "aod-estimator",
        ModelKind.PositionEstimator => "position-estimator",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected precoder, aod-estimator or position-estimator."),
    };

    /// <summary>Parses <see cref="KindName"/>; throws naming the bad value.</summary>
    public static ModelKind ParseKind(string name) => name switch
    {
        "precoder" => ModelKind.Precoder,
        "aod-estimator" => ModelKind.AodEstimator,
        "position-estimator" => ModelKind.PositionEstimator,
        _ => throw new FormatException($"model kind '{name}': expected precoder, aod-estimator or position-estimator."),
    };

    /// <summary>Width of xi, the a-priori region's row (eq. 5): the precoder's input and the tail of <c>y_xi</c>.</summary>
    public const int RegionWidth = 3;

    /// <summary>
    /// The signature of a model of <paramref name="kind"/> for Ntx antennas, T transmissions and I BSs.
    /// <paramref name="estimatorTakesRegion"/> selects the estimator whose input is [y, xi] (AoD) or [y, xi_1, ..., xi_I]
    /// (position); it is ignored for a precoder.
    /// </summary>
    public static ModelSignature Signature(ModelKind kind, int antennaCount, int transmissionCount, int baseStationCount, bool estimatorTakesRegion = false)
    {
        if (antennaCount < 2 || transmissionCount < 1 || baseStationCount < 1)
        {
            throw new ArgumentException($"Ntx = {antennaCount}, T = {transmissionCount}, I = {baseStationCount}: expected Ntx >= 2, T >= 1, I >= 1.");
        }

        return kind switch
        {
            ModelKind.Precoder => new ModelSignature(kind,
                new TensorContract("xi", [BatchDimension, RegionWidth], "xi = [theta_min, theta_max, (theta_max - theta_min) / 2], rad (eq. 5)"),
                new TensorContract("precoder", [BatchDimension, 2, antennaCount, transmissionCount], "F: real parts [Ntx, T] then imaginary parts, unit Frobenius norm")) { RegionColumn = 0 },
            ModelKind.AodEstimator when estimatorTakesRegion => new ModelSignature(kind,
                new TensorContract("y_xi", [BatchDimension, (2 * transmissionCount) + RegionWidth], "[y_i, xi]: T real parts of y_i, then T imaginary parts, then xi = [theta_min, theta_max, (theta_max - theta_min) / 2] of the a-priori region, rad (eq. 5)"),
                new TensorContract("aod", [BatchDimension], "theta_hat, rad")) { RegionColumn = 2 * transmissionCount },
            ModelKind.AodEstimator => new ModelSignature(kind,
                new TensorContract("y", [BatchDimension, 2 * transmissionCount], "y_i: T real parts, then T imaginary parts"),
                new TensorContract("aod", [BatchDimension], "theta_hat, rad, in [-pi/2, pi/2]")),
            ModelKind.PositionEstimator when estimatorTakesRegion => new ModelSignature(kind,
                new TensorContract("y_xi", [BatchDimension, (2 * baseStationCount * transmissionCount) + (RegionWidth * baseStationCount)], "[y_1; ...; y_I; xi_1; ...; xi_I]: per BS, T real parts then T imaginary parts; then per BS xi_i = [theta_min, theta_max, (theta_max - theta_min) / 2] of its a-priori region, rad (eq. 5)"),
                new TensorContract("position", [BatchDimension, 2], "p_hat = (x, y), m")) { RegionColumn = 2 * baseStationCount * transmissionCount },
            ModelKind.PositionEstimator => new ModelSignature(kind,
                new TensorContract("y", [BatchDimension, 2 * baseStationCount * transmissionCount], "[y_1; ...; y_I]: per BS, T real parts then T imaginary parts"),
                new TensorContract("position", [BatchDimension, 2], "p_hat = (x, y), m")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected precoder, aod-estimator or position-estimator."),
        };
    }
}
