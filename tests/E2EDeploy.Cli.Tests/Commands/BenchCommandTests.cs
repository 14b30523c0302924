using System.Text.Json;

namespace E2EDeploy.Cli.Tests.Commands;

/// <summary>Runs `e2e bench` in-process with captured standard output and error.</summary>
[TestClass]
[DoNotParallelize]
public sealed class BenchCommandTests
{
    [TestMethod]
    public void AodJsonIsExactlyOneObjectWithOneRowPerSnr()
    {
        (int code, string stdout, _) = Run("bench", "aod", "--snr", "10,20", "--trials", "300", "--seed", "3", "--json");
        Assert.AreEqual(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.AreEqual("aod", json.RootElement.GetProperty("task").GetString());
        Assert.AreEqual("deg", json.RootElement.GetProperty("unit").GetString());
        JsonElement[] rows = [.. json.RootElement.GetProperty("rows").EnumerateArray()];
        Assert.HasCount(2, rows);
        Assert.AreEqual(20, rows[1].GetProperty("snr_db").GetDouble());
        Assert.AreEqual(300, rows[1].GetProperty("trials").GetInt32());

        // sqrt(CRB) at 20 dB for U = [40, 60] deg is about 0.1 deg; the ML RMSE is close to it.
        double bound = rows[1].GetProperty("bound").GetDouble();
        Assert.AreEqual(0.10, bound, 0.01);
        Assert.AreEqual(1, rows[1].GetProperty("rmse").GetDouble() / bound, 0.25);
    }

    [TestMethod]
    public void AodJsonRowsCarryTheZivZakaiBoundAndTheMmseRmseWithTheThreshold()
    {
        (int code, string stdout, string stderr) = Run("bench", "aod", "--snr=-10,0,10,20", "--trials", "2000", "--seed", "4", "--json");
        Assert.AreEqual(0, code, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement[] rows = [.. json.RootElement.GetProperty("rows").EnumerateArray()];
        foreach (JsonElement row in rows)
        {
            double zzb = row.GetProperty("zzb").GetDouble(), mmse = row.GetProperty("mmse").GetDouble(), rmse = row.GetProperty("rmse").GetDouble();

            // The bound holds for both estimators (2,000 trials: a standard error of an RMSE below 4 %, so 3 of them are 12 %),
            // and the Bayes-optimal estimator is not beaten by ML beyond the same error.
            Assert.IsGreaterThan(0.88 * zzb, mmse, row.ToString());
            Assert.IsGreaterThan(0.88 * zzb, rmse, row.ToString());
            Assert.IsLessThan(1.12 * rmse, mmse, row.ToString());
            Assert.IsGreaterThan(0.0, row.GetProperty("known_magnitude_bound").GetDouble());
        }

        // At -10 dB the bound is near the prior's deviation, 20 / sqrt(12) = 5.77 deg; at 20 dB near the known-magnitude CRB.
        Assert.IsGreaterThan(0.5 * 20 / Math.Sqrt(12), rows[0].GetProperty("zzb").GetDouble());
        Assert.AreEqual(1, rows[3].GetProperty("zzb").GetDouble() / rows[3].GetProperty("known_magnitude_bound").GetDouble(), 0.03);
        double threshold = json.RootElement.GetProperty("threshold_snr_db").GetDouble();
        Assert.IsTrue(threshold > 0 && threshold < 10, $"threshold {threshold} dB");
    }

    [TestMethod]
    public void PositionJsonHasTheReferenceOverThePriorOnlyAndRefusesAnUnevenSplit()
    {
        (int code, string stdout, string stderr) = Run("bench", "position", "--snr", "20", "--trials", "200", "--json");
        Assert.AreEqual(0, code, stderr);
        using (JsonDocument json = JsonDocument.Parse(stdout))
        {
            Assert.AreEqual(JsonValueKind.Null, json.RootElement.GetProperty("rows")[0].GetProperty("zzb").ValueKind);
            Assert.AreEqual(JsonValueKind.Null, json.RootElement.GetProperty("rows")[0].GetProperty("mmse").ValueKind);
        }

        (code, stdout, stderr) = Run("bench", "position", "--snr", "20", "--trials", "200", "--over-prior", "2", "--json");
        Assert.AreEqual(0, code, stderr);
        using (JsonDocument json = JsonDocument.Parse(stdout))
        {
            // Two UEs are too few for the pooled RMSE to estimate the Bayesian one, so only that both are there and finite.
            JsonElement row = json.RootElement.GetProperty("rows")[0];
            Assert.IsTrue(double.IsFinite(row.GetProperty("zzb").GetDouble()) && row.GetProperty("zzb").GetDouble() > 0, row.ToString());
            Assert.IsTrue(double.IsFinite(row.GetProperty("mmse").GetDouble()) && row.GetProperty("mmse").GetDouble() > 0, row.ToString());
        }

        (code, stdout, stderr) = Run("bench", "position", "--snr", "20", "--trials", "200", "--over-prior", "3");
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "--over-prior 3");
        Assert.AreEqual(string.Empty, stdout);
    }

    [TestMethod]
    public void PositionJsonUsesMetresAndThePeb()
    {
        (int code, string stdout, _) = Run("bench", "position", "--x", "0.5", "--y", "5", "--snr", "20", "--trials", "200", "--json");
        Assert.AreEqual(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.AreEqual("position", json.RootElement.GetProperty("task").GetString());
        Assert.AreEqual("m", json.RootElement.GetProperty("unit").GetString());
        Assert.AreEqual(0.0196, json.RootElement.GetProperty("rows")[0].GetProperty("bound").GetDouble(), 0.001);
    }

    [TestMethod]
    [DataRow("theta_min = 60", "bench", "aod", "--umin", "60", "--umax", "40")]
    [DataRow("90 deg", "bench", "aod", "--umin", "40", "--umax", "95")]
    [DataRow("'abc'", "bench", "aod", "--snr", "abc")]
    [DataRow("--trials 0", "bench", "aod", "--trials", "0")]
    [DataRow("BS index 2", "bench", "aod", "--bs", "3")]
    [DataRow("AoD", "bench", "position", "--x", "0.5", "--y", "-5")]
    public void BadInputExitsWithCode2AndNamesTheValue(string fragment, params string[] args)
    {
        (int code, string stdout, string stderr) = Run(args);
        Assert.AreEqual(CliApp.BadInput, code, stderr);
        Assert.AreEqual(string.Empty, stdout);
        StringAssert.Contains(stderr, fragment);
    }

    [TestMethod]
    public void MalformedScenarioFileExitsWithCode2AndNamesTheValue()
    {
        string path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "antennaCount": 1 }""");
        (int code, _, string stderr) = Run("bench", "aod", "--scenario", path, "--trials", "10");
        File.Delete(path);
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "antennaCount");
    }

    [TestMethod]
    public void UnknownImpairmentIsAParseError()
    {
        (int code, _, string stderr) = Run("bench", "aod", "--impairment", "rust");
        Assert.AreNotEqual(0, code);
        StringAssert.Contains(stderr, "rust");
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => ConsoleCapture.Run(args);
}
