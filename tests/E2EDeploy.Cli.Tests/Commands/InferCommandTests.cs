using System.Text.Json;
using E2EDeploy.Cli.Commands;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Models;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Cli.Tests.Commands;

/// <summary>`e2e infer`: JSON lines in, JSON lines out; a bad line gives an error line with its number and the rest goes on.</summary>
[TestClass]
public sealed class InferCommandTests
{
    [TestMethod]
    public void AodLinesGiveOneAnswerPerLineAndBadLinesDoNotStopTheRest()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        string input = string.Join('\n',
            """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]}}""",
            "not json",
            "",
            """{"y":{"re":[1,2],"im":[0,0]}}""",
            """{"y":{"re":[0.1,0.2,0.3,"x"],"im":[0,0,0,0]}}""",
            """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]}}""");
        var output = new StringWriter();
        int bad = InferCommand.Run(ModelKind.AodEstimator, model, new StringReader(input), output);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(3, bad);
        Assert.HasCount(5, lines, "one answer per non-empty line");
        JsonElement[] answers = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, answers.Select(a => a.GetProperty("line").GetInt32()).ToArray(), "blank lines are skipped and not counted");
        Assert.AreEqual(answers[0].GetProperty("aod").GetDouble(), answers[4].GetProperty("aod").GetDouble());
        Assert.AreEqual(model.Estimate([new(0.1, 0), new(0.2, 0.5), new(0.3, 0), new(0.4, 0)]), answers[0].GetProperty("aod").GetDouble());
        StringAssert.Contains(answers[1].GetProperty("error").GetString(), "malformed JSON");
        StringAssert.Contains(answers[2].GetProperty("error").GetString(), "y.re has a row of 2 values: expected 4 numbers");
        StringAssert.Contains(answers[3].GetProperty("error").GetString(), "y.re holds \"x\"");
    }

    [TestMethod]
    public void AnEstimatorThatTakesTheRegionReadsItFromTheLineAndNamesItWhenMissing()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod-region/v1"));
        string input = string.Join('\n',
            """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]},"theta_min":0.7,"theta_max":1.0}""",
            """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]}}""",
            """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]},"theta_min":1.0,"theta_max":0.7}""");
        var output = new StringWriter();
        Assert.AreEqual(2, InferCommand.Run(ModelKind.AodEstimator, model, new StringReader(input), output));
        JsonElement[] answers = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.AreEqual(model.Estimate([new(0.1, 0), new(0.2, 0.5), new(0.3, 0), new(0.4, 0)], new Shared.Geometry.AngularRegion(0.7, 1.0)), answers[0].GetProperty("aod").GetDouble());
        StringAssert.Contains(answers[1].GetProperty("error").GetString(), "\"theta_min\" is missing");
        StringAssert.Contains(answers[2].GetProperty("error").GetString(), "theta_min = 57.296 deg >= theta_max");
    }

    [TestMethod]
    public void APositionEstimatorThatTakesTheRegionsReadsThemFromTheLineAndNamesThemWhenMissing()
    {
        using var registry = new FixtureRegistry();
        using UePositionEstimator model = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position-region/v1"));
        const string y = "\"y\":{\"re\":[[1,2,3,4],[1,2,3,4]],\"im\":[[0,0.5,0,0],[0,0,0,1]]}";
        string input = string.Join('\n',
            "{" + y + ""","regions":[[0.7,1.0],[-0.6,-0.3]]}""",
            "{" + y + "}",
            "{" + y + ""","regions":[[0.7,1.0]]}""",
            "{" + y + ""","regions":[[0.7,1.0],[-0.3]]}""",
            "{" + y + ""","regions":[[0.7,1.0],[-0.3,-0.6]]}""");
        var output = new StringWriter();
        Assert.AreEqual(4, InferCommand.Run(ModelKind.PositionEstimator, model, new StringReader(input), output));
        JsonElement[] answers = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        System.Numerics.Complex[] observation = [new(1, 0), new(2, 0.5), new(3, 0), new(4, 0), new(1, 0), new(2, 0), new(3, 0), new(4, 1)];
        Shared.Geometry.PlanePoint expected = model.Estimate(observation, [new Shared.Geometry.AngularRegion(0.7, 1.0), new Shared.Geometry.AngularRegion(-0.6, -0.3)]);
        Assert.AreEqual(expected.X, answers[0].GetProperty("position")[0].GetDouble());
        Assert.AreEqual(expected.Y, answers[0].GetProperty("position")[1].GetDouble());
        StringAssert.Contains(answers[1].GetProperty("error").GetString(), "\"regions\" is missing");
        StringAssert.Contains(answers[2].GetProperty("error").GetString(), "\"regions\" has 1 entries: expected 2 (one per BS)");
        StringAssert.Contains(answers[3].GetProperty("error").GetString(), "regions[1] is [-0.3]: expected [theta_min, theta_max]");
        StringAssert.Contains(answers[4].GetProperty("error").GetString(), "regions[1]: theta_min = -17.189 deg >= theta_max = -34.377 deg");
    }

    [TestMethod]
    public void PrecoderAndPositionLinesFollowTheContractLayout()
    {
        using var registry = new FixtureRegistry();
        using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        var output = new StringWriter();
        Assert.AreEqual(1, InferCommand.Run(ModelKind.Precoder, precoder, new StringReader("""{"theta_min":0.7,"theta_max":1.0}""" + "\n" + """{"theta_min":1.0,"theta_max":0.7}"""), output));
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement f = JsonDocument.Parse(lines[0]).RootElement.GetProperty("precoder");
        Assert.AreEqual(8, f.GetProperty("re").GetArrayLength(), "Ntx rows");
        Assert.AreEqual(4, f.GetProperty("re")[0].GetArrayLength(), "T columns");
        StringAssert.Contains(JsonDocument.Parse(lines[1]).RootElement.GetProperty("error").GetString(), "theta_min = 57.296 deg >= theta_max");

        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position/v1"));
        output = new StringWriter();
        Assert.AreEqual(0, InferCommand.Run(ModelKind.PositionEstimator, position, new StringReader("""{"y":{"re":[[1,2,3,4],[1,2,3,4]],"im":[[0,0,0,0],[0,0,0,0]]}}"""), output));
        Assert.AreEqual(2, JsonDocument.Parse(output.ToString()).RootElement.GetProperty("position").GetArrayLength());
    }

    [TestMethod]
    public void ABadModelPathExitsWithCode2()
    {
        (int code, _, string stderr) = ConsoleCapture.Run("infer", "aod", "--model", "/no/such/model");
        Assert.AreEqual(CliApp.BadInput, code);
        StringAssert.Contains(stderr, "/no/such/model");
    }
}
