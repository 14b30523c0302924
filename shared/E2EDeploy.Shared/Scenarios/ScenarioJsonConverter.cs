using System.Text.Json;
using System.Text.Json.Serialization;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// Reads and writes a <see cref="Scenario"/> embedded in another JSON document (a model manifest) exactly as a scenario file
/// holds it (<see cref="ScenarioFile.JsonOptions"/>: unknown names are errors), and validates it on reading. A bad scenario
/// becomes a <see cref="JsonException"/> that names the value, so the embedding document's reader reports it with its file.
/// </summary>
public sealed class ScenarioJsonConverter : JsonConverter<Scenario>
{
    /// <inheritdoc />
    public override Scenario Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Scenario scenario = JsonSerializer.Deserialize<Scenario>(ref reader, ScenarioFile.JsonOptions)
            ?? throw new JsonException("scenario: JSON null, expected a scenario object.");
        try
        {
            return scenario.Validate();
        }
        catch (ScenarioException e)
        {
            throw new JsonException($"scenario: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Scenario value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ScenarioFile.JsonOptions);
}
