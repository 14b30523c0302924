namespace E2EDeploy.Shared.Numerics;

/// <summary>
/// Derives independent, reproducible seeds from a user seed and a path of integers
/// (for instance a base-station index, an SNR index and a chunk index), with the SplitMix64
/// finaliser. Results depend only on the inputs, never on thread count or call order.
/// </summary>
public static class SeedSequence
{
    /// <summary>Derives a 32-bit seed from <paramref name="seed"/> and the integers in <paramref name="path"/>.</summary>
    public static int Derive(int seed, params ReadOnlySpan<long> path)
    {
        ulong state = Mix((ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (long step in path)
        {
            state = Mix(state ^ Mix((ulong)step + 0xD1B54A32D192ED03UL));
        }

        return (int)(state >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
