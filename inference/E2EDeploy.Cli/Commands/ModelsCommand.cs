using System.CommandLine;
using System.Globalization;
using E2EDeploy.Inference.Registry;
using E2EDeploy.Shared.Models;
using Spectre.Console;

namespace E2EDeploy.Cli.Commands;

/// <summary>`e2e models list|verify`: the model registry.</summary>
public static class ModelsCommand
{
    /// <summary>Exit code when verification finds a problem.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Builds the `models` command.</summary>
    public static Command Build()
    {
        var models = new Command("models", "Lists and verifies the versioned ONNX models of the registry (models/<family>/<version>/).");
        models.Subcommands.Add(BuildList());
        models.Subcommands.Add(BuildVerify());
        return models;
    }

    private static Command BuildList()
    {
        var registry = new Option<string>("--registry") { Description = "Registry root.", DefaultValueFactory = _ => "models" };
        var command = new Command("list", "A table of the families and versions with their task, SNR, impairment and validation metrics.");
        command.Options.Add(registry);
        command.SetAction(parse =>
        {
            string root = parse.GetValue(registry)!;
            try
            {
                IReadOnlyList<string> folders = Directory.Exists(root) ? RegistryVerifier.VersionFolders(root) : [];
                var table = new Table().Title(Markup.Escape($"models in {Path.GetFullPath(root)}"));
                foreach (string column in new[] { "family", "version", "task", "training SNR", "impairment", "files", "validation RMSE", "reference RMSE", "step", "created" })
                {
                    table.AddColumn(column);
                }

                foreach (string folder in folders)
                {
                    try
                    {
                        ModelManifest m = ModelManifest.Load(Path.Combine(folder, "manifest.json"));
                        table.AddRow(
                            Markup.Escape(m.Family), Markup.Escape(m.Version), m.Task, Markup.Escape(m.SnrText), m.Impairment.Kind,
                            m.Files.Count.ToString(CultureInfo.InvariantCulture),
                            $"{m.Metrics.ValidationRmse.ToString("0.0000", CultureInfo.InvariantCulture)} {m.Metrics.Unit}",
                            $"{m.Metrics.ReferenceRmse.ToString("0.0000", CultureInfo.InvariantCulture)} {m.Metrics.Unit}",
                            m.Metrics.Step.ToString(CultureInfo.InvariantCulture), m.Created);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                    {
                        table.AddRow(Markup.Escape(Path.GetFileName(Path.GetDirectoryName(folder)!)), Markup.Escape(Path.GetFileName(folder)), "[red]unreadable manifest[/]", "", "", "", "", "", "", "");
                        Console.Error.WriteLine($"error: {folder}/manifest.json: {e.Message}");
                    }
                }

                StandardConsoles.Output().Write(table);
                if (folders.Count == 0)
                {
                    Console.Error.WriteLine($"no models in '{root}'.");
                }

                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CliApp.BadInput;
            }
        });
        return command;
    }

    private static Command BuildVerify()
    {
        var path = new Argument<string>("path") { Description = "A registry root, family folder or version folder.", DefaultValueFactory = _ => "models" };
        var command = new Command("verify", "Re-hashes every file, loads every model in ONNX Runtime and checks it against its manifest and the model contract; exits 1 on any mismatch.");
        command.Arguments.Add(path);
        command.SetAction(parse =>
        {
            string target = parse.GetValue(path)!;
            try
            {
                IReadOnlyList<string> folders = RegistryVerifier.VersionFolders(target);
                if (folders.Count == 0)
                {
                    Console.Error.WriteLine($"error: no model versions under '{target}'.");
                    return VerificationFailed;
                }

                int failed = 0;
                foreach (string folder in folders)
                {
                    VersionReport report = RegistryVerifier.Verify(folder, target);
                    if (report.Ok)
                    {
                        Console.Out.WriteLine($"ok      {report.Model}");
                        continue;
                    }

                    failed++;
                    Console.Out.WriteLine($"FAILED  {report.Model}");
                    foreach (string problem in report.Problems)
                    {
                        Console.Error.WriteLine($"error: {problem}");
                    }
                }

                Console.Out.WriteLine($"{folders.Count - failed} of {folders.Count} model versions verified.");
                return failed == 0 ? 0 : VerificationFailed;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CliApp.BadInput;
            }
        });
        return command;
    }
}
