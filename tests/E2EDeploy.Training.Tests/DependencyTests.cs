using System.Reflection;
using System.Xml.Linq;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Training.Tests;

/// <summary>
/// The dependencies point one way: E2EDeploy.Training references shared only (plus TorchSharp, ONNX Runtime for the export
/// check, and Protobuf). Checked on the project files (a project reference that no code uses yet still counts) and on the
/// built assembly's references.
/// </summary>
[TestClass]
public sealed class DependencyTests
{
    private static readonly string[] Forbidden = ["E2EDeploy.Inference", "E2EDeploy.Validation", "E2EDeploy.Cli", "E2EDeploy.Pipeline"];

    [TestMethod]
    public void TheTrainingProjectReferencesSharedOnlyAmongTheProjects()
    {
        string project = Path.Combine(RepositoryRoot(), "training", "E2EDeploy.Training", "E2EDeploy.Training.csproj");
        IReadOnlyList<string> closure = ProjectClosure(project);
        CollectionAssert.AreEquivalent(new[] { "E2EDeploy.Shared" }, closure.ToArray(), $"project references of E2EDeploy.Training, transitively: {string.Join(", ", closure)}");
    }

    [TestMethod]
    public void TheTrainingAssemblyLoadsNoRuntimeOrValidationAssembly()
    {
        AssemblyName[] references = typeof(Trainer).Assembly.GetReferencedAssemblies();
        foreach (string name in Forbidden)
        {
            Assert.IsFalse(references.Any(r => r.Name == name), $"E2EDeploy.Training references {name}: {string.Join(", ", references.Select(r => r.Name))}");
        }
    }

    /// <summary>The names of every project that <paramref name="project"/> references, directly or through another.</summary>
    private static List<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.Count > 0)
        {
            string path = pending.Pop();
            foreach (XElement reference in XDocument.Load(path).Descendants("ProjectReference"))
            {
                string include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                string referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, include));
                string name = Path.GetFileNameWithoutExtension(referenced);
                if (!seen.Contains(name))
                {
                    seen.Add(name);
                    pending.Push(referenced);
                }
            }
        }

        return seen;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "E2EDeploy.sln")))
            {
                return folder.FullName;
            }
        }

        throw new AssertFailedException($"no E2EDeploy.sln above {AppContext.BaseDirectory}");
    }
}
