using E2EDeploy.Pipeline;
using E2EDeploy.Training.Tests;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Tests.Commands;

/// <summary>`e2e-train calibrate` and `export --refine-steps`: bad arguments exit with code 2, name the value and write nothing.</summary>
[TestClass]
public sealed class CalibrateCommandTests
{
    private static readonly Lazy<RunDirectory> Run = new(() =>
    {
        var run = new RunDirectory(TestRuns.NewFolder("calibrate-run"));
        Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        return run;
    });

    [TestMethod]
    [DataRow("--steps 0", "--steps", "0")]
    [DataRow("--batch 0", "--batch", "0")]
    [DataRow("--learning-rate 0", "--learning-rate", "0")]
    [DataRow("--snr 99", "--snr", "99")]
    public void BadSettingsExitWithCode2AndWriteNothing(string fragment, params string[] args)
    {
        (int code, string stderr) = TestRuns.RunCli(["calibrate", "--run", Run.Value.FullPath, .. args]);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, fragment);
        Assert.IsFalse(File.Exists(Path.Combine(Run.Value.FullPath, ArrayCalibration.FileName)));
    }

    [TestMethod]
    public void ARunWithoutAModelIsNamed()
    {
        string folder = TestRuns.NewFolder("no-run");
        (int code, string stderr) = TestRuns.RunCli("calibrate", "--run", folder);
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, "model.bin");
    }

    [TestMethod]
    public void ACalibrationIsWrittenAndExportRefusesBadSteps()
    {
        var run = new RunDirectory(TestRuns.NewFolder("calibrate-ok"));
        Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        (int code, string stderr) = TestRuns.RunCli("calibrate", "--run", run.FullPath, "--steps", "5", "--batch", "16");
        Assert.AreEqual(0, code, stderr);
        Assert.IsTrue(File.Exists(Path.Combine(run.FullPath, ArrayCalibration.FileName)));

        string registry = TestRuns.NewFolder("registry");
        (code, stderr) = TestRuns.RunCli("export", "--run", run.FullPath, "--family", "fam", "--registry", registry, "--refine-steps", "-2");
        Assert.AreEqual(TrainingCli.BadInput, code, stderr);
        StringAssert.Contains(stderr, "--refine-steps -2: expected an integer within [0, 10]");
        Assert.IsFalse(stderr.Contains("RefinementSteps", StringComparison.Ordinal), "the library's name is mapped to the flag");
        Assert.IsFalse(Directory.Exists(Path.Combine(registry, "fam")));
    }
}
