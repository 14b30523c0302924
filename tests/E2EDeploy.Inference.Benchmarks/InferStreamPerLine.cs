using System.Globalization;
using System.Numerics;
using System.Text;
using BenchmarkDotNet.Attributes;
using E2EDeploy.Cli.Commands;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Inference.Benchmarks;

/// <summary>
/// The cost of `e2e infer`'s JSON-lines stream beyond the model's own, per line: the same 1,000 observations (the
/// benchmark's, 20 dB, with the paper's test regions) estimated by the model's own call on ready values ("model alone"),
/// and as JSON lines through <see cref="InferCommand.Run(ModelKind, IDisposable, Stream, Stream, int, bool)"/> from one
/// in-memory stream into another ("e2e infer stream": reading, parsing, the same call, writing the answer). The
/// difference of the two medians is the stream's cost per line. The precoder row computes F for one region per line
/// and writes its 1,280 numbers.
/// </summary>
[Config(typeof(BenchConfig))]
public class InferStreamPerLine
{
    private const int Count = 1000;
    private IDisposable model = null!;
    private byte[] lines = null!;
    private byte[] answers = null!;
    private Complex[] observations = null!;
    private AngularRegion[] regions = null!;
    private Complex[] precoder = null!;
    private double[] estimates = null!;
    private ModelKind kind;
    private int perLine;

    /// <summary>The released model and kind, family/version:kind.</summary>
    [Params("position-none-snr05/v1:position", "position-none/v5:position", "aod-none/v13:aod", "aod-none/v13:precoder")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string registry = ReleasedPositionEstimators.ReleasedRegistry();
        string[] parts = Model.Split(':');
        var reference = ModelReference.Registry(registry, parts[0]);
        var text = new StringBuilder();
        string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        switch (parts[1])
        {
            case "position":
            {
                kind = ModelKind.PositionEstimator;
                model = UePositionEstimator.Load(reference);
                (regions, _, observations) = BenchmarkObservations.Position(Scenario.Paper, Count);
                perLine = 40;
                string regionsJson = string.Join(",", regions.Select(u => $"[{R(u.MinRad)},{R(u.MaxRad)}]"));
                for (int b = 0; b < Count; b++)
                {
                    Complex[] y = observations[(b * 40)..((b + 1) * 40)];
                    string Rows(Func<Complex, double> part) => string.Join(",", Enumerable.Range(0, 2).Select(i => "[" + string.Join(",", y[(i * 20)..((i + 1) * 20)].Select(c => R(part(c)))) + "]"));
                    text.Append($"{{\"y\":{{\"re\":[{Rows(c => c.Real)}],\"im\":[{Rows(c => c.Imaginary)}]}},\"regions\":[{regionsJson}]}}\n");
                }

                break;
            }

            case "aod":
            {
                kind = ModelKind.AodEstimator;
                model = UeAodEstimator.Load(reference);
                (AngularRegion region, _, observations) = BenchmarkObservations.Aod(Count);
                regions = [region];
                perLine = 20;
                for (int b = 0; b < Count; b++)
                {
                    Complex[] y = observations[(b * 20)..((b + 1) * 20)];
                    text.Append($"{{\"y\":{{\"re\":[{string.Join(",", y.Select(c => R(c.Real)))}],\"im\":[{string.Join(",", y.Select(c => R(c.Imaginary)))}]}},\"theta_min\":{R(region.MinRad)},\"theta_max\":{R(region.MaxRad)}}}\n");
                }

                break;
            }

            default:
            {
                kind = ModelKind.Precoder;
                var bs = BsPrecoder.Load(reference);
                model = bs;
                precoder = new Complex[bs.AntennaCount * bs.TransmissionCount];
                var random = new Random(3);
                regions = Enumerable.Range(0, Count).Select(_ => AngularRegion.Around((random.NextDouble() - 0.5) * 2, 0.1 + (0.1 * random.NextDouble()))).ToArray();
                foreach (AngularRegion u in regions)
                {
                    text.Append($"{{\"theta_min\":{R(u.MinRad)},\"theta_max\":{R(u.MaxRad)}}}\n");
                }

                break;
            }
        }

        lines = Encoding.UTF8.GetBytes(text.ToString());
        estimates = new double[2];
        answers = new byte[64 << 20];
        int errors = InferCommand.Run(kind, model, new MemoryStream(lines), new MemoryStream(answers));
        if (errors != 0)
        {
            throw new InvalidOperationException($"{errors} of {Count} benchmark lines were answered with an error: expected none.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "model alone")]
    public void ModelAlone()
    {
        for (int b = 0; b < Count; b++)
        {
            switch (model)
            {
                case UePositionEstimator position:
                    PlanePoint p = position.Estimate(observations.AsSpan(b * perLine, perLine), regions);
                    estimates[0] = p.X;
                    break;
                case UeAodEstimator aod:
                    estimates[0] = aod.Estimate(observations.AsSpan(b * perLine, perLine), regions[0]);
                    break;
                case BsPrecoder bs:
                    bs.Compute(regions[b], precoder);
                    break;
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "e2e infer stream")]
    public int Stream() => InferCommand.Run(kind, model, new MemoryStream(lines), new MemoryStream(answers));

    [GlobalCleanup]
    public void Cleanup() => model.Dispose();
}
