using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Scenarios;

[TestClass]
public sealed class ScenarioFileTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void RoundTripsThroughAFile()
    {
        string path = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        Scenario original = Scenario.Paper with
        {
            AntennaCount = 16,
            Impairments = new ImpairmentSettings { Kind = ImpairmentKind.Coupling, Seed = 4, Coupling = new MutualCouplingSettings { DecayZeta = 0.3 } },
        };
        ScenarioFile.Save(original, path);
        Scenario loaded = ScenarioFile.Load(path);
        Assert.AreEqual(ScenarioFile.ToJson(original), ScenarioFile.ToJson(loaded));
        Assert.AreEqual(16, loaded.AntennaCount);
        Assert.AreEqual(0.3, loaded.Impairments.Coupling.DecayZeta);
        StringAssert.Contains(File.ReadAllText(path), "\"kind\": \"coupling\"");
        File.Delete(path);
    }

    [TestMethod]
    public void MissingValuesKeepThePapersDefaults()
    {
        Scenario s = ScenarioFile.Parse("""{ "transmissionCount": 10, "impairments": { "kind": "spacing" } }""");
        Assert.AreEqual(10, s.TransmissionCount);
        Assert.AreEqual(32, s.AntennaCount);
        Assert.AreEqual(ImpairmentKind.Spacing, s.Impairments.Kind);
        Assert.AreEqual(0.01, s.Impairments.Spacing.StdDevWavelengths);
    }

    [TestMethod]
    [DataRow("""{ "antennaCount": 1 }""", "antennaCount", "= 1")]
    [DataRow("""{ "transmissionCount": 7 }""", "transmissionCount", "= 7")]
    [DataRow("""{ "antennaCount": "many" }""", "$.antennaCount", "malformed")]
    [DataRow("""{ "wavelengthM": NaN }""", "$.wavelengthM", "malformed")]
    [DataRow("""{ "antenaCount": 32 }""", "$", "antenaCount")]
    [DataRow("""{ "impairments": { "kind": "rust" } }""", "$.impairments.kind", "malformed")]
    [DataRow("""{ "antennaCount": 32, """, "$", "line 1")]
    [DataRow("""null""", "$", "null")]
    public void MalformedFilesAreRejectedNamingTheValue(string json, string path, string fragment)
    {
        var e = Assert.ThrowsExactly<ScenarioException>(() => ScenarioFile.Parse(json));
        StringAssert.StartsWith(e.ValuePath, path, e.Message);
        StringAssert.Contains(e.Message, fragment);
    }

    [TestMethod]
    public void LoadNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bad-scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "transmissionCount": 3 }""");
        var e = Assert.ThrowsExactly<ScenarioException>(() => ScenarioFile.Load(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "transmissionCount");
        File.Delete(path);
        Assert.ThrowsExactly<FileNotFoundException>(() => ScenarioFile.Load(path));
    }
}
