using E2EDeploy.Pipeline.Recipe;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Tests.Recipe;

/// <summary>Every scenario file under training/scenarios/ loads and is one the pipeline can serve for both tasks.</summary>
[TestClass]
public sealed class ScenarioFilesTests
{
    [TestMethod]
    public void TheCommittedScenarioFilesCanBeServed()
    {
        string folder = Path.Combine(RepositoryRoot(), "training", "scenarios");
        string[] files = Directory.GetFiles(folder, "*.json");
        Assert.IsTrue(files.Length >= 11, string.Join(", ", files));
        foreach (string file in files)
        {
            Scenario scenario = ScenarioFile.Load(file);
            ScenarioRequirements.Check(scenario, [TrainingTask.Aod, TrainingTask.Position]);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "E2EDeploy.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (E2EDeploy.sln) was not found above the test's folder");
    }
}
