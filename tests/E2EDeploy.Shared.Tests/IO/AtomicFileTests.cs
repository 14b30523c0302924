using E2EDeploy.Shared.IO;

namespace E2EDeploy.Shared.Tests.IO;

[TestClass]
public sealed class AtomicFileTests
{
    [TestMethod]
    public void AFailingWriteLeavesTheOldFileAndNoTemporaryFile()
    {
        string folder = Directory.CreateTempSubdirectory("atomic").FullName;
        string path = Path.Combine(folder, "report.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.AreEqual("old", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder));
        AtomicFile.WriteAllText(path, "new");
        Assert.AreEqual("new", File.ReadAllText(path));
        Directory.Delete(folder, true);
    }
}
