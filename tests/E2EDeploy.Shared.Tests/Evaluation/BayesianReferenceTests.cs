using E2EDeploy.Shared.Evaluation;

namespace E2EDeploy.Shared.Tests.Evaluation;

[TestClass]
public sealed class BayesianReferenceTests
{
    [TestMethod]
    public void ThresholdIsWhereTheBoundCrossesOnePointOneTimesItsLimitFromAbove()
    {
        // Ratios 2.0, 1.3, 1.05, 1.0 at 0, 5, 10, 15 dB: the crossing of 1.10 lies between 5 and 10 dB, at 5 + 5 * 0.2 / 0.25 = 9 dB.
        BayesianReference[] references = [new(2.0, 3, 1), new(1.3, 2, 1), new(1.05, 1.1, 1), new(1.0, 1, 1)];
        Assert.AreEqual(9, BayesianReference.ThresholdSnrDb([0, 5, 10, 15], references)!.Value, 1e-12);
        Assert.IsNull(BayesianReference.ThresholdSnrDb([0, 5], [new(1.0, 1, 1), new(1.0, 1, 1)]));
    }

    [TestMethod]
    public void PoolingIsTheRmsOfEveryColumnAndTheStandardErrorOfTheMeanMse()
    {
        BayesianReference pooled = BayesianReference.Pool([new(1, 2, 3) { MmseStandardError = 0.1 }, new(3, 4, 5) { MmseStandardError = 0.2 }]);
        Assert.AreEqual(Math.Sqrt(5), pooled.ZivZakaiBound, 1e-12);
        Assert.AreEqual(Math.Sqrt(10), pooled.MmseRmse, 1e-12);
        Assert.AreEqual(Math.Sqrt(17), pooled.KnownMagnitudeBound, 1e-12);

        // MSEs 4 and 16 across the two UEs: sample variance 72, so the mean's standard error is sqrt(72 / 2) = 6; back to the
        // RMSE by / (2 RMSE).
        Assert.AreEqual(6 / (2 * Math.Sqrt(10)), pooled.MmseStandardError, 1e-12);
    }
}
