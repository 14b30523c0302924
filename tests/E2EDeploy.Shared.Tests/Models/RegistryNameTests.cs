using E2EDeploy.Shared.Models;

namespace E2EDeploy.Shared.Tests.Models;

[TestClass]
public sealed class RegistryNameTests
{
    [TestMethod]
    [DataRow("position-none-snr05")]
    [DataRow("v12")]
    [DataRow("r3-241")]
    [DataRow("a.b_c")]
    public void NamesOfLowerCaseLettersDigitsAndSeparatorsAreValid(string name)
    {
        Assert.IsTrue(RegistryName.IsValid(name));
        RegistryName.Check(name, "--family");
    }

    [TestMethod]
    [DataRow("..")]
    [DataRow(".")]
    [DataRow("../etc")]
    [DataRow("a/b")]
    [DataRow("a\\b")]
    [DataRow("-v1")]
    [DataRow("Position")]
    [DataRow("a b")]
    [DataRow("")]
    [DataRow(null)]
    public void NamesThatCouldLeaveTheRegistryOrAreNotLowerCaseAreRefusedWithTheValueNamed(string? name)
    {
        Assert.IsFalse(RegistryName.IsValid(name));
        var e = Assert.Throws<ArgumentException>(() => RegistryName.Check(name, "--family"));
        StringAssert.StartsWith(e.Message, $"--family '{name}': expected lower-case letters");
    }

    [TestMethod]
    public void OnlyVNWithNAtLeastOneAndNoLeadingZerosIsANumberedVersion()
    {
        Assert.AreEqual(1, RegistryName.VersionNumber("v1"));
        Assert.AreEqual(12, RegistryName.VersionNumber("v12"));
        foreach (string? name in new[] { "v0", "v007", "v", "1", "v1a", "V1", "v-1", "v99999999999", null })
        {
            Assert.IsNull(RegistryName.VersionNumber(name), name);
        }
    }

    [TestMethod]
    public void TheHighestVersionIsNumericNotOrdinalAndOtherFoldersDoNotCount()
    {
        string family = Directory.CreateTempSubdirectory("registry-name").FullName;
        try
        {
            Assert.IsNull(RegistryName.HighestVersion(family));
            Assert.AreEqual("v1", RegistryName.NextVersion(family));
            foreach (string name in new[] { "v2", "v10", "v9", "r3-241", "v0" })
            {
                Directory.CreateDirectory(Path.Combine(family, name));
            }

            Assert.AreEqual("v10", RegistryName.HighestVersion(family));
            Assert.AreEqual("v11", RegistryName.NextVersion(family));
        }
        finally
        {
            Directory.Delete(family, true);
        }

        Assert.IsNull(RegistryName.HighestVersion(family), "a family folder that does not exist has no version");
        Assert.AreEqual("v1", RegistryName.NextVersion(family));
    }
}
