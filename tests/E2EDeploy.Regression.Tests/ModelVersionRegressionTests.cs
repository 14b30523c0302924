using E2EDeploy.Shared.Models;
using E2EDeploy.Tests.Fixtures;
using E2EDeploy.Validation;

namespace E2EDeploy.Regression.Tests;

/// <summary>
/// For every model version in the repository's models/ and tests/Fixtures/models: the golden cases recorded in its
/// manifest give the same outputs through the runtime (max abs difference &lt;= 1e-5), and its recorded validation
/// metric is reproduced within its recorded tolerance.
/// </summary>
[TestClass]
public sealed class ModelVersionRegressionTests
{
    public static IEnumerable<object[]> Versions()
    {
        string root = RepositoryRoot();
        foreach (string registry in new[] { Path.Combine(root, "models"), Path.Combine(root, "tests", "Fixtures", "models") })
        {
            if (!Directory.Exists(registry))
            {
                continue;
            }

            foreach (string version in Directory.GetDirectories(registry).SelectMany(Directory.GetDirectories).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).Order(StringComparer.Ordinal))
            {
                yield return [Path.GetRelativePath(root, version)];
            }
        }
    }

    [TestMethod]
    public void ThereIsAtLeastOneVersionToTest() => Assert.IsNotEmpty(Versions().ToList());

    /// <summary>The released models ship with the clone, so models/ is held to the 80 MB (80,000,000 bytes) of the release issue.</summary>
    [TestMethod]
    public void TheReleasedModelsFitIn80MB()
    {
        string models = Path.Combine(RepositoryRoot(), "models");
        long bytes = Directory.Exists(models) ? Directory.GetFiles(models, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        Assert.IsLessThanOrEqualTo(80_000_000L, bytes, $"models/ holds {bytes:N0} bytes");
    }

    [TestMethod]
    [DynamicData(nameof(Versions))]
    public void GoldenCasesReproduce(string version)
    {
        string folder = Path.Combine(RepositoryRoot(), version);
        ModelManifest manifest = ModelManifest.Load(Path.Combine(folder, "manifest.json"));
        Assert.IsNotNull(manifest.Golden, $"{version}: the manifest has no golden cases");
        Assert.HasCount(manifest.Files.Count, manifest.Golden, $"{version}: one golden case per file");
        foreach (GoldenCase golden in manifest.Golden)
        {
            ManifestFile file = manifest.Files.Single(f => f.File == golden.File);
            float[] actual = GoldenReplay.Run(folder, file, manifest, golden);
            Assert.HasCount(golden.Output.Length, actual, $"{version}/{golden.File}");
            double worst = actual.Zip(golden.Output, (a, e) => Math.Abs(a - e)).Max();
            Assert.IsLessThanOrEqualTo(1e-5, worst, $"{version}/{golden.File}: max |output - golden| = {worst:e2}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Versions))]
    public void TheRecordedValidationMetricReproduces(string version)
    {
        string folder = Path.Combine(RepositoryRoot(), version);
        ModelManifest manifest = ModelManifest.Load(Path.Combine(folder, "manifest.json"));
        RegressionMetric recorded = manifest.Regression ?? throw new AssertFailedException($"{version}: the manifest has no regression metric");
        ValidationOutcome outcome = ModelValidator.RunFolder(folder, [recorded.SnrDb], recorded.Trials, recorded.Seed);
        double drift = Math.Abs(outcome.Rows[0].LearnedRmse - recorded.LearnedRmse) / recorded.LearnedRmse;
        Assert.IsLessThanOrEqualTo(recorded.RelativeTolerance, drift,
            $"{version}: learned RMSE {outcome.Rows[0].LearnedRmse} {outcome.Unit}, recorded {recorded.LearnedRmse} {recorded.Unit} (relative drift {drift:e2})");
    }

    private static string RepositoryRoot() => FixtureRegistry.RepositoryRoot();
}
