namespace E2EDeploy.Shared.IO;

/// <summary>
/// Paths resolved through every symbolic link, for stores that must not be pointed outside themselves (the model registry):
/// a path counts as inside a folder only if its fully resolved form is.
/// </summary>
public static class ConfinedPath
{
    private const int MaxLinks = 40;

    /// <summary>The absolute form of <paramref name="path"/> with every symbolic link along it resolved (as realpath does).</summary>
    /// <exception cref="IOException">A link cycle, or more than 40 links.</exception>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    /// <summary>Whether <paramref name="path"/>, resolved, is <paramref name="folder"/> (resolved) or lies below it.</summary>
    public static bool IsWithin(string path, string folder)
    {
        string resolvedFolder = Resolve(folder).TrimEnd(Path.DirectorySeparatorChar);
        string resolved = Resolve(path);
        return resolved == resolvedFolder || resolved.StartsWith(resolvedFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Resolve(string full, ref int links)
    {
        string root = Path.GetPathRoot(full) ?? string.Empty;
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(current, part);
            var info = new FileInfo(candidate);
            if (info.LinkTarget is string target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"'{full}': more than {MaxLinks} symbolic links (a cycle?).");
                }

                candidate = Resolve(Path.GetFullPath(target, current), ref links);
            }

            current = candidate;
        }

        return current;
    }
}
