using System.Runtime.InteropServices;

namespace E2EDeploy.Training;

/// <summary>
/// How libtorch's worker threads wait between parallel regions. libtorch's CPU kernels run on GNU OpenMP (libgomp),
/// whose idle workers spin on the cores for a while before they sleep (OMP_WAIT_POLICY unset, GOMP_SPINCOUNT 300,000).
/// Alone that hides the wake-up latency; beside a second training on the same cores, the two processes' spinning
/// workers take the cores from each other's running threads, and a step became 4 to 50 times slower
/// (docs/guide/performance.md, "Training under a shared CPU"). With OMP_WAIT_POLICY=PASSIVE idle workers sleep at once.
/// <para>
/// libgomp reads its environment once, when libtorch is loaded, and on Linux it reads the C library's environment,
/// which <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change. So
/// <see cref="PreferPassiveWaiting"/> calls the C library's setenv, and must run before the first TorchSharp call.
/// </para>
/// </summary>
public static partial class TorchThreading
{
    /// <summary>The OpenMP variable that sets the wait policy.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE for this process unless the caller's environment already sets it (a user's
    /// OMP_WAIT_POLICY=ACTIVE is kept). Call it first thing in Main, before anything touches TorchSharp; later calls
    /// have no effect on a libtorch that is already loaded. Returns the policy in force: the user's or "PASSIVE".
    /// On Windows the C runtime keeps its own copy of the environment, and this method only sets the .NET one.
    /// </summary>
    public static string PreferPassiveWaiting() => SetUnlessGiven(WaitPolicyVariable, "PASSIVE");

    /// <summary>
    /// Sets <paramref name="name"/> = <paramref name="value"/> in the .NET and (Linux, macOS) the C library's environment
    /// unless it is already set and non-empty; returns the value in force.
    /// </summary>
    internal static string SetUnlessGiven(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } given)
        {
            return given;
        }

        Environment.SetEnvironmentVariable(name, value);
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && SetEnvironment(name, value, 0) != 0)
        {
            throw new InvalidOperationException($"setenv({name}, {value}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return value;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
