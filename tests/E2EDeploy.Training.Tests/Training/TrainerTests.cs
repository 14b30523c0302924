using System.Diagnostics;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests.Training;

[TestClass]
public sealed class TrainerTests
{
    [TestMethod]
    [DataRow(TrainingTask.Aod)]
    [DataRow(TrainingTask.Position)]
    public void TheLossFalls(TrainingTask task)
    {
        var run = new RunDirectory(TestRuns.NewFolder("loss"));
        TrainingResult result = Trainer.Run(run, TestRuns.Tiny(task, steps: 200) with { EvalEvery = 20 }, TestRuns.Small, resume: false);
        List<LogRow> log = run.ReadLog();
        Assert.AreEqual(10, log.Count);
        Assert.AreEqual(200, result.Steps);
        Assert.IsLessThan(0.5 * log[0].Loss, log[^1].Loss, $"loss {string.Join(" ", log.Select(r => r.Loss.ToString("g3")))}");
        Assert.IsLessThan(log[0].ValidationRmse, log[^1].ValidationRmse);
        Assert.IsTrue(File.Exists(run.ModelPath), "model.bin holds the best weights");
        Assert.AreEqual(log.MinBy(r => r.ValidationRmse)!.Step, result.BestStep);
    }

    [TestMethod]
    public void WithoutACapTheSelectionIsTheValidationRmse()
    {
        var run = new RunDirectory(TestRuns.NewFolder("uncapped"));
        Trainer.Run(run, TestRuns.Tiny(TrainingTask.Position, steps: 40) with { BoundWeight = 1 }, TestRuns.Small, resume: false);
        foreach (LogRow row in run.ReadLog())
        {
            Assert.AreEqual(row.ValidationRmse, row.ValidationObjective, $"step {row.Step}");
        }
    }

    [TestMethod]
    public void AnInterruptedAndResumedRunEqualsAnUninterruptedOne()
    {
        TrainingConfig config = TestRuns.Tiny(steps: 30);
        var whole = new RunDirectory(TestRuns.NewFolder("whole"));
        Trainer.Run(whole, config, TestRuns.Small, resume: false);

        // Ctrl-C after step 17: the trainer writes a checkpoint at 17 and stops; --resume continues to 30.
        var interrupted = new RunDirectory(TestRuns.NewFolder("interrupted"));
        using var cancel = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            if (p.Step == 17)
            {
                cancel.Cancel();
            }
        });
        TrainingResult first = Trainer.Run(interrupted, config, TestRuns.Small, resume: false, progress: progress, cancellationToken: cancel.Token);
        Assert.IsTrue(first.Interrupted);
        Assert.AreEqual(17, first.Steps);
        Trainer.Run(interrupted, config, TestRuns.Small, resume: true);
        AssertSameRun(whole, interrupted);
    }

    [TestMethod]
    public void AKilledRunResumesFromItsLastPeriodicCheckpoint()
    {
        TrainingConfig config = TestRuns.Tiny(steps: 30);
        var whole = new RunDirectory(TestRuns.NewFolder("whole"));
        Trainer.Run(whole, config, TestRuns.Small, resume: false);

        // A kill after step 15 leaves the files as they were then: the checkpoint of step 10 and the log up to 10.
        var source = new RunDirectory(TestRuns.NewFolder("source"));
        var killed = new RunDirectory(TestRuns.NewFolder("killed"));
        var progress = new CallbackProgress(p =>
        {
            if (p.Step == 15)
            {
                foreach (string file in Directory.GetFiles(source.FullPath).Where(f => f != source.LockPath))
                {
                    File.Copy(file, Path.Combine(killed.FullPath, Path.GetFileName(file)), overwrite: true);
                }
            }
        });
        Trainer.Run(source, config, TestRuns.Small, resume: false, progress: progress);
        Assert.AreEqual(1, killed.ReadLog().Count, "the copy holds the state of step 15: one evaluation");
        Trainer.Run(killed, config, TestRuns.Small, resume: true);
        AssertSameRun(whole, killed);
    }

    [TestMethod]
    public void TensorsAreDisposedEveryStep()
    {
        TrainingConfig config = TestRuns.Tiny(steps: 1000) with { EvalEvery = 100, CheckpointEvery = 1000 };
        long liveAt100 = 0, liveAt1000 = 0, memoryAt100 = 0, memoryAt1000 = 0;
        var progress = new CallbackProgress(p =>
        {
            if (p.Step is 100 or 1000)
            {
                // Collect what earlier tests in this process left for the finalizer, then read.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                long memory = Process.GetCurrentProcess().WorkingSet64;
                (liveAt100, memoryAt100) = p.Step == 100 ? (live, memory) : (liveAt100, memoryAt100);
                (liveAt1000, memoryAt1000) = p.Step == 1000 ? (live, memory) : (liveAt1000, memoryAt1000);
            }
        });
        Trainer.Run(new RunDirectory(TestRuns.NewFolder("memory")), config, TestRuns.Small, resume: false, progress: progress);
        Assert.AreEqual(liveAt100, liveAt1000, "live tensors after 100 and after 1000 steps");
        Assert.AreEqual(1.0, (double)memoryAt1000 / memoryAt100, 0.05, $"working set {memoryAt100 / 1e6:0.0} MB -> {memoryAt1000 / 1e6:0.0} MB");
    }

    [TestMethod]
    public void ASecondWriterOfARunFolderIsRefusedAndWritesNothing()
    {
        var run = new RunDirectory(TestRuns.NewFolder("one-writer"));
        using (run.AcquireWriter())
        {
            var e = Assert.Throws<ArgumentException>(() => Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false));
            StringAssert.Contains(e.Message, "another training or calibration holds its lock");
            Assert.IsFalse(File.Exists(run.ConfigPath), "nothing was written");
        }

        Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        Assert.IsTrue(File.Exists(run.ModelPath), "the lock dies with its holder");
    }

    [TestMethod]
    public void AFolderWithARunIsNotOverwrittenWithoutResume()
    {
        var run = new RunDirectory(TestRuns.NewFolder("twice"));
        Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        byte[] before = File.ReadAllBytes(run.CheckpointPath);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false));
        StringAssert.Contains(e.Message, "expected a folder without a run (it holds one: resume it");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(run.CheckpointPath));
    }

    private static void AssertSameRun(RunDirectory expected, RunDirectory actual)
    {
        CollectionAssert.AreEqual(File.ReadAllBytes(expected.ModelPath), File.ReadAllBytes(actual.ModelPath), "final weights, byte for byte");
        List<LogRow> a = expected.ReadLog();
        List<LogRow> b = actual.ReadLog();
        Assert.HasCount(a.Count, b);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.AreEqual(a[i] with { ElapsedSeconds = 0 }, b[i] with { ElapsedSeconds = 0 }, $"log row {i}");
        }
    }
}

/// <summary>Calls back on the reporting thread.</summary>
internal sealed class CallbackProgress(Action<TrainingProgress> callback) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => callback(value);
}
