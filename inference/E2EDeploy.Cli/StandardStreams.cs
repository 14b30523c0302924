using Microsoft.Win32.SafeHandles;

namespace E2EDeploy.Cli;

/// <summary>
/// The process's stdin and stdout as byte streams for `e2e infer`. On Linux and macOS stdout is opened on file descriptor 1
/// directly, so that a write to a pipe whose reader has gone fails (EPIPE) instead of being dropped, as .NET's console stream
/// does; the caller then stops at once.
/// </summary>
internal static class StandardStreams
{
    /// <summary>stdout; the caller disposes the stream (the descriptor stays open).</summary>
    public static Stream OpenOutput() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    /// <summary>stdin; the caller disposes the stream.</summary>
    public static Stream OpenInput() => Console.OpenStandardInput();

    /// <summary>
    /// Whether stdin was closed when the process started (`e2e infer ... &lt;&amp;-`). The runtime then reuses descriptor 0 for a
    /// pipe of its own, whose write end it holds too, and a read would wait forever. Linux only (it reads /proc/self/fd and
    /// /proc/self/fdinfo); elsewhere false.
    /// </summary>
    public static bool InputClosedAtLaunch()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            string? stdin = new FileInfo("/proc/self/fd/0").LinkTarget;
            if (stdin is null || !(stdin.StartsWith("pipe:", StringComparison.Ordinal) || stdin.StartsWith("anon_inode:", StringComparison.Ordinal)))
            {
                return false;
            }

            foreach (string descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                string name = Path.GetFileName(descriptor);
                if (name is not "0" && new FileInfo(descriptor).LinkTarget == stdin && OpenForWriting(name))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return false;
    }

    /// <summary>Whether descriptor <paramref name="name"/> of this process is open for writing (O_WRONLY or O_RDWR in its flags, octal).</summary>
    private static bool OpenForWriting(string name)
    {
        string? flags = File.ReadLines($"/proc/self/fdinfo/{name}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
        return flags is not null && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3) != 0;
    }
}
