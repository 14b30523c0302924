using E2EDeploy.Shared;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Training.Registry;

/// <summary>Where an export goes: <c>&lt;Registry&gt;/&lt;Family&gt;/&lt;Version&gt;/</c>.</summary>
/// <param name="Registry">The registry root, e.g. runs/pipeline/models, or models for a release.</param>
/// <param name="Family">Family name (<see cref="RegistryName"/>).</param>
/// <param name="Version">Version name, or null for the next vN of the family.</param>
/// <param name="ReproducingCommand">The command that reproduces the version, recorded in its manifest (<see cref="ModelManifest.ReproducingCommand"/>).</param>
public sealed record PublishTarget(string Registry, string Family, string? Version = null, string? ReproducingCommand = null)
{
    /// <summary>Checks the names; throws an <see cref="ArgumentException"/> naming the bad one.</summary>
    public PublishTarget Validate()
    {
        if (string.IsNullOrWhiteSpace(Registry))
        {
            throw new InvalidSettingException(nameof(Registry), Registry, "a registry folder");
        }

        RegistryName.Check(Family, nameof(Family));
        if (Version is not null)
        {
            RegistryName.Check(Version, nameof(Version));
        }

        return this;
    }
}
