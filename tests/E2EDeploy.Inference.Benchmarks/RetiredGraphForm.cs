namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// Where the analysis benchmarks of the scoring steps in the graph find that form: the retired aod-none v12, whose
/// estimator graph held the decoder, both precoders and the unrolled steps (946 nodes). Its successor v13 has the same
/// weights with the steps in the runtime (e2e-train move-scoring), so the released models/ no longer has the file; a
/// checkout from before the move has it: <c>git worktree add /tmp/retired 3fbd21f</c>, then
/// <c>E2E_RETIRED_MODELS=/tmp/retired/models</c>.
/// </summary>
internal static class RetiredGraphForm
{
    /// <summary>The retired aod-none v12 estimator file; throws naming E2E_RETIRED_MODELS when it is not there.</summary>
    public static string AodEstimator()
    {
        string? registry = Environment.GetEnvironmentVariable("E2E_RETIRED_MODELS");
        string path = Path.Combine(registry ?? "(E2E_RETIRED_MODELS unset)", "aod-none", "v12", "aod-estimator.onnx");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"'{path}' does not exist: expected E2E_RETIRED_MODELS to name the models/ of a checkout that has the retired aod-none v12 (git worktree add /tmp/retired 3fbd21f; E2E_RETIRED_MODELS=/tmp/retired/models).", path);
    }
}
