using System.Text.Json;
using System.Text.Json.Serialization;
using E2EDeploy.Shared.IO;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// Reads and writes <see cref="Scenario"/> as JSON (camelCase names, enums as lower-case strings).
/// Values missing from a file keep the paper's defaults; unknown names are errors.
/// </summary>
public static class ScenarioFile
{
    /// <summary>The JSON options used for scenarios (and for any record embedding one).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>Parses and validates a scenario from JSON text; throws <see cref="ScenarioException"/> naming the bad value.</summary>
    public static Scenario Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            string path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            throw new ScenarioException(path, $"malformed scenario JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        if (scenario is null)
        {
            throw new ScenarioException("$", "the file holds JSON null: expected a scenario object");
        }

        return scenario.Validate();
    }

    /// <summary>Loads and validates a scenario file; errors name the file and the bad value.</summary>
    public static Scenario Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"scenario file '{path}' does not exist.", path);
        }

        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (ScenarioException e)
        {
            throw new ScenarioException(e.ValuePath, $"{e.Message.Substring(e.ValuePath.Length + 2)} (in '{path}')", e.InnerException);
        }
    }

    /// <summary>Serialises a scenario to indented JSON.</summary>
    public static string ToJson(Scenario scenario) => JsonSerializer.Serialize(scenario.Validate(), JsonOptions);

    /// <summary>Validates and writes a scenario to <paramref name="path"/> atomically.</summary>
    public static void Save(Scenario scenario, string path) => AtomicFile.WriteAllText(path, ToJson(scenario));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
