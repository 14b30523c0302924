using E2EDeploy.Pipeline;
using E2EDeploy.Training.Tests;
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
    public void AResumeWithOptionsThatContradictTheRunIsRefusedNamingThem()
    {
        string folder = TestRuns.NewFolder("resume-contradiction");
        (int code, string stderr) = TestRuns.RunCli("train", "--task", "aod", "--hidden", "8", "--steps", "10", "--batch", "16", "--eval-every", "5", "--validation-size", "32", "--out", folder);
        Assert.AreEqual(0, code, stderr);
        (code, stderr) = TestRuns.RunCli("train", "--out", folder, "--resume", "--task", "position", "--hidden", "16", "--batch", "16", "--steps", "20");
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        stderr = stderr.Replace(" \n", " ", StringComparison.Ordinal).Replace('\n', ' ');  // the console wraps long lines
        StringAssert.Contains(stderr, "--task Position (the run has Aod)");
        StringAssert.Contains(stderr, "--hidden 16 (the run has 8)");
        Assert.IsFalse(stderr.Contains("--batch", StringComparison.Ordinal), "an option that agrees with the run is not named");
        (code, stderr) = TestRuns.RunCli("train", "--out", folder, "--resume", "--steps", "15");
        Assert.AreEqual(0, code, stderr);
    }

    [TestMethod]
    public void AnIoFailureWhileTrainingIsOneMessageAndExitCode3()
    {
        string folder = TestRuns.NewFolder("io-failure");
        Directory.CreateDirectory(Path.Combine(folder, "config.json"));  // the run's first write fails
        (int code, string stderr) = TestRuns.RunCli("train", "--task", "aod", "--hidden", "8", "--steps", "10", "--batch", "16", "--out", folder);
        Assert.AreEqual(TrainingCli.InputOutputFailure, code, stderr);
        StringAssert.Contains(stderr, "error: an I/O operation failed");
        Assert.IsFalse(stderr.Contains("   at ", StringComparison.Ordinal), "no stack trace");
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
