using System.Runtime.InteropServices;

namespace E2EDeploy.Training.Tests;

[TestClass]
public sealed class TorchThreadingTests
{
    [TestMethod]
    public void TheValueReachesTheCLibraryEnvironmentThatLibgompReads()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Inconclusive("the C library's environment is only set on Linux and macOS.");
        }

        string name = $"E2EDEPLOY_TEST_WAIT_{Environment.ProcessId}";
        Assert.IsNull(NativeValue(name), "the variable must start unset");
        Assert.AreEqual("PASSIVE", TorchThreading.SetUnlessGiven(name, "PASSIVE"));
        Assert.AreEqual("PASSIVE", NativeValue(name), "getenv of the C library must see it (Environment.SetEnvironmentVariable alone does not)");
        Assert.AreEqual("PASSIVE", Environment.GetEnvironmentVariable(name));
    }

    [TestMethod]
    public void AValueTheUserGaveIsKept()
    {
        string name = $"E2EDEPLOY_TEST_GIVEN_{Environment.ProcessId}";
        Environment.SetEnvironmentVariable(name, "ACTIVE");
        try
        {
            Assert.AreEqual("ACTIVE", TorchThreading.SetUnlessGiven(name, "PASSIVE"));
            Assert.AreEqual("ACTIVE", Environment.GetEnvironmentVariable(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    private static string? NativeValue(string name) => Marshal.PtrToStringUTF8(GetEnvironment(name));
}
