using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Training;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Tests.Training;

[TestClass]
public sealed class ArrayCalibrationTests
{
    /// <summary>
    /// From the nominal array, the calibration loss falls from the impairment's mismatch to near the noise floor at 30 dB
    /// (T = 4: about (T - 1) / T x 4 sigma^2 / ||y||^2, a few 1e-3): the learned response explains the true array's y.
    /// </summary>
    [TestMethod]
    [DataRow(ImpairmentKind.Coupling)]
    [DataRow(ImpairmentKind.Spacing)]
    public void CalibrationLearnsTheTrueResponse(ImpairmentKind kind)
    {
        Scenario scenario = Impaired(kind);
        using var model = Autoencoder.Create(TrainingTask.Aod, scenario, 16, CPU);
        using var generator = new Generator(3, CPU);
        model.Initialize(generator);
        using var arrays = ArrayCalibration.Nominal(scenario);
        Assert.AreEqual(3 * scenario.BaseStationCount, arrays.parameters().Count(), "positions and both coupling parts per BS are learned");
        CalibrationResult result = ArrayCalibration.Run(model, TrainingTask.Aod, arrays, new CalibrationSettings(Steps: 300, BatchSize: 256, LearningRate: 1e-2, SnrDb: 30, Seed: 5));
        Assert.IsLessThan(0.2 * result.InitialLoss, result.FinalLoss, $"{result.InitialLoss} -> {result.FinalLoss}");
        Assert.IsLessThan(0.01, result.FinalLoss);
    }

    [TestMethod]
    public void SavedArraysLoadBackAndAForeignFileIsNamed()
    {
        Scenario scenario = Impaired(ImpairmentKind.Coupling);
        using var arrays = ArrayCalibration.Nominal(scenario);
        using (no_grad())
        {
            arrays[1].Positions.add_(0.25f);
        }

        string folder = TestRuns.NewFolder("calibration");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, ArrayCalibration.FileName);
        ArrayCalibration.Save(arrays, path);
        using var loaded = ArrayCalibration.Load(path, scenario);
        CollectionAssert.AreEqual(arrays[1].Positions.data<float>().ToArray(), loaded[1].Positions.data<float>().ToArray());

        string foreign = Path.Combine(folder, "foreign.bin");
        File.WriteAllBytes(foreign, [1, 2, 3]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ArrayCalibration.Load(foreign, scenario));
        StringAssert.Contains(e.Message, foreign);
    }

    [TestMethod]
    [DataRow(0, 10, 1e-3, 30, "Steps 0: expected")]
    [DataRow(10, 0, 1e-3, 30, "BatchSize 0: expected")]
    [DataRow(10, 10, 0.0, 30, "LearningRate 0: expected")]
    [DataRow(10, 10, 1e-3, 90, "SnrDb 90: expected")]
    public void BadSettingsAreNamed(int steps, int batch, double rate, double snr, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => new CalibrationSettings(steps, batch, rate, snr).Validate());
        StringAssert.Contains(e.Message, fragment);
    }

    private static Scenario Impaired(ImpairmentKind kind) => TestRuns.Small with { Impairments = TestRuns.Small.Impairments with { Kind = kind } };
}
