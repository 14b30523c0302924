using System.Numerics;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Inference.Tests;

/// <summary>Bad models fail at load and bad inputs at call, each with the message the runtime promises.</summary>
[TestClass]
public sealed class DeployedModelTests
{
    [TestMethod]
    public void AMissingFileNamesTheModel()
    {
        using var registry = new FixtureRegistry();
        File.Delete(registry.PathOf("tiny-aod", "aod-estimator.onnx"));
        var e = Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1")));
        StringAssert.Contains(e.Message, "tiny-aod/v1/aod-estimator.onnx: ");
        StringAssert.Contains(e.Message, "missing");
    }

    [TestMethod]
    public void ATruncatedOrTamperedFileFailsItsHash()
    {
        using var registry = new FixtureRegistry();
        string path = registry.PathOf("tiny-aod", "precoder-bs2.onnx");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..100]);
        var truncated = Assert.ThrowsExactly<ModelContractException>(() => BsPrecoder.Load(ModelReference.Version(Path.GetDirectoryName(path)!, baseStation: 2)));
        StringAssert.Contains(truncated.Message, "tiny-aod/v1/precoder-bs2.onnx: sha256 is");
        StringAssert.Contains(truncated.Message, "(100 bytes)");

        bytes[^10] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var tampered = Assert.ThrowsExactly<ModelContractException>(() => BsPrecoder.Load(ModelReference.File(path)));
        StringAssert.Contains(tampered.Message, "sha256 is");
        StringAssert.Contains(tampered.Message, "expected");
    }

    [TestMethod]
    public void APrecoderWhereAnEstimatorIsExpectedIsRejected()
    {
        using var registry = new FixtureRegistry();
        var e = Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.File(registry.PathOf("tiny-aod", "precoder-bs1.onnx"))));
        StringAssert.Contains(e.Message, "tiny-aod/v1/precoder-bs1.onnx: the manifest gives its kind as 'precoder': expected 'aod-estimator'.");
        var noEstimator = Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position/v1")));
        StringAssert.Contains(noEstimator.Message, "tiny-position/v1: the manifest has no entry for kind 'aod-estimator'");
    }

    [TestMethod]
    public void AModelThatDoesNotFitTheCallersScenarioIsRejected()
    {
        using var registry = new FixtureRegistry();
        var options = new InferenceOptions { Scenario = Scenario.Paper };
        var e = Assert.ThrowsExactly<ModelContractException>(() => BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"), options));
        StringAssert.Contains(e.Message, "tiny-aod/v1/precoder-bs1.onnx: the model has Ntx = 8, T = 4, I = 2: expected Ntx = 32, T = 20, I = 2 (the caller's scenario).");
        using BsPrecoder fits = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"), new InferenceOptions { Scenario = Scenario.Paper with { AntennaCount = 8, TransmissionCount = 4 } });
        Assert.AreEqual(8, fits.AntennaCount);
    }

    [TestMethod]
    public void AManifestWhoseSizesDisagreeWithTheGraphIsRejected()
    {
        using var registry = new FixtureRegistry();
        string manifestPath = registry.PathOf("tiny-aod", "manifest.json");
        // The manifest's own T (the first occurrence; the scenario inside it keeps its valid T = 4).
        string text = File.ReadAllText(manifestPath);
        int at = text.IndexOf("\"transmissionCount\": 4", StringComparison.Ordinal);
        File.WriteAllText(manifestPath, string.Concat(text.AsSpan(0, at), "\"transmissionCount\": 5", text.AsSpan(at + "\"transmissionCount\": 4".Length)));
        var e = Assert.ThrowsExactly<ModelContractException>(() => UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1")));
        StringAssert.Contains(e.Message, "input 'y' has shape [N, 8]: expected [N, 10]");
    }

    [TestMethod]
    public void BadInputsNameTheArgument()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position/v1"));
        using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        var y = new Complex[4];
        y[2] = new Complex(0, double.NaN);
        var nan = Assert.ThrowsExactly<ArgumentException>(() => aod.Estimate(y));
        StringAssert.Contains(nan.Message, "observation[2] is not finite");
        var length = Assert.ThrowsExactly<ArgumentException>(() => aod.Estimate(new Complex[5]));
        StringAssert.Contains(length.Message, "observation has length 5: expected T = 4");
        var batch = Assert.ThrowsExactly<ArgumentException>(() => aod.Estimate(new Complex[9], new double[2]));
        StringAssert.Contains(batch.Message, "observations has length 9");
        var infinite = new Complex[2 * 8];
        infinite[13] = double.PositiveInfinity;
        var positionNan = Assert.ThrowsExactly<ArgumentException>(() => position.Estimate(infinite, new double[4]));
        StringAssert.Contains(positionNan.Message, "observations[13] is not finite");
        var inverted = Assert.ThrowsExactly<ArgumentException>(() => precoder.Compute(default(AngularRegion), new Complex[32]));
        StringAssert.Contains(inverted.Message, "region = [0, 0] rad: expected -pi/2 < theta_min < theta_max < pi/2");
        var regions = new[] { AngularRegion.FromDegrees(10, 20), default };
        var invertedBatch = Assert.ThrowsExactly<ArgumentException>(() => precoder.Compute(regions, new Complex[64]));
        StringAssert.Contains(invertedBatch.Message, "regions[1]");
        var shortBuffer = Assert.ThrowsExactly<ArgumentException>(() => precoder.Compute(AngularRegion.FromDegrees(10, 20), new Complex[31]));
        StringAssert.Contains(shortBuffer.Message, "precoder has length 31: expected Ntx * T = 32");
    }

    [TestMethod]
    public void AskingForCudaWithoutItFailsClearly()
    {
        using var registry = new FixtureRegistry();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"), new InferenceOptions { Device = InferenceDevice.Cuda }));
        StringAssert.Contains(e.Message, "the CUDA device was requested");
        StringAssert.Contains(e.Message, "-p:OrtGpu=true");
    }

    [TestMethod]
    public void CudaIfAvailableFallsBackToTheCpuAndSaysWhy()
    {
        // This build references the CPU package, which has no CUDA provider: the model loads on the CPU and gives the same answer.
        using var registry = new FixtureRegistry();
        using var onCpu = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using var fallback = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"), new InferenceOptions { Device = InferenceDevice.CudaIfAvailable });
        Assert.AreEqual("CPU", onCpu.ExecutionProvider);
        StringAssert.StartsWith(fallback.ExecutionProvider, "CPU (CUDA unavailable: ");
        var expected = new Complex[32];
        var actual = new Complex[32];
        onCpu.Compute(AngularRegion.FromDegrees(40, 60), expected);
        fallback.Compute(AngularRegion.FromDegrees(40, 60), actual);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void AnUndefinedDeviceIsRefusedByName()
    {
        using var registry = new FixtureRegistry();
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"), new InferenceOptions { Device = (InferenceDevice)7 }));
        StringAssert.Contains(e.Message, "Device = 7: expected Cpu, Cuda or CudaIfAvailable");
    }
}
