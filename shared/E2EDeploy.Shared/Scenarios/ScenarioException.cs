namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// A scenario (or scenario file) holds a value that is out of range or malformed.
/// <see cref="ValuePath"/> names the offending value as a JSON path, e.g. <c>baseStations[1].orientationDeg</c>.
/// </summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception for the value at <paramref name="valuePath"/>.</summary>
    public ScenarioException(string valuePath, string message, Exception? inner = null)
        : base($"{valuePath}: {message}", inner)
    {
        ValuePath = valuePath;
    }

    /// <summary>JSON path of the bad value, e.g. <c>antennaCount</c>.</summary>
    public string ValuePath { get; }
}
