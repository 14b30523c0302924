namespace E2EDeploy.Training.Tests.Commands;

/// <summary>Bad arguments fail before any work, with a message naming the value.</summary>
[TestClass]
public sealed class TrainCommandTests
{
    [TestMethod]
    [DataRow("--snr 100", "--task", "aod", "--snr", "100")]
    [DataRow("--batch 0", "--task", "aod", "--batch", "0")]
    [DataRow("--steps 0", "--task", "aod", "--steps", "0")]
    [DataRow("CUDA is not available", "--task", "aod", "--device", "cuda")]
    [DataRow("--bound-weight -1", "--task", "aod", "--bound-weight", "-1")]
    [DataRow("--bound-cap 0", "--task", "position", "--bound-weight", "-1", "--bound-cap", "0")]
    [DataRow("--bound-cap -0.1", "--task", "position", "--bound-cap", "-0.1")]
    [DataRow("--learning-rate 0", "--task", "aod", "--learning-rate", "0")]
    [DataRow("--posterior-grid 41: expected --task position", "--task", "aod", "--posterior-grid", "41")]
    [DataRow("--posterior-grid 4: expected grid points", "--task", "position", "--posterior-grid", "4")]
    [DataRow("--posterior-grid 41: expected a fixed SNR", "--task", "position", "--snr", "0", "--snr-max", "10", "--posterior-grid", "41")]
    [DataRow("--posterior-grid 41: expected --impairment none", "--task", "position", "--impairment", "spacing", "--posterior-grid", "41")]
    [DataRow("--snr-max 10", "--task", "aod", "--snr", "20", "--snr-max", "10")]
    [DataRow("--init-from", "--task", "aod", "--init-from", "no/such/run")]
    [DataRow("--decoder-head region", "--task", "position", "--decoder-region", "--decoder-head", "region")]
    [DataRow("--decoder-head region", "--task", "aod", "--decoder-head", "region")]
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
        StringAssert.Contains(stderr, "cannot be written");
    }
}
