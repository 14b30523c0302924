using MathNet.Numerics.Random;

namespace E2EDeploy.Shared.Numerics;

/// <summary>Creates the project's seeded random sources (MathNet's xoshiro256**; not thread-safe, one per thread).</summary>
public static class RandomSources
{
    /// <summary>A new random source from an explicit seed.</summary>
    public static Random Create(int seed) => new Xoshiro256StarStar(seed, threadSafe: false);

    /// <summary>A new random source from a seed and a derivation path (see <see cref="SeedSequence"/>).</summary>
    public static Random Create(int seed, params ReadOnlySpan<long> path) => Create(SeedSequence.Derive(seed, path));
}
