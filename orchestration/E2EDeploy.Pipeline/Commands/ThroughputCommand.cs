using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace E2EDeploy.Pipeline.Commands;

/// <summary>
/// `e2e-train throughput`: measures the AoD autoencoder's training-step throughput (samples/s and FLOP/s), next to
/// the dense float32 matrix product rate that libtorch reaches in the same process, on the same device.
/// </summary>
public static class ThroughputCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 1000 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden width H.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 5 warm-up steps).", DefaultValueFactory = _ => 30 };
        var size = new Option<int>("--matmul-size") { Description = "Side of the square matrices of the reference product.", DefaultValueFactory = _ => 2048 };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("throughput", "Measures training-step throughput of the AoD autoencoder against libtorch's dense-matmul FLOP/s (median of the timed runs).");
        foreach (Option option in new Option[] { batch, hidden, steps, size, device })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                int b = parse.GetValue(batch), h = parse.GetValue(hidden), n = parse.GetValue(steps), m = parse.GetValue(size);
                if (b < 1 || h < 1 || n < 1 || m < 1)
                {
                    throw new ArgumentException($"--batch {b} --hidden {h} --steps {n} --matmul-size {m}: expected integers >= 1.");
                }

                Measure(TorchDevices.Resolve(parse.GetValue(device)!), b, h, n, m);
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return TrainingCli.BadInput;
            }
        });
        return command;
    }

    private static void Measure(Device device, int batch, int hidden, int steps, int matmulSize)
    {
        Scenario scenario = Scenario.Paper;
        using var model = Autoencoder.Create(TrainingTask.Aod, scenario, hidden, device);
        using (var generator = new Generator(1, device))
        {
            model.Initialize(generator);
        }

        using OptimizerHelper optimizer = optim.Adam(model.parameters(), 1e-3);
        var sampler = new PriorSampler(scenario, 20, device);
        var stepTimes = new List<double>();
        for (int step = 1; step <= steps + 5; step++)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)(uint)SeedSequence.Derive(1, step), device);
            var watch = Stopwatch.StartNew();
            using TrainingSample sample = sampler.SampleAod(batch, generator);
            Tensor loss = model.Loss(sample);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
            if (step > 5)
            {
                stepTimes.Add(watch.Elapsed.TotalSeconds);
            }
        }

        double stepSeconds = Median(stepTimes);

        // Each sample passes one precoder network and the decoder; forward + backward is about 3 x 2 FLOPs per multiply-add.
        PrecoderNetwork precoder = model.Precoders[0];
        long macsPerSample = Macs(precoder.Body) + Macs(((AodAutoencoder)model).Decoder.Body);
        double flopsPerStep = 6.0 * macsPerSample * batch;

        using Tensor left = randn(matmulSize, matmulSize, device: device);
        using Tensor right = randn(matmulSize, matmulSize, device: device);
        var matmulTimes = new List<double>();
        for (int run = 0; run < 13; run++)
        {
            var watch = Stopwatch.StartNew();
            using Tensor product = left.mm(right);
            _ = product[0, 0].item<float>();
            if (run >= 3)
            {
                matmulTimes.Add(watch.Elapsed.TotalSeconds);
            }
        }

        double matmulFlops = 2.0 * matmulSize * (double)matmulSize * matmulSize / Median(matmulTimes);
        double achieved = flopsPerStep / stepSeconds;
        var table = new Table().Title($"AoD autoencoder training step, H = {hidden}, batch {batch}, {device.type}, {torch.get_num_threads()} threads, {TorchThreading.WaitPolicyVariable}={Environment.GetEnvironmentVariable(TorchThreading.WaitPolicyVariable)}");
        table.AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("median step time", $"{stepSeconds * 1000:0.0} ms (over {steps} steps)");
        table.AddRow("samples/s", (batch / stepSeconds).ToString("0", CultureInfo.InvariantCulture));
        table.AddRow("steps/s", (1 / stepSeconds).ToString("0.00", CultureInfo.InvariantCulture));
        table.AddRow("model FLOP/step (6 x MACs x batch)", $"{flopsPerStep / 1e9:0.00} GFLOP");
        table.AddRow("achieved", $"{achieved / 1e9:0.0} GFLOP/s");
        table.AddRow($"dense matmul {matmulSize}x{matmulSize} (median of 10)", $"{matmulFlops / 1e9:0.0} GFLOP/s");
        table.AddRow("fraction of dense-matmul FLOP/s", $"{achieved / matmulFlops:P1}");
        AnsiConsole.Write(table);
    }

    private static long Macs(Mlp mlp) => mlp.Layers.Sum(layer => layer.in_features * layer.out_features);

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }
}
