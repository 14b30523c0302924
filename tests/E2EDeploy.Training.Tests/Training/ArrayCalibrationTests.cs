using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Training;

[TestClass]
public sealed class ArrayCalibrationTests
{
    [TestMethod]
    [DataRow(ImpairmentKind.Coupling)]
    [DataRow(ImpairmentKind.Spacing)]
    public void CalibrationLearnsTheTrueResponse(ImpairmentKind kind)
    {
        Scenario scenario = TestRuns.Small with { Impairments = new ImpairmentSettings { Kind = kind } };
        using var model = Autoencoder.Create(TrainingTask.Aod, scenario, 16, CPU);
        using var generator = new Generator(3, CPU);
        model.Initialize(generator);
        using var arrays = ArrayCalibration.Nominal(scenario);
        using var single = new LearnedArray(4);
        Console.WriteLine($"single {single.parameters().Count()} {single.named_parameters().Count()} {single.Positions.requires_grad}");
        Console.WriteLine($"params {arrays.parameters().Count()} named {string.Join(",", arrays.named_parameters().Select(p => p.name))}");
        CalibrationResult result = ArrayCalibration.Run(model, TrainingTask.Aod, arrays, new CalibrationSettings(Steps: int.Parse(Environment.GetEnvironmentVariable("CAL_STEPS") ?? "300"), BatchSize: 256, LearningRate: double.Parse(Environment.GetEnvironmentVariable("CAL_LR") ?? "1e-2"), SnrDb: 30, Seed: 5));
        Console.WriteLine($"{kind}: {result.InitialLoss} -> {result.FinalLoss}");
        Assert.IsTrue(result.FinalLoss < 0.1 * result.InitialLoss, $"{result.InitialLoss} -> {result.FinalLoss}");
    }
}
