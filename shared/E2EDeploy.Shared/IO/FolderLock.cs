namespace E2EDeploy.Shared.IO;

/// <summary>
/// An exclusive, advisory operating-system lock on a lock file (an open with no sharing: flock on Linux and macOS, a share
/// mode on Windows), held until disposed. The operating system releases it when the process dies, so a lock file left by a
/// killed process never blocks anyone. Whoever acquires one disposes it.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream stream;

    private FolderLock(FileStream stream, string path)
    {
        this.stream = stream;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock on <paramref name="lockFile"/> (created if missing), or returns null at once when another holder has it.</summary>
    public static FolderLock? TryAcquire(string lockFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lockFile);
        try
        {
            var stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            return new FolderLock(stream, lockFile);
        }
        catch (IOException) when (File.Exists(lockFile))
        {
            return null;
        }
    }

    /// <summary>Whether someone holds the lock on <paramref name="lockFile"/> now (false when the file does not exist).</summary>
    public static bool IsHeld(string lockFile)
    {
        if (!File.Exists(lockFile))
        {
            return false;
        }

        using FolderLock? probe = TryAcquire(lockFile);
        return probe is null;
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
