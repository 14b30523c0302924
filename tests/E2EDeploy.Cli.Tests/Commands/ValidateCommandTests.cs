using System.Globalization;
using System.Text.Json.Nodes;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Benchmark;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Cli.Tests.Commands;

/// <summary>`e2e validate` writes the whole report, or fails cleanly with nothing written.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ValidateCommandTests
{
    [TestMethod]
    [DataRow("tiny-aod", "deg")]
    [DataRow("tiny-position/v1", "m")]
    [DataRow("tiny-aod-region", "deg")]
    [DataRow("tiny-position-region", "m")]
    public void WritesFiguresCsvsAndReports(string family, string unit)
    {
        using var registry = new FixtureRegistry();
        string output = Path.Combine(Path.GetDirectoryName(registry.Root)!, "report");
        (int code, string stdout, string stderr) = ConsoleCapture.Run("validate", "--family", family, "--registry", registry.Root, "--snr", "10,20", "--trials", "200", "--out", output);
        Assert.AreEqual(0, code, stderr);
        CollectionAssert.AreEquivalent(
            new[] { "rmse.png", "rmse.svg", "rmse.csv", "beampattern.png", "beampattern.svg", "beampattern.csv", "report.md", "report.html" },
            Directory.GetFiles(output).Select(Path.GetFileName).ToArray());
        string[] csv = File.ReadAllLines(Path.Combine(output, "rmse.csv"));
        StringAssert.StartsWith(csv[0], $"snr_db,learned_rmse_{unit}");
        Assert.HasCount(3, csv);
        foreach (string row in csv.Skip(1))
        {
            Assert.IsTrue(row.Split(',').Skip(1).Take(4).All(v => double.TryParse(v, CultureInfo.InvariantCulture, out double x) && x > 0), row);
        }

        // AoD models are validated over U1, a prior: their reports carry the Ziv-Zakai bound and the MMSE columns; position
        // models at the test point do not (they need --over-prior).
        Assert.AreEqual(unit == "deg", csv[0].Contains($"learned_zzb_{unit},learned_mmse_rmse_{unit}", StringComparison.Ordinal), csv[0]);
        StringAssert.Contains(csv[0], $"learned_rmse_se_{unit}");

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        StringAssert.Contains(html, "data:image/png;base64,");
        Assert.IsFalse(html.Contains("src=\"rmse.png\"", StringComparison.Ordinal), "report.html is self-contained");
        StringAssert.Contains(stdout, "report.html");
        string md = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.AreEqual(family == "tiny-aod-region", md.Contains("the AoD estimator takes the region U after y", StringComparison.Ordinal), "the report says whether the estimator takes the region");
        Assert.AreEqual(family == "tiny-position-region", md.Contains("the position estimator takes every BS's region U_i after y", StringComparison.Ordinal), "the report says whether the estimator takes the regions");
    }

    [TestMethod]
    public void AMissingFamilyTamperedFilesOrAnUnwritableFolderFailCleanly()
    {
        using var registry = new FixtureRegistry();
        string output = Path.Combine(Path.GetDirectoryName(registry.Root)!, "report");

        (int code, _, string stderr) = ConsoleCapture.Run("validate", "--family", "no-such-family", "--registry", registry.Root, "--trials", "10", "--out", output);
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "--family 'no-such-family': expected a family in");
        Assert.IsFalse(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "nothing written");

        // A name that would leave the registry, a missing registry: refused before anything is looked up or written.
        foreach ((string family, string expected) in new[]
        {
            ("../tiny-aod", "--family '..': expected lower-case letters"),
            ("tiny-aod/../../x", "the version in --family '../../x': expected lower-case letters"),
        })
        {
            (code, _, stderr) = ConsoleCapture.Run("validate", "--family", family, "--registry", registry.Root, "--trials", "10", "--out", output);
            Assert.AreEqual(CliApp.BadInput, code, family);
            StringAssert.Contains(stderr, expected);
        }

        string noRegistry = Path.Combine(Path.GetDirectoryName(registry.Root)!, "no-registry");
        (code, _, stderr) = ConsoleCapture.Run("validate", "--family", "tiny-aod", "--registry", noRegistry, "--trials", "10", "--out", output);
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, $"--registry '{noRegistry}': expected an existing registry folder");
        Assert.IsFalse(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "nothing written");

        string estimator = registry.PathOf("tiny-aod", "aod-estimator.onnx");
        byte[] bytes = File.ReadAllBytes(estimator);
        bytes[^5] ^= 0x10;
        File.WriteAllBytes(estimator, bytes);
        (code, _, stderr) = ConsoleCapture.Run("validate", "--family", "tiny-aod", "--registry", registry.Root, "--trials", "10", "--out", output);
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "tiny-aod/v1/aod-estimator.onnx");
        StringAssert.Contains(stderr, "sha256");
        Assert.IsFalse(Directory.EnumerateFileSystemEntries(output).Any(), "nothing written after a tampered file");

        string file = Path.Combine(Path.GetDirectoryName(registry.Root)!, "a-file");
        File.WriteAllText(file, "x");
        (code, _, stderr) = ConsoleCapture.Run("validate", "--family", "tiny-position", "--registry", registry.Root, "--trials", "10", "--out", Path.Combine(file, "report"));
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "expected a folder that can be written");
    }

    [TestMethod]
    [DataRow("tiny-aod", "deg")]
    [DataRow("tiny-position", "m")]
    public void TheIdealEstimatorAttainsTheLearnedBoundAtHighSnrAndLeavesTheOtherColumnsAsTheyWere(string family, string unit)
    {
        using var registry = new FixtureRegistry();
        string plain = Path.Combine(Path.GetDirectoryName(registry.Root)!, "plain");
        string ideal = Path.Combine(Path.GetDirectoryName(registry.Root)!, "ideal");
        string[] common = ["validate", "--family", family, "--registry", registry.Root, "--snr", "40", "--trials", "2000"];
        (int code, _, string stderr) = ConsoleCapture.Run([.. common, "--out", plain]);
        Assert.AreEqual(0, code, stderr);
        (code, string stdout, stderr) = ConsoleCapture.Run([.. common, "--ideal", "--out", ideal]);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "ideal /");

        string[] withIdeal = File.ReadAllLines(Path.Combine(ideal, "rmse.csv"));
        string[] without = File.ReadAllLines(Path.Combine(plain, "rmse.csv"));
        Assert.AreEqual(without[0] + $",ideal_rmse_{unit},ideal_rmse_se_{unit}", withIdeal[0]);
        string[] values = withIdeal[1].Split(',');
        Assert.AreEqual(without[1], string.Join(',', values[..^2]), "the other columns do not change with --ideal (same draws)");

        // ML eq. (11)/(12) with the true arrays is efficient at high SNR: its RMSE is the learned precoders' bound, up to the
        // Monte-Carlo error of 2,000 trials (about 1.6 % in RMSE), whatever the tiny learned decoder does.
        double ratio = double.Parse(values[^2], CultureInfo.InvariantCulture) / double.Parse(values[2], CultureInfo.InvariantCulture);
        Assert.IsTrue(ratio > 0.9 && ratio < 1.1, $"ideal RMSE / learned bound at 40 dB = {ratio:0.000}");
        string md = File.ReadAllText(Path.Combine(ideal, "report.md"));
        StringAssert.Contains(md, "ideal ML on the learned precoder: RMSE / learned bound");
        StringAssert.Contains(md, "--ideal");
    }

    [TestMethod]
    public void ASpacingSweepPlotsOnePointPerFamilyInOrderOfSigma()
    {
        // Three tiny position families trained by the real trainer under sigma_lambda = 0, 0.01 and 0.02 wavelengths
        // (tests/Fixtures/README.md); the sweep reads each value from the family's scenario.
        using var registry = new FixtureRegistry();
        string sweepRegistry = Path.Combine(FixtureRegistry.RepositoryRoot(), "tests", "Fixtures", "sweep-spacing");
        string output = Path.Combine(Path.GetDirectoryName(registry.Root)!, "sweep");
        (int code, _, string stderr) = ConsoleCapture.Run("validate", "--sweep", "spacing", "--family", "sp-2,sp-0,sp-1", "--registry", sweepRegistry, "--trials", "200", "--ideal", "--out", output);
        Assert.AreEqual(0, code, stderr);
        string[] csv = File.ReadAllLines(Path.Combine(output, "sweep.csv"));
        StringAssert.EndsWith(csv[0], ",trials,ideal_rmse_m", "--ideal adds the ideal estimator's column");
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "sweep.md")), "ideal / learned PEB");
        CollectionAssert.AreEqual(new[] { 0.0, 1.0, 2.0 }, csv.Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray(), "sigma_lambda in units of lambda / 100, sorted");
        Assert.IsTrue(File.Exists(Path.Combine(output, "sweep.png")) && File.Exists(Path.Combine(output, "sweep.svg")));

        (code, _, stderr) = ConsoleCapture.Run("validate", "--sweep", "coupling", "--family", "sp-1,sp-2", "--registry", sweepRegistry, "--trials", "50", "--out", output + "-bad");
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "expected a coupling model with decayZeta");
    }

    [TestMethod]
    public void OverThePriorEachUeHasItsOwnRegionsAndTheBoundIsTheRmsOfTheirPebs()
    {
        using var registry = new FixtureRegistry();
        string output = Path.Combine(Path.GetDirectoryName(registry.Root)!, "prior");
        (int code, string stdout, string stderr) = ConsoleCapture.Run("validate", "--family", "tiny-position", "--registry", registry.Root, "--snr", "10,20", "--trials", "40", "--seed", "3", "--over-prior", "4", "--out", output);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "RMSE / RMS PEB");
        string md = File.ReadAllText(Path.Combine(output, "report.md"));
        StringAssert.Contains(md, "position, 4 UEs of the training prior");
        StringAssert.Contains(md, "--over-prior 4");

        // The bounds recomputed here, UE by UE, from the same draws of the prior: the learned precoders of the deployed
        // BS models and the benchmark's codebooks for each UE's regions, the PEB of each, and their RMS.
        string folder = Path.Combine(registry.Root, "tiny-position", "v1");
        Scenario scenario = ModelManifest.Load(Path.Combine(folder, "manifest.json")).Scenario;
        ArrayResponse[] arrays = ArrayRealizations.ForAllBaseStations(scenario);
        using BsPrecoder bs1 = BsPrecoder.Load(ModelReference.Version(folder, 1), new InferenceOptions { Scenario = scenario });
        using BsPrecoder bs2 = BsPrecoder.Load(ModelReference.Version(folder, 2), new InferenceOptions { Scenario = scenario });
        PositionPriorDraw[] ues = PositionPriorDraw.Draw(scenario, 4, seed: 3).Draws;
        string[] csv = File.ReadAllLines(Path.Combine(output, "rmse.csv"));
        Assert.HasCount(3, csv);
        foreach (string row in csv.Skip(1))
        {
            double[] v = row.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            double snr = v[0];
            double learned = Rms(ues.Select(u => PositionErrorBound.Compute(scenario.BaseStations, [bs1.Compute(u.Regions[0]), bs2.Compute(u.Regions[1])], arrays, u.Position, snr)));
            double benchmark = Rms(ues.Select(u => PositionErrorBound.Compute(scenario.BaseStations,
                u.Regions.Select(r => BenchmarkPrecoder.Design(r, scenario.AntennaCount, scenario.TransmissionCount).Precoder).ToArray(), arrays, u.Position, snr)));
            Assert.AreEqual(learned, v[2], 1e-9 * learned, $"learned RMS PEB at {snr} dB");
            Assert.AreEqual(benchmark, v[4], 1e-9 * benchmark, $"benchmark RMS PEB at {snr} dB");
            Assert.IsTrue(v[1] > 0 && v[3] > 0 && v[5] == 40, row);
        }

        static double Rms(IEnumerable<double> values) => Math.Sqrt(values.Average(x => x * x));
    }

    [TestMethod]
    public void OverThePriorRefusesTrialsItCannotSplitAnAodModelAndASweep()
    {
        using var registry = new FixtureRegistry();
        string output = Path.Combine(Path.GetDirectoryName(registry.Root)!, "prior");
        foreach ((string[] args, string expected) in new[]
        {
            (new[] { "--family", "tiny-position", "--trials", "40", "--over-prior", "3" }, "--over-prior 3: expected 0 (the test point) or a number of UEs >= 1 that divides the trials (40)"),
            (new[] { "--family", "tiny-position", "--trials", "40", "--over-prior", "-2" }, "--over-prior -2: expected 0"),
            (new[] { "--family", "tiny-aod", "--trials", "40", "--over-prior", "4" }, "--over-prior 4: expected 0 for tiny-aod/v1, an aod model"),
            (new[] { "--sweep", "spacing", "--family", "tiny-position", "--trials", "40", "--over-prior", "4" }, "--over-prior 4 with --sweep spacing"),
        })
        {
            (int code, _, string stderr) = ConsoleCapture.Run(["validate", .. args, "--registry", registry.Root, "--snr", "10", "--out", output]);
            Assert.AreEqual(CliApp.BadInput, code, string.Join(' ', args));
            StringAssert.Contains(stderr, expected);
            Assert.IsFalse(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "nothing written");
        }
    }
}
