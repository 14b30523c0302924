namespace E2EDeploy.Tests.Fixtures;

/// <summary>A private copy of the fixture registry (tests/Fixtures/models) that a test may damage; shared by the test projects as a linked source file.</summary>
internal sealed class FixtureRegistry : IDisposable
{
    public FixtureRegistry()
    {
        Root = Path.Combine(Path.GetTempPath(), "e2e-cli-tests", Guid.NewGuid().ToString("N"), "models");
        Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "models"), Root);
    }

    public string Root { get; }

    public string PathOf(string family, string file) => Path.Combine(Root, family, "v1", file);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);

    /// <summary>The repository root (the folder with E2EDeploy.sln), found upward from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "E2EDeploy.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("E2EDeploy.sln not found above the test binaries.");
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.GetDirectories(source))
        {
            Copy(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }
}
