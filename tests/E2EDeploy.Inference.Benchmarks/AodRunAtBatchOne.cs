using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// One AoD estimator call at batch 1 on a pre-bound <see cref="OrtIoBinding"/>, as <see cref="DeployedModel"/> makes it:
/// the input row is one observation of the benchmark's (20 dB, U1 = [40, 60] deg) with its region, y_xi [1, 2T + 3]; the
/// output aod [1]. Owns the session it is given and the bound values.
/// </summary>
internal sealed class AodRunAtBatchOne : IDisposable
{
    private readonly OrtValue input;
    private readonly OrtValue output;
    private readonly OrtIoBinding binding;
    private readonly RunOptions runOptions = new();

    public AodRunAtBatchOne(InferenceSession session)
    {
        Session = session;
        (AngularRegion region, _, System.Numerics.Complex[] observations) = BenchmarkObservations.Aod(1);
        float[] row = new float[(2 * 20) + ModelContract.RegionWidth];
        ContractLayout.WriteComplex(observations.AsSpan(0, 20), row.AsSpan(0, 40));
        ContractLayout.WriteRegion(region, row.AsSpan(40));
        input = OrtValue.CreateTensorValueFromMemory(row, [1, row.Length]);
        output = OrtValue.CreateTensorValueFromMemory(new float[1], [1]);
        binding = session.CreateIoBinding();
        binding.BindInput(session.InputNames[0], input);
        binding.BindOutput(session.OutputNames[0], output);
    }

    public InferenceSession Session { get; }

    public void Run() => Session.RunWithBinding(runOptions, binding);

    public void Dispose()
    {
        runOptions.Dispose();
        binding.Dispose();
        input.Dispose();
        output.Dispose();
        Session.Dispose();
    }
}
