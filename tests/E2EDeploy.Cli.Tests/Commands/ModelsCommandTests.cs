using System.Text.Json.Nodes;
using E2EDeploy.Cli.Commands;
using E2EDeploy.Shared.Models;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Cli.Tests.Commands;

/// <summary>`e2e models verify` catches every kind of damage, naming the file, the model and what differs.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ModelsCommandTests
{
    [TestMethod]
    public void AnIntactRegistryVerifies()
    {
        using var registry = new FixtureRegistry();
        (int code, string stdout, string stderr) = ConsoleCapture.Run("models", "verify", registry.Root);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "ok      tiny-aod-region/v1");
        StringAssert.Contains(stdout, "ok      tiny-position-region/v1");
        StringAssert.Contains(stdout, "4 of 4 model versions verified");
    }

    [TestMethod]
    public void AFlippedByteIsCaught()
    {
        using var registry = new FixtureRegistry();
        string path = registry.PathOf("tiny-aod", "aod-estimator.onnx");
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        (int code, _, string stderr) = ConsoleCapture.Run("models", "verify", registry.Root);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "tiny-aod/v1/aod-estimator.onnx: sha256 is");
        StringAssert.Contains(stderr, "expected");
    }

    [TestMethod]
    public void ATruncatedFileIsCaught()
    {
        using var registry = new FixtureRegistry();
        string path = registry.PathOf("tiny-position", "precoder-bs1.onnx");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        (int code, _, string stderr) = ConsoleCapture.Run("models", "verify", Path.Combine(registry.Root, "tiny-position"));
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "tiny-position/v1/precoder-bs1.onnx: sha256 is");
        StringAssert.Contains(stderr, "tiny-position/v1/precoder-bs1.onnx: ONNX Runtime cannot load the file");
    }

    [TestMethod]
    [DataRow("antennaCount", 16, "output 'precoder' has shape [N, 2, 8, 4]: expected [N, 2, 16, 4]")]
    [DataRow("transmissionCount", 5, "input 'y' has shape [N, 8]: expected [N, 10]")]
    public void AManifestThatDisagreesWithTheGraphIsCaught(string field, int value, string fragment)
    {
        using var registry = new FixtureRegistry();
        string manifestPath = registry.PathOf("tiny-aod", "manifest.json");
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest[field] = value;
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        (int code, _, string stderr) = ConsoleCapture.Run("models", "verify", registry.Root);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "tiny-aod/v1/");
        StringAssert.Contains(stderr, fragment);
    }

    [TestMethod]
    public void AFileOfTheWrongKindInASlotIsCaught()
    {
        using var registry = new FixtureRegistry();
        string slot = registry.PathOf("tiny-aod", "aod-estimator.onnx");
        File.Copy(registry.PathOf("tiny-aod", "precoder-bs1.onnx"), slot, overwrite: true);

        // Even with the manifest's hash updated to the new file, the kind and the contract give it away.
        string manifestPath = registry.PathOf("tiny-aod", "manifest.json");
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (JsonNode? file in manifest["files"]!.AsArray())
        {
            if ((string?)file!["file"] == "aod-estimator.onnx")
            {
                file["sha256"] = ModelManifest.Sha256Of(slot);
            }
        }

        File.WriteAllText(manifestPath, manifest.ToJsonString());
        (int code, _, string stderr) = ConsoleCapture.Run("models", "verify", registry.Root);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "tiny-aod/v1/aod-estimator.onnx: the file is a precoder model (metadata e2e.kind): expected a aod-estimator in this slot.");
        StringAssert.Contains(stderr, "tiny-aod/v1/aod-estimator.onnx: the graph's inputs are [xi]: expected [y]");
    }

    [TestMethod]
    public void AMissingRegistryIsBadInput()
    {
        (int code, _, string stderr) = ConsoleCapture.Run("models", "verify", "/no/such/registry");
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "/no/such/registry");
    }

    [TestMethod]
    [DataRow("files")]
    [DataRow("metrics")]
    [DataRow("scenario")]
    public void AManifestWithANullMemberIsOneProblemForListVerifyAndValidate(string member)
    {
        using var registry = new FixtureRegistry();
        string path = registry.PathOf("tiny-aod", "manifest.json");
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest[member] = null;
        File.WriteAllText(path, manifest.ToJsonString());

        (int code, string stdout, string stderr) = ConsoleCapture.Run("models", "list", "--registry", registry.Root);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "unreadable manifest");
        StringAssert.Contains(stdout, "tiny-position");
        StringAssert.Contains(stderr, $"\"{member}\" is null or missing");

        (code, stdout, stderr) = ConsoleCapture.Run("models", "verify", registry.Root);
        Assert.AreEqual(ModelsCommand.VerificationFailed, code, stderr);
        StringAssert.Contains(stdout, "3 of 4 model versions verified.");

        (code, _, stderr) = ConsoleCapture.Run("validate", "--family", "tiny-aod/v1", "--registry", registry.Root, "--trials", "20", "--out", Path.Combine(Path.GetDirectoryName(registry.Root)!, "report"));
        Assert.AreEqual(CliApp.BadInput, code, stderr);
        StringAssert.Contains(stderr, $"\"{member}\" is null or missing");
    }

    [TestMethod]
    public void ListShowsEveryVersion()
    {
        using var registry = new FixtureRegistry();
        (int code, string stdout, _) = ConsoleCapture.Run("models", "list", "--registry", registry.Root);
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, "tiny-aod");
        StringAssert.Contains(stdout, "tiny-position");
    }
}
