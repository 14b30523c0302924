using E2EDeploy.Training.Registry;
using E2EDeploy.Validation;

namespace E2EDeploy.Pipeline;

/// <summary>The regression metric of an export, measured through the deployed runtime exactly as `e2e validate` measures it.</summary>
public static class DeployedRegression
{
    /// <summary>The <see cref="RegressionMeasure"/> that <see cref="ModelPublisher"/> gets from this command line.</summary>
    public static RegressionMeasurement Measure(string versionFolder, double snrDb, int trials, int seed)
    {
        ValidationOutcome validation = ModelValidator.RunFolder(versionFolder, [snrDb], trials, seed);
        return new RegressionMeasurement(validation.Unit, validation.Rows[0].LearnedRmse);
    }
}
