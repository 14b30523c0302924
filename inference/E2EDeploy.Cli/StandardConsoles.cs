using Spectre.Console;

namespace E2EDeploy.Cli;

/// <summary>Spectre consoles over the current standard output and error (tables on stdout, progress and errors on stderr).</summary>
internal static class StandardConsoles
{
    /// <summary>A console over the current Console.Out; 160 columns wide when output is redirected, so tables are not cut.</summary>
    public static IAnsiConsole Output() => Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>A console over the current Console.Error.</summary>
    public static IAnsiConsole Error() => Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
