namespace E2EDeploy.Training.Registry;

/// <summary>The deployed model's RMSE at one SNR on a fixed seed, as `e2e validate`'s learned column gives it.</summary>
/// <param name="Unit">deg or m.</param>
/// <param name="LearnedRmse">The RMSE, in <paramref name="Unit"/>.</param>
public sealed record RegressionMeasurement(string Unit, double LearnedRmse);

/// <summary>
/// Measures the version staged in <paramref name="versionFolder"/> through the deployed runtime (ONNX Runtime), never through
/// TorchSharp: what is recorded is what is deployed. The training library does not reference the runtime; the orchestration
/// (E2EDeploy.Pipeline) passes the validator in.
/// </summary>
/// <param name="versionFolder">A complete version folder (ONNX files and manifest.json).</param>
/// <param name="snrDb">SNR, dB.</param>
/// <param name="trials">Monte-Carlo trials.</param>
/// <param name="seed">Seed of the channel draws.</param>
public delegate RegressionMeasurement RegressionMeasure(string versionFolder, double snrDb, int trials, int seed);
