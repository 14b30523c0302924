using System.Diagnostics;
using System.Text.Json.Nodes;
using E2EDeploy.Inference.Registry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Inference.Tests.Registry;

/// <summary>
/// The registry is a confined, checked store: a manifest cannot point verify or the runtime at a file outside its version
/// folder, at a link out of the registry, at a FIFO or a device; an edited manifest fails against the ONNX metadata; and
/// one bad manifest is one reported problem.
/// </summary>
[TestClass]
public sealed class RegistryConfinementTests
{
    [TestMethod]
    [DataRow("/etc/passwd")]
    [DataRow("../../outside/x.onnx")]
    [DataRow("sub/aod-estimator.onnx")]
    [DataRow("..")]
    public void AManifestFileNameThatIsNotAPlainNameIsRefusedByVerifyAndByTheRuntime(string name)
    {
        using var registry = new FixtureRegistry();
        EditManifest(registry, "tiny-aod", m => m["files"]![2]!["file"] = name);
        (VersionReport report, TimeSpan took) = Verify(registry, "tiny-aod");
        Assert.IsFalse(report.Ok);
        StringAssert.Contains(string.Join(" ", report.Problems), "expected an entry with a plain file name inside the version folder");
        Assert.IsLessThan(10.0, took.TotalSeconds, "refused at once, not after a hang");
        var e = Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1")));
        StringAssert.Contains(e.Message, "plain file name");
    }

    [TestMethod]
    [DataRow("outside")]
    [DataRow("/dev/zero")]
    [DataRow("fifo")]
    public void ALinkOutOfTheVersionAFifoOrADeviceIsRefusedWithoutBeingRead(string kind)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("needs symbolic links, mkfifo and /dev/zero (Linux)");
        }

        using var registry = new FixtureRegistry();
        string file = registry.PathOf("tiny-aod", "aod-estimator.onnx");
        string outside = Path.Combine(Path.GetDirectoryName(registry.Root)!, "outside.onnx");
        File.Copy(file, outside);
        File.Delete(file);
        switch (kind)
        {
            case "outside": File.CreateSymbolicLink(file, outside); break;
            case "/dev/zero": File.CreateSymbolicLink(file, "/dev/zero"); break;
            default: Process.Start("mkfifo", [file])!.WaitForExit(); break;
        }

        (VersionReport report, TimeSpan took) = Verify(registry, "tiny-aod");
        Assert.IsFalse(report.Ok, kind);
        string problems = string.Join(" ", report.Problems);
        StringAssert.Contains(problems, kind == "fifo" ? "expected a regular file of 1 byte" : "expected a file inside the version folder");
        Assert.IsLessThan(10.0, took.TotalSeconds, $"{kind}: refused at once, not after a hang ({took.TotalMilliseconds:0} ms)");
        Console.WriteLine($"{kind}: refused in {took.TotalMilliseconds:0} ms: {problems}");
        Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1")));
    }

    [TestMethod]
    public void AVersionFolderLinkedFromOutsideTheRegistryIsRefused()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("needs symbolic links (Linux)");
        }

        using var registry = new FixtureRegistry();
        string version = Path.Combine(registry.Root, "tiny-aod", "v1");
        string outside = Path.Combine(Path.GetDirectoryName(registry.Root)!, "elsewhere-v1");
        Directory.Move(version, outside);
        Directory.CreateSymbolicLink(version, outside);
        VersionReport report = RegistryVerifier.Verify(version, registry.Root);
        StringAssert.Contains(string.Join(" ", report.Problems), "expected a folder inside the registry");
        var e = Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1")));
        StringAssert.Contains(e.Message, "expected a folder inside the registry");
    }

    [TestMethod]
    [DataRow("impairment", "e2e.impairment")]
    [DataRow("scenario", "e2e.scenario")]
    [DataRow("metrics", "e2e.metrics")]
    [DataRow("training", "e2e.training")]
    public void AManifestEditedAfterTheExportFailsVerifyAgainstTheOnnxMetadata(string member, string key)
    {
        using var registry = new FixtureRegistry();
        EditManifest(registry, "tiny-aod", m =>
        {
            switch (member)
            {
                case "impairment": m["impairment"]!["kind"] = "coupling"; break;
                case "scenario": m["scenario"]!["baseStations"]![0]!["orientationDeg"] = 7.5; break;
                case "metrics": m["metrics"]!["validationRmse"] = 0.001; break;
                default: m["training"]!["hidden"] = 999; break;
            }
        });
        (VersionReport report, _) = Verify(registry, "tiny-aod");
        Assert.IsFalse(report.Ok, member);
        StringAssert.Contains(string.Join(" ", report.Problems), $"metadata {key} is");
    }

    [TestMethod]
    [DataRow("files")]
    [DataRow("metrics")]
    [DataRow("scenario")]
    public void OneManifestWithANullMemberIsOneProblemAndTheOtherVersionsAreStillVerified(string member)
    {
        using var registry = new FixtureRegistry();
        EditManifest(registry, "tiny-aod", m => m[member] = null);
        VersionReport[] reports = RegistryVerifier.VersionFolders(registry.Root).Select(v => RegistryVerifier.Verify(v, registry.Root)).ToArray();
        VersionReport bad = reports.Single(r => r.Model == "tiny-aod/v1");
        Assert.HasCount(1, bad.Problems);
        StringAssert.Contains(bad.Problems[0], $"\"{member}\" is null or missing");
        Assert.IsTrue(reports.Where(r => r.Model != "tiny-aod/v1").All(r => r.Ok), string.Join(" ", reports.SelectMany(r => r.Problems)));
        Assert.IsTrue(reports.Length >= 4);
    }

    private static (VersionReport Report, TimeSpan Took) Verify(FixtureRegistry registry, string family)
    {
        var clock = Stopwatch.StartNew();
        VersionReport report = RegistryVerifier.Verify(Path.Combine(registry.Root, family, "v1"), registry.Root);
        return (report, clock.Elapsed);
    }

    private static void EditManifest(FixtureRegistry registry, string family, Action<JsonObject> edit)
    {
        string path = registry.PathOf(family, "manifest.json");
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
