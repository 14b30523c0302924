using System.Reflection;

namespace E2EDeploy.Inference.Tests;

/// <summary>The runtime never depends on TorchSharp, directly or transitively.</summary>
[TestClass]
public sealed class DependencyTests
{
    [TestMethod]
    public void TorchSharpIsNotInTheDependencyClosure()
    {
        var seen = new HashSet<string>();
        var pending = new Stack<AssemblyName>([typeof(BsPrecoder).Assembly.GetName()]);
        while (pending.Count > 0)
        {
            AssemblyName name = pending.Pop();
            if (!seen.Add(name.Name!) || name.Name!.StartsWith("System.", StringComparison.Ordinal) || name.Name is "System" or "mscorlib" or "netstandard")
            {
                continue;
            }

            Assembly assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        Assert.IsFalse(seen.Any(n => n.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase)), $"assemblies: {string.Join(", ", seen.Order())}");
        CollectionAssert.Contains(seen.ToList(), "Microsoft.ML.OnnxRuntime");

        string deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "E2EDeploy.Inference.Tests.deps.json"));
        Assert.IsFalse(deps.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase), "no TorchSharp package in the test's dependency graph, which holds the runtime's");
    }
}
