using System.Diagnostics;
using System.Text.Json;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Tests.Fixtures;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Cli.Tests.Registry;

/// <summary>
/// The exported files (the fixture registry and the released models in models/) run in a second, independent runtime:
/// onnxruntime-node (npm) gives the same outputs as ONNX Runtime for C# on the same inputs. Needs Node.js and `npm ci --prefix tests/onnx-node` (done by .ci/run).
/// </summary>
[TestClass]
public sealed class OnnxNodeCrossCheckTests
{
    [TestMethod]
    public void OnnxRuntimeNodeAgreesWithTheCSharpRuntime()
    {
        string checkFolder = Path.Combine(FixtureRegistry.RepositoryRoot(), "tests", "onnx-node");
        if (!Directory.Exists(Path.Combine(checkFolder, "node_modules", "onnxruntime-node")))
        {
            Assert.Inconclusive($"onnxruntime-node is not installed: run `npm ci --prefix {checkFolder}`.");
        }

        using var registry = new FixtureRegistry();
        var cases = new List<object>();
        // The fixture registry and the released models of models/ (Gram decoder inputs included).
        string released = Path.Combine(FixtureRegistry.RepositoryRoot(), "models");
        IEnumerable<string> registries = Directory.Exists(released) ? [registry.Root, released] : [registry.Root];
        foreach (string folder in registries.SelectMany(Directory.GetDirectories).SelectMany(Directory.GetDirectories).Where(f => File.Exists(Path.Combine(f, "manifest.json"))))
        {
            ModelManifest manifest = ModelManifest.Load(Path.Combine(folder, "manifest.json"));
            foreach (ManifestFile file in manifest.Files)
            {
                ModelSignature signature = manifest.SignatureOf(ModelContract.ParseKind(file.Kind));
                cases.Add(RunInCSharp(Path.Combine(folder, file.File), signature));
            }
        }

        string casesPath = Path.Combine(Path.GetDirectoryName(registry.Root)!, "cases.json");
        File.WriteAllText(casesPath, JsonSerializer.Serialize(cases));
        using var process = Process.Start(new ProcessStartInfo("node", ["check.mjs", casesPath])
        {
            WorkingDirectory = checkFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Console.WriteLine(output);
        Assert.AreEqual(0, process.ExitCode, output);
        StringAssert.Contains(output, $"{cases.Count} of {cases.Count} models agree");
    }

    private static object RunInCSharp(string model, ModelSignature signature)
    {
        const int batch = 64;
        Random random = RandomSources.Create(model.Length);
        long row = signature.Input.RowLength;
        float[] data = Enumerable.Range(0, (int)(batch * row)).Select(_ => (float)((random.NextDouble() - 0.5) * 2)).ToArray();
        long[] shape = [batch, .. signature.Input.Shape.Skip(1)];
        using var session = new InferenceSession(model);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, [signature.Input.Name], [input], [signature.Output.Name]);
        float[] expected = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return new { model, input = signature.Input.Name, shape, data, output = signature.Output.Name, expected };
    }
}
