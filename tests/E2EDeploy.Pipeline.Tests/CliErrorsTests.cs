using E2EDeploy.Shared;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Tests;

/// <summary>The library names its settings; the command line shows the flags.</summary>
[TestClass]
public sealed class CliErrorsTests
{
    [TestMethod]
    [DataRow("SnrDb", "--snr 100: expected an SNR in dB within [-30, 60].")]
    [DataRow("BatchSize", "--batch 0: expected an integer >= 1.")]
    [DataRow("BoundWeight", "--bound-weight -1: expected a finite number >= 0.")]
    [DataRow("ValidationSize", "--validation-size 0: expected an integer >= 1.")]
    public void ATrainingConfigErrorNamesItsFlag(string setting, string expected)
    {
        TrainingConfig config = setting switch
        {
            "SnrDb" => new TrainingConfig { SnrDb = 100 },
            "BatchSize" => new TrainingConfig { BatchSize = 0 },
            "BoundWeight" => new TrainingConfig { BoundWeight = -1 },
            _ => new TrainingConfig { ValidationSize = 0 },
        };
        var e = Assert.ThrowsExactly<InvalidSettingException>(() => config.Validate());
        Assert.AreEqual(setting, e.Setting, "the library's own name");
        Assert.AreEqual(expected, CliErrors.Describe(e));
    }

    [TestMethod]
    public void EveryFlagThatTrainTakesForAConfigPropertyIsAPropertyOfTheConfig()
    {
        string[] properties = typeof(TrainingConfig).GetProperties().Select(p => p.Name).ToArray();
        foreach (string setting in new[] { "Task", "SnrDb", "SnrMaxDb", "SnrKneeDb", "DecoderInput", "DecoderRegion", "InitFrom", "BoundWeight", "Impairment", "Steps", "BatchSize", "Device", "Hidden", "LearningRate", "EvalEvery", "CheckpointEvery", "ValidationSize" })
        {
            CollectionAssert.Contains(properties, setting);
            Assert.IsTrue(CliErrors.Flags.ContainsKey(setting), setting);
        }
    }

    [TestMethod]
    public void AnErrorThatIsNotASettingsKeepsItsMessage() =>
        Assert.AreEqual("disk full", CliErrors.Describe(new IOException("disk full")));
}
