using System.Diagnostics;
using E2EDeploy.Shared.IO;
using E2EDeploy.Training.Registry;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests.Registry;

/// <summary>Exports reserve their version before they work, clean up after dead exports, and take provenance from their own build.</summary>
[TestClass]
public sealed class ModelPublisherConcurrencyTests
{
    private static readonly Lazy<RunDirectory> Run = new(() =>
    {
        var run = new RunDirectory(TestRuns.NewFolder("publish-concurrency"));
        Trainer.Run(run, TestRuns.Tiny(steps: 10), TestRuns.Small, resume: false);
        return run;
    });

    [TestMethod]
    public void AVersionThatAnotherExportHoldsIsSkippedOrRefusedBeforeAnyWork()
    {
        string registry = TestRuns.NewFolder("registry");
        Directory.CreateDirectory(Path.Combine(registry, "fam"));
        using (FolderLock other = FolderLock.TryAcquire(Path.Combine(registry, "fam", ".v1.lock"))!)
        {
            Assert.AreEqual("v2", TestRuns.Publish(Run.Value, registry, "fam").Manifest.Version, "the next free version");
            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<ArgumentException>(() => TestRuns.Publish(Run.Value, registry, "fam", "v1"));
            StringAssert.Contains(e.Message, "Version fam/v1: expected a version that no other export is writing");
            Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds, "refused before the export's work");
        }

        Assert.AreEqual("v1", TestRuns.Publish(Run.Value, registry, "fam", "v1").Manifest.Version, "free again once the other export ends");
        Assert.IsFalse(Directory.GetFiles(Path.Combine(registry, "fam"), ".*.lock").Any(), "no reservation is left behind");
    }

    [TestMethod]
    public void TheStagingFolderOfADeadExportIsRemovedByTheNextExport()
    {
        string registry = TestRuns.NewFolder("registry");
        string stale = Path.Combine(registry, "fam", ".staging-v1-0123456789abcdef");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "precoder-bs1.onnx"), "half-written");
        TestRuns.Publish(Run.Value, registry, "fam");
        Assert.IsFalse(Directory.Exists(stale));
        CollectionAssert.AreEqual(new[] { "v1" }, Directory.GetDirectories(Path.Combine(registry, "fam")).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void TheSourceCommitIsTheBuildsRepositoryAndNoHookOfTheCurrentFolderRuns()
    {
        string other = TestRuns.NewFolder("other-repository");
        Directory.CreateDirectory(other);
        string marker = Path.Combine(other, "fsmonitor-ran");
        Git(other, "init", "-q");
        Git(other, "config", "core.fsmonitor", $"touch '{marker}'; false");
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = other;
        PublishResult result;
        try
        {
            result = TestRuns.Publish(Run.Value, TestRuns.NewFolder("registry"), "fam");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        Assert.IsFalse(File.Exists(marker), "the unrelated repository's fsmonitor command did not run");
        string head = Git(RepositoryRoot(), "rev-parse", "HEAD");
        StringAssert.StartsWith(result.Manifest.SourceCommit, head, "the commit of the repository that holds the binaries");
    }

    [TestMethod]
    public void TheEstimatorObjectIsSealedInTheMetadataSoAnEditedOneFailsVerify()
    {
        PublishResult result = TestRuns.Publish(Run.Value, TestRuns.NewFolder("registry"), "fam");
        Assert.IsTrue(E2EDeploy.Inference.Registry.RegistryVerifier.Verify(result.Folder).Ok, "as exported");
        string path = Path.Combine(result.Folder, "manifest.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"kind\": \"learned-decoder\"", "\"kind\": \"fisher-scoring\"", StringComparison.Ordinal));
        var report = E2EDeploy.Inference.Registry.RegistryVerifier.Verify(result.Folder);
        Assert.IsFalse(report.Ok);
        StringAssert.Contains(string.Join(" ", report.Problems), "metadata e2e.estimator is");
    }

    private static string Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["-C", folder, "-c", "core.fsmonitor=false", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"git {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        return output;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return folder.FullName;
            }
        }

        throw new AssertInconclusiveException("the test binaries are not inside a git repository");
    }
}
