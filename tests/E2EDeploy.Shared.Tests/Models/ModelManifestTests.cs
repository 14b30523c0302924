using System.Text.Json.Nodes;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Tests.Models;

/// <summary>The manifest's one estimator object and typed scenario, and the separate estimator* fields of older manifests.</summary>
[TestClass]
public sealed class ModelManifestTests
{
    [TestMethod]
    public void AnOlderManifestsSeparateEstimatorFieldsAreReadAsTheEstimatorObject()
    {
        JsonObject json = Manifest(Scenario.Paper);
        json["estimatorTakesRegion"] = true;
        json["estimatorProjectsOntoPrior"] = true;
        json["estimatorRefinementSteps"] = 3;
        json["estimatorPosteriorGrid"] = 0;
        json["estimatorArray"] = "learned";
        ModelManifest manifest = Load(json);
        Assert.AreEqual(ManifestEstimator.FisherScoringKind, manifest.Estimator.Kind);
        Assert.IsTrue(manifest.Estimator.TakesRegion);
        Assert.IsTrue(manifest.Estimator.ProjectsOntoPrior);
        Assert.AreEqual(3, manifest.Estimator.RefinementSteps);
        Assert.AreEqual("learned", manifest.Estimator.Array);
        Assert.IsTrue(manifest.SignatureOf(ModelKind.AodEstimator).Input.Name == "y_xi", "the contract follows the estimator's region input");
    }

    [TestMethod]
    public void AManifestOfThisCodeWritesOneEstimatorObjectAndATypedScenario()
    {
        Scenario scenario = Scenario.Paper with { AntennaCount = 16, TransmissionCount = 8 };
        ModelManifest manifest = Load(Manifest(scenario)) with
        {
            Estimator = new ManifestEstimator { Kind = ManifestEstimator.LearnedDecoderKind, TakesRegion = true },
        };
        string path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        manifest.Save(path);
        string text = File.ReadAllText(path);
        JsonObject written = JsonNode.Parse(text)!.AsObject();
        File.Delete(path);
        Assert.AreEqual("learned-decoder", (string?)written["estimator"]!["kind"]);
        Assert.IsFalse(written.Any(p => p.Key.StartsWith("estimator", StringComparison.Ordinal) && p.Key != "estimator"), text);
        Assert.AreEqual(16, (int)written["scenario"]!["antennaCount"]!);
        ModelManifest again = Load(written);
        Assert.AreEqual(manifest.Estimator, again.Estimator);
        Assert.AreEqual(16, again.Scenario.AntennaCount);
        Assert.AreEqual(8, again.Scenario.TransmissionCount);
    }

    [TestMethod]
    public void AnUnknownEstimatorKindOrABadScenarioIsNamed()
    {
        JsonObject json = Manifest(Scenario.Paper);
        json["estimator"] = new JsonObject { ["kind"] = "oracle" };
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Load(json));
        StringAssert.Contains(e.Message, "estimator kind 'oracle': expected one of learned-decoder, fisher-scoring, fisher-scoring-runtime, posterior-mean");

        JsonObject bad = Manifest(Scenario.Paper);
        bad["scenario"]!["transmissionCount"] = 5;
        var f = Assert.ThrowsExactly<InvalidDataException>(() => Load(bad));
        StringAssert.Contains(f.Message, "transmissionCount");
    }

    [TestMethod]
    public void ARuntimeScoringManifestKeepsItsArraysExactly()
    {
        Scenario scenario = Scenario.Paper with { AntennaCount = 8 };
        float third = 1f / 3f;
        ManifestArray array = new([0, 0.5, 1.0000001192092896, 1.5, 2, 2.5, 3, 3.5], [.. Enumerable.Range(0, 64).Select(k => k % 9 == 0 ? 1.0 : third)], [.. Enumerable.Range(0, 64).Select(k => k * 0.01)]);
        ModelManifest manifest = Load(Manifest(scenario)) with
        {
            Estimator = new ManifestEstimator { Kind = ManifestEstimator.RuntimeFisherScoringKind, TakesRegion = true, ProjectsOntoPrior = true, RefinementSteps = 3, Array = "learned", Arrays = [array, array] },
        };
        string path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        manifest.Save(path);
        ModelManifest again = ModelManifest.Load(path);
        File.Delete(path);
        Assert.IsTrue(again.Estimator.RuntimeScoring);
        var arrays = again.Estimator.ScoringArrays(2, 8, "test");
        Assert.AreEqual(1.0000001192092896, arrays[0].ElementPositionsWavelengths[2]);
        Assert.AreEqual((double)third, arrays[1].CouplingTranspose[1].Real, "a float32 value round-trips exactly");
        Assert.AreEqual(0.15, arrays[1].CouplingTranspose[15].Imaginary, 1e-15);
    }

    [TestMethod]
    public void ARuntimeScoringManifestWithoutItsLearnedArraysIsRefused()
    {
        JsonObject json = Manifest(Scenario.Paper);
        json["estimator"] = new JsonObject { ["kind"] = "fisher-scoring-runtime", ["takesRegion"] = true, ["refinementSteps"] = 3, ["array"] = "learned" };
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Load(json));
        StringAssert.Contains(e.Message, "estimator.arrays has no entries (array 'learned'): expected one array model per BS, I = 2");

        json["estimator"]!["array"] = "nominal";
        Assert.AreEqual(32, Load(json).Estimator.ScoringArrays(2, 32, "test")[1].ElementCount, "a nominal array needs no numbers");

        json["estimator"]!["takesRegion"] = false;
        var f = Assert.ThrowsExactly<InvalidDataException>(() => Load(json));
        StringAssert.Contains(f.Message, "takesRegion = false: expected an estimator that takes the regions");
    }

    private static JsonObject Manifest(Scenario scenario) => new()
    {
        ["family"] = "fam",
        ["version"] = "v1",
        ["task"] = "aod",
        ["antennaCount"] = scenario.AntennaCount,
        ["transmissionCount"] = scenario.TransmissionCount,
        ["baseStationCount"] = scenario.BaseStationCount,
        ["snrDb"] = 20,
        ["impairment"] = new JsonObject { ["kind"] = "none", ["seeds"] = new JsonArray(null, null) },
        ["files"] = new JsonArray(),
        ["metrics"] = new JsonObject { ["unit"] = "deg", ["step"] = 1, ["validationRmse"] = 1.0, ["referenceRmse"] = 1.0 },
        ["scenario"] = JsonNode.Parse(ScenarioFile.ToJson(scenario)),
        ["training"] = new JsonObject(),
        ["torchSharpVersion"] = "0",
        ["onnxRuntimeVersion"] = "0",
        ["created"] = "2026-12-02T00:00:00Z",
        ["sourceCommit"] = "unknown",
    };

    private static ModelManifest Load(JsonObject json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            return ModelManifest.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
