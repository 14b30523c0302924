using System.Globalization;
using System.Text.RegularExpressions;

namespace E2EDeploy.Shared.Models;

/// <summary>
/// The names of a model registry, <c>models/&lt;family&gt;/&lt;version&gt;</c>: one rule for the exporter that writes a
/// version and for the runtime and the validator that look one up, so that a name that could leave the registry
/// (<c>..</c>, a path separator) is refused by all of them alike.
/// <list type="bullet">
/// <item>A family or version is lower-case letters, digits, '-', '_' or '.', and starts with a letter or a digit.</item>
/// <item>A numbered version is <c>vN</c>, N &gt;= 1 without leading zeros; the family's highest numbered version is its default.</item>
/// </list>
/// </summary>
public static partial class RegistryName
{
    /// <summary>Whether <paramref name="name"/> is a valid family or version name.</summary>
    public static bool IsValid(string? name) => !string.IsNullOrEmpty(name) && NamePattern().IsMatch(name);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="option"/> and the value unless <paramref name="name"/>
    /// is a valid family or version name.
    /// </summary>
    /// <param name="name">The name to check.</param>
    /// <param name="option">How the caller's user wrote it, e.g. <c>--family</c>.</param>
    public static void Check(string? name, string option)
    {
        if (!IsValid(name))
        {
            throw new InvalidSettingException(option, $"'{name}'", "lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
        }
    }

    /// <summary>N of a numbered version <c>vN</c> (N &gt;= 1, no leading zeros, at most 9 digits), or null for any other name.</summary>
    public static int? VersionNumber(string? name)
    {
        Match match = name is null ? Match.Empty : VersionPattern().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// The highest numbered version among the sub-folders of <paramref name="familyFolder"/> (e.g. <c>v12</c>), or null when
    /// it has none or does not exist. Only the names count: the caller checks what the folder holds.
    /// </summary>
    public static string? HighestVersion(string familyFolder)
    {
        int? highest = HighestVersionNumber(familyFolder);
        return highest is int n ? $"v{n}" : null;
    }

    /// <summary>The version after the highest numbered one in <paramref name="familyFolder"/>: <c>v1</c> for a new family.</summary>
    public static string NextVersion(string familyFolder) => $"v{(HighestVersionNumber(familyFolder) ?? 0) + 1}";

    private static int? HighestVersionNumber(string familyFolder) => Directory.Exists(familyFolder)
        ? Directory.GetDirectories(familyFolder).Select(d => VersionNumber(Path.GetFileName(d))).Max()
        : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^v([1-9][0-9]{0,8})$")]
    private static partial Regex VersionPattern();
}
