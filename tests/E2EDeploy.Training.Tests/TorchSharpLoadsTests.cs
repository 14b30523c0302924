using System.Diagnostics;
using TorchSharp;

namespace E2EDeploy.Training.Tests;

/// <summary>TorchSharp's native library loads from the build output on this host, with no manual step.</summary>
[TestClass]
public sealed class TorchSharpLoadsTests
{
    [TestMethod]
    public void NativeLibraryLoadsAndComputes()
    {
        using torch.Tensor a = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3);
        using torch.Tensor product = a.matmul(a.t());
        CollectionAssert.AreEqual(new float[] { 5, 14, 14, 50 }, product.data<float>().ToArray());
    }

    [TestMethod]
    public void OnlyTheOutputCopyIsPatched()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/readelf"))
        {
            Assert.Inconclusive("readelf on Linux is needed to inspect ELF version needs.");
        }

        string output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).First();
        string cache = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        bool hostHas = File.ReadAllText("/usr/lib/x86_64-linux-gnu/libstdc++.so.6").Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);
        string outputFlags = VersionNeedLine(output);
        if (hostHas)
        {
            StringAssert.Contains(outputFlags, "Flags: none", "a host that has GLIBCXX_3.4.32 gets the library unchanged");
        }
        else
        {
            StringAssert.Contains(outputFlags, "Flags: WEAK", "the output copy is patched on this host");
        }

        if (File.Exists(cache))
        {
            StringAssert.Contains(VersionNeedLine(cache), "Flags: none", "the NuGet cache is never touched");
        }
    }

    private static string VersionNeedLine(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("readelf", ["-V", path]) { RedirectStandardOutput = true })!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split('\n').Single(line => line.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal));
    }
}
