namespace E2EDeploy.Inference.Tests;

/// <summary>A registry reference stays inside its registry root, and a bad one names the value it was given.</summary>
[TestClass]
public sealed class ModelReferenceTests
{
    [TestMethod]
    public void AFamilyAndVersionResolveUnderTheRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), "registry");
        ModelReference reference = ModelReference.Registry(root, "position-none-snr05/v1", baseStation: 2);
        Assert.AreEqual(Path.Combine(Path.GetFullPath(root), "position-none-snr05", "v1"), reference.Folder);
        Assert.AreEqual(2, reference.BaseStation);
        Assert.IsNull(reference.FileName);
    }

    [TestMethod]
    [DataRow("../v1")]
    [DataRow("aod-none/..")]
    [DataRow("aod-none/v1/extra")]
    [DataRow("aod-none")]
    [DataRow("Aod-None/v1")]
    [DataRow("aod-none/ v1")]
    public void ANameThatIsNotFamilySlashVersionIsRefusedWithTheValueNamed(string familyAndVersion)
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => ModelReference.Registry("models", familyAndVersion));
        StringAssert.StartsWith(e.Message, $"familyAndVersion '{familyAndVersion}': expected FAMILY/VERSION");
        Assert.AreEqual("familyAndVersion", e.ParamName);
    }
}
