using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// Where a deployed model is: a version folder of the registry (<c>models/&lt;family&gt;/&lt;version&gt;</c>), a family and version
/// inside a registry root, or one ONNX file (its manifest.json must sit beside it). For a precoder, <see cref="BaseStation"/>
/// picks the BS (1-based) among the version's precoders.
/// </summary>
public sealed record ModelReference
{
    private ModelReference(string folder, string? fileName, int baseStation, string? registry = null)
    {
        RegistryRoot = registry;
        Folder = folder;
        FileName = fileName;
        BaseStation = baseStation;
    }

    /// <summary>The version folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>The ONNX file name in the folder, or null to pick it by kind from the manifest.</summary>
    public string? FileName { get; }

    /// <summary>The registry root the version was named in (<see cref="Registry(string, string, int)"/>), or null; the version folder must resolve inside it.</summary>
    public string? RegistryRoot { get; }

    /// <summary>For a precoder: which BS (1-based).</summary>
    public int BaseStation { get; }

    /// <summary>A version folder, e.g. models/aod-20db-none/v1.</summary>
    public static ModelReference Version(string folder, int baseStation = 1) => new(Full(folder, nameof(folder)), null, CheckBs(baseStation));

    /// <summary>A family and version in a registry root, e.g. ("models", "aod-20db-none/v1").</summary>
    public static ModelReference Registry(string root, string familyAndVersion, int baseStation = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(familyAndVersion);
        string[] parts = familyAndVersion.Split('/');
        if (parts.Length != 2 || !parts.All(RegistryName.IsValid))
        {
            throw new ArgumentException($"familyAndVersion '{familyAndVersion}': expected FAMILY/VERSION, e.g. aod-20db-none/v1, each of lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.", nameof(familyAndVersion));
        }

        return new(Full(Path.Combine(root, parts[0], parts[1]), nameof(root)), null, CheckBs(baseStation), Path.GetFullPath(root));
    }

    /// <summary>One ONNX file; its manifest.json must be in the same folder.</summary>
    public static ModelReference File(string path)
    {
        string full = Full(path, nameof(path));
        return new(Path.GetDirectoryName(full)!, Path.GetFileName(full), 1);
    }

    /// <summary>
    /// Resolves a path given on a command line: an .onnx file, or a version folder; BS picks a precoder in a folder.
    /// </summary>
    public static ModelReference Parse(string path, int baseStation = 1) =>
        path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? File(path) : Version(path, baseStation);

    private static string Full(string path, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, name);
        return Path.GetFullPath(path);
    }

    private static int CheckBs(int baseStation) => baseStation >= 1
        ? baseStation
        : throw new ArgumentOutOfRangeException(nameof(baseStation), baseStation, $"baseStation = {baseStation}: expected a 1-based BS index >= 1.");
}
