using E2EDeploy.Training.Tests;
using E2EDeploy.Pipeline;
namespace E2EDeploy.Pipeline.Tests.Commands;

/// <summary>Bad arguments fail before any work, with a message naming the value.</summary>
[TestClass]
public sealed class TrainCommandTests
{
    [TestMethod]
    [DataRow("--snr 100", "--task", "aod", "--snr", "100")]
    [DataRow("--batch 0", "--task", "aod", "--batch", "0")]
    [DataRow("--steps 0", "--task", "aod", "--steps", "0")]
    [DataRow("--device cuda: expected a device this build can use", "--task", "aod", "--device", "cuda")]
    [DataRow("--bound-weight -1", "--task", "aod", "--bound-weight", "-1")]
    [DataRow("--learning-rate 0", "--task", "aod", "--learning-rate", "0")]
    [DataRow("--snr-max 10", "--task", "aod", "--snr", "20", "--snr-max", "10")]
    [DataRow("--init-from", "--task", "aod", "--init-from", "no/such/run")]
    public void BadValuesExitWithCode2AndCreateNothing(string fragment, params string[] args)
    {
        string folder = TestRuns.NewFolder("bad");
        (int code, string stderr) = TestRuns.RunCli(["train", .. args, "--out", folder]);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, fragment);
        Assert.IsFalse(Directory.Exists(folder), "no run folder is created for bad arguments");
    }

    [TestMethod]
    public void UnknownTaskIsAParseError()
    {
        (int code, string stderr) = TestRuns.RunCli("train", "--task", "velocity", "--out", TestRuns.NewFolder("bad"));
        Assert.AreNotEqual(0, code);
        StringAssert.Contains(stderr, "velocity");
    }

    [TestMethod]
    public void UnwritableOutputFolderFailsBeforeTraining()
    {
        string file = Path.Combine(Path.GetTempPath(), $"not-a-folder-{Guid.NewGuid():N}");
        File.WriteAllText(file, "x");
        (int code, string stderr) = TestRuns.RunCli("train", "--task", "aod", "--out", Path.Combine(file, "run"));
        File.Delete(file);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, "a folder that can be written");
    }
}
