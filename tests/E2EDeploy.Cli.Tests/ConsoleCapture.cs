namespace E2EDeploy.Cli.Tests;

/// <summary>Runs `e2e` in-process with standard output and error captured.</summary>
internal static class ConsoleCapture
{
    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        TextWriter originalOut = Console.Out;
        TextWriter originalError = Console.Error;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int code = CliApp.Run(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
