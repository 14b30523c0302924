namespace E2EDeploy.Shared.IO;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder, which is
/// flushed to disk and then renamed over the target. A reader sees the old file or the new one,
/// never a half-written file, and a failure leaves the target as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string content) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(content);
        });

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        byte[] copy = content.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Calls <paramref name="writeContent"/> on a temporary file, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"path '{path}' has no parent folder.", nameof(path));
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
