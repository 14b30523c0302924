using E2EDeploy.Cli.Commands;

namespace E2EDeploy.Cli.Tests.Commands;

[TestClass]
public sealed class SnrGridTests
{
    [TestMethod]
    public void ParsesRangesListsAndSingleValues()
    {
        CollectionAssert.AreEqual(new double[] { -5, 0, 5, 10, 15, 20, 25, 30 }, SnrGrid.Parse("-5:5:30"));
        CollectionAssert.AreEqual(new double[] { 10, 20.5 }, SnrGrid.Parse("10, 20.5"));
        CollectionAssert.AreEqual(new double[] { 0, 0.1, 0.2, 0.3 }, SnrGrid.Parse("0:0.1:0.3"));
        CollectionAssert.AreEqual(new double[] { 7 }, SnrGrid.Parse("7"));
    }

    [TestMethod]
    [DataRow("abc", "'abc'")]
    [DataRow("1:2", "start:step:stop")]
    [DataRow("0:-5:30", "step > 0")]
    [DataRow("10,NaN", "'NaN'")]
    [DataRow("500", "500 dB")]
    public void RejectsBadListsNamingThePart(string text, string fragment)
    {
        var e = Assert.ThrowsExactly<FormatException>(() => SnrGrid.Parse(text));
        StringAssert.Contains(e.Message, fragment);
    }
}
