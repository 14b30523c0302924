using E2EDeploy.Pipeline;
using E2EDeploy.Training.Tests;
namespace E2EDeploy.Pipeline.Tests.Commands;

/// <summary>`e2e-train import` refuses what it cannot import with exit code 2 and a message naming the value.</summary>
[TestClass]
public sealed class ImportCommandTests
{
    [TestMethod]
    public void AFolderWithoutAManifestExitsWithCode2AndCreatesNoRun()
    {
        string missing = TestRuns.NewFolder("no-such-version");
        string output = TestRuns.NewFolder("import-cli");
        (int code, string stderr) = TestRuns.RunCli("import", "--model", missing, "--out", output);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, "--model");
        StringAssert.Contains(stderr, "manifest.json");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void AMalformedManifestExitsWithCode2()
    {
        string version = TestRuns.NewFolder("bad-manifest");
        Directory.CreateDirectory(version);
        File.WriteAllText(Path.Combine(version, "manifest.json"), "{");
        (int code, string stderr) = TestRuns.RunCli("import", "--model", version, "--out", TestRuns.NewFolder("import-cli"));
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, "manifest.json");
    }
}
