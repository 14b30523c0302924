namespace E2EDeploy.Pipeline;

/// <summary>A command line as one string that a POSIX shell reads back as the same arguments (for manifests and reports).</summary>
public static class CommandLineText
{
    /// <summary>The program name followed by its arguments, each quoted where a shell would split or expand it.</summary>
    public static string Of(string program, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { program }.Concat(arguments.Select(Quote)));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
