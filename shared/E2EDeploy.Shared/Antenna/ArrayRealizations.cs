using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Antenna;

/// <summary>
/// The true (possibly impaired) array of each BS of a scenario. BS i draws its own spacing
/// realisation from the seed <see cref="SeedFor"/>(settings seed, i); coupling is deterministic.
/// </summary>
public static class ArrayRealizations
{
    /// <summary>The seed of BS <paramref name="bsIndex"/>'s spacing realisation, derived from <paramref name="impairmentSeed"/>.</summary>
    public static int SeedFor(int impairmentSeed, int bsIndex) => SeedSequence.Derive(impairmentSeed, 0x5bAC1, bsIndex);

    /// <summary>The true array of BS <paramref name="bsIndex"/> (0-based) under the scenario's impairment.</summary>
    public static ArrayResponse ForBaseStation(Scenario scenario, int bsIndex)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.GetBaseStation(bsIndex);
        ImpairmentSettings settings = scenario.Impairments;
        return settings.Kind switch
        {
            ImpairmentKind.None => ArrayResponse.Nominal(scenario.AntennaCount),
            ImpairmentKind.Spacing => ArrayResponse.WithSpacing(SpacingPerturbation.Draw(
                scenario.AntennaCount, settings.Spacing.StdDevWavelengths, settings.Spacing.Model, SeedFor(settings.Seed, bsIndex))),
            ImpairmentKind.Coupling => ArrayResponse.WithCoupling(MutualCoupling.FromSettings(scenario.AntennaCount, settings.Coupling)),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), settings.Kind, $"impairments.kind = {settings.Kind}: expected none, spacing or coupling."),
        };
    }

    /// <summary>The true arrays of all BSs, [I].</summary>
    public static ArrayResponse[] ForAllBaseStations(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var arrays = new ArrayResponse[scenario.BaseStationCount];
        for (int i = 0; i < arrays.Length; i++)
        {
            arrays[i] = ForBaseStation(scenario, i);
        }

        return arrays;
    }
}
