using E2EDeploy.Training.Tests;

namespace E2EDeploy.Pipeline.Tests.Commands;

/// <summary>`e2e-train pipeline`: bad options and unservable scenarios exit with code 2 before any work, naming the value.</summary>
[TestClass]
public sealed class PipelineCommandTests
{
    [TestMethod]
    [DataRow("""{ "baseStations": [ { "position": { "x": 0, "y": 0 }, "orientationDeg": 0 } ] }""", "position", "baseStations")]
    [DataRow("""{ "aodPrior": { "meanMinDeg": -20, "meanMaxDeg": 20 } }""", "aod", "testPoints.aodRegionDeg")]
    [DataRow("""{ "antennaCount": 1 }""", "aod", "antennaCount")]
    public void AScenarioThePipelineCannotServeIsRefusedBeforeAnyWork(string json, string task, string named)
    {
        string folder = TestRuns.NewFolder("pipeline-cli");
        Directory.CreateDirectory(folder);
        string scenario = Path.Combine(folder, "scenario.json");
        File.WriteAllText(scenario, json);
        string output = Path.Combine(folder, "out");
        (int code, string stderr) = TestRuns.RunCli("pipeline", "--scenario", scenario, "--task", task, "--out", output);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, named);
        Assert.IsFalse(Directory.Exists(output), "nothing was written");
    }

    [TestMethod]
    [DataRow("--snr-range=5", "--snr-range")]
    [DataRow("--snr-range=30:-5", "--snr-range")]
    [DataRow("--steps 1", "--steps")]
    [DataRow("--trials 0", "--trials")]
    [DataRow("--init-from /nonexistent/run", "--init-from")]
    public void BadOptionsAreNamed(string options, string named)
    {
        string output = TestRuns.NewFolder("pipeline-cli-options");
        (int code, string stderr) = TestRuns.RunCli(["pipeline", "--task", "aod", "--out", output, .. options.Split(' ')]);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, named);
        Assert.IsFalse(Directory.Exists(output), "nothing was written");
    }
}
