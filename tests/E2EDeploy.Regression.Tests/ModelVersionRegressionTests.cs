using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Geometry;
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
            float[] actual = Run(folder, file, manifest, golden);
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

    /// <summary>Runs a golden input through the public runtime API, returning outputs in the contract layout.</summary>
    private static float[] Run(string folder, ManifestFile file, ModelManifest manifest, GoldenCase golden)
    {
        int rows = (int)golden.InputShape[0];
        ModelReference reference = ModelReference.File(Path.Combine(folder, file.File));
        switch (ModelContract.ParseKind(file.Kind))
        {
            case ModelKind.Precoder:
            {
                using BsPrecoder precoder = BsPrecoder.Load(reference);
                int size = precoder.AntennaCount * precoder.TransmissionCount;
                var output = new float[rows * 2 * size];
                var f = new Complex[size];
                for (int r = 0; r < rows; r++)
                {
                    precoder.Compute(new AngularRegion(golden.Input[3 * r], golden.Input[(3 * r) + 1]), f);
                    for (int k = 0; k < size; k++)
                    {
                        output[(r * 2 * size) + k] = (float)f[k].Real;
                        output[(r * 2 * size) + size + k] = (float)f[k].Imaginary;
                    }
                }

                return output;
            }

            case ModelKind.AodEstimator:
            {
                using UeAodEstimator estimator = UeAodEstimator.Load(reference);
                int t = manifest.TransmissionCount;
                var aods = new double[rows];
                if (!manifest.Estimator.TakesRegion)
                {
                    estimator.Estimate(ToComplex(golden.Input, rows, 1, t), aods);
                    return aods.Select(v => (float)v).ToArray();
                }

                // Rows of [y, xi]: each row its own region, through the public overload that takes U.
                int width = (2 * t) + ModelContract.RegionWidth;
                var y = new Complex[t];
                for (int r = 0; r < rows; r++)
                {
                    ContractLayout.ReadComplex(golden.Input.AsSpan(r * width, 2 * t), y);
                    aods[r] = estimator.Estimate(y, new AngularRegion(golden.Input[(r * width) + (2 * t)], golden.Input[(r * width) + (2 * t) + 1]));
                }

                return aods.Select(v => (float)v).ToArray();
            }

            default:
            {
                using UePositionEstimator estimator = UePositionEstimator.Load(reference);
                var positions = new double[rows * 2];
                if (!manifest.Estimator.TakesRegion)
                {
                    estimator.Estimate(ToComplex(golden.Input, rows, manifest.BaseStationCount, manifest.TransmissionCount), positions);
                    return positions.Select(v => (float)v).ToArray();
                }

                // Rows of [y_1, ..., y_I, xi_1, ..., xi_I]: each row its own regions, through the public overload that takes them.
                int bsCount = manifest.BaseStationCount;
                int observationWidth = 2 * bsCount * manifest.TransmissionCount;
                int rowWidth = observationWidth + (bsCount * ModelContract.RegionWidth);
                var regions = new AngularRegion[bsCount];
                for (int r = 0; r < rows; r++)
                {
                    float[] row = golden.Input.AsSpan(r * rowWidth, rowWidth).ToArray();
                    for (int i = 0; i < bsCount; i++)
                    {
                        regions[i] = new AngularRegion(row[observationWidth + (i * ModelContract.RegionWidth)], row[observationWidth + (i * ModelContract.RegionWidth) + 1]);
                    }

                    PlanePoint p = estimator.Estimate(ToComplex(row[..observationWidth], 1, bsCount, manifest.TransmissionCount), regions);
                    positions[2 * r] = p.X;
                    positions[(2 * r) + 1] = p.Y;
                }

                return positions.Select(v => (float)v).ToArray();
            }
        }
    }

    /// <summary>Contract rows (per BS: T real parts, then T imaginary parts) back to complex observations [rows, I, T].</summary>
    private static Complex[] ToComplex(float[] input, int rows, int bsCount, int t)
    {
        var values = new Complex[rows * bsCount * t];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < bsCount; i++)
            {
                int offset = (r * bsCount * 2 * t) + (i * 2 * t);
                ContractLayout.ReadComplex(input.AsSpan(offset, 2 * t), values.AsSpan(((r * bsCount) + i) * t, t));
            }
        }

        return values;
    }

    private static string RepositoryRoot() => FixtureRegistry.RepositoryRoot();
}
