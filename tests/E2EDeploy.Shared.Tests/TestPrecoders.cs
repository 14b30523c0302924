using System.Numerics;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Tests;

/// <summary>Random precoders for tests, from an explicit seed.</summary>
internal static class TestPrecoders
{
    public static Precoder Random(int antennaCount, int transmissionCount, int seed)
    {
        Random random = RandomSources.Create(seed);
        var values = new Complex[antennaCount * transmissionCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        }

        return new Precoder(antennaCount, transmissionCount, values).Normalized();
    }
}
