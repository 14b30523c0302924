using System.Globalization;

namespace E2EDeploy.Shared;

/// <summary>
/// A setting of a library call (a record property or a method parameter) holds a value the call cannot use. The message is in
/// the library's terms ("SnrDb 70: expected an SNR in dB within [-30, 60]."); a command line maps <see cref="Setting"/> to its
/// own flag with <see cref="Rephrase"/>, so that the library never names a flag.
/// </summary>
public sealed class InvalidSettingException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="setting"/> holding <paramref name="value"/>.</summary>
    /// <param name="setting">The setting's name in the library (a property or parameter name).</param>
    /// <param name="value">The value it holds.</param>
    /// <param name="expected">What it should hold, without a final full stop.</param>
    /// <param name="innerException">The error that showed the value to be unusable, if any.</param>
    public InvalidSettingException(string setting, object? value, string expected, Exception? innerException = null)
        : base(null, setting, innerException)
    {
        Setting = setting;
        Value = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
        Expected = expected;
    }

    /// <summary>The setting's name in the library.</summary>
    public string Setting { get; }

    /// <summary>The value it held, as text.</summary>
    public string Value { get; }

    /// <summary>What it should hold.</summary>
    public string Expected { get; }

    /// <inheritdoc />
    public override string Message => Rephrase(Setting);

    /// <summary>
    /// What a command line prints for <paramref name="error"/>: a setting's error with the setting called by its flag from
    /// <paramref name="flags"/> (library setting -&gt; flag), any other error its own message.
    /// </summary>
    public static string Describe(Exception error, IReadOnlyDictionary<string, string> flags)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(flags);
        return error is InvalidSettingException setting && flags.TryGetValue(setting.Setting, out string? flag) ? setting.Rephrase(flag) : error.Message;
    }

    /// <summary>The message with the setting called <paramref name="name"/> (a flag such as --snr): "NAME VALUE: expected EXPECTED.".</summary>
    public string Rephrase(string name) => $"{name} {Value}: expected {Expected}.";
}
