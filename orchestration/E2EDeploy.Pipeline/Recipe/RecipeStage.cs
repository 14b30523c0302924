using System.Text.Json;
using System.Text.Json.Nodes;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Estimators;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>
/// One stage of a family's recipe. <see cref="Definition"/> is everything that decides the stage's output, as canonical
/// JSON: a finished stage is skipped on a later run only while its definition is unchanged (OUT/pipeline.json).
/// </summary>
/// <param name="Family">The family the stage belongs to.</param>
/// <param name="Name">train, lower-threshold, calibrate, export or validate.</param>
public abstract record RecipeStage(string Family, string Name)
{
    /// <summary>family/name, the stage's key in the pipeline's state and its label in the progress display.</summary>
    public string Key => $"{Family}/{Name}";

    /// <summary>What decides the stage's output, as JSON.</summary>
    public abstract string Definition { get; }

    /// <summary>A definition object as compact JSON.</summary>
    protected static string Json(JsonObject value) => value.ToJsonString();

    /// <summary>A value as JSON in the scenario file's options.</summary>
    protected static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, ScenarioFile.JsonOptions);
}

/// <summary>A training stage: <see cref="Trainer.Run"/> of <paramref name="Config"/> into <paramref name="RunFolder"/>.</summary>
public sealed record TrainStage(string Family, string Name, string RunFolder, TrainingConfig Config, Scenario Scenario) : RecipeStage(Family, Name)
{
    /// <inheritdoc />
    public override string Definition => Json(new JsonObject { ["run"] = RunFolder, ["training"] = Node(Config), ["scenario"] = JsonNode.Parse(ScenarioFile.ToJson(Scenario)) });
}

/// <summary>The calibration of the UE's arrays in <paramref name="RunFolder"/> (<see cref="ArrayCalibration.CalibrateRun"/>).</summary>
public sealed record CalibrateStage(string Family, string RunFolder, CalibrationSettings Settings) : RecipeStage(Family, "calibrate")
{
    /// <inheritdoc />
    public override string Definition => Json(new JsonObject { ["run"] = RunFolder, ["calibration"] = Node(Settings) });
}

/// <summary>The export of <paramref name="RunFolder"/> as the next version of the family in <paramref name="Registry"/>.</summary>
public sealed record ExportStage(string Family, string RunFolder, string Registry, EstimatorSettings Estimator, string ReproducingCommand) : RecipeStage(Family, "export")
{
    /// <inheritdoc />
    public override string Definition => Json(new JsonObject { ["run"] = RunFolder, ["registry"] = Registry, ["estimator"] = Node(Estimator), ["command"] = ReproducingCommand });
}

/// <summary>`e2e validate` of the exported version into <paramref name="ReportFolder"/>.</summary>
public sealed record ValidateStage(string Family, string Registry, string ReportFolder, int Trials, int Seed) : RecipeStage(Family, "validate")
{
    /// <inheritdoc />
    public override string Definition => Json(new JsonObject { ["registry"] = Registry, ["report"] = ReportFolder, ["trials"] = Trials, ["seed"] = Seed });
}
