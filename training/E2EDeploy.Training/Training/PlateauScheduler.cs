namespace E2EDeploy.Training.Training;

/// <summary>
/// Reduce-on-plateau learning-rate schedule with early stopping (section IV-B: Adam from 1e-3 with a floor of 1e-8).
/// After <c>patience</c> evaluations without a relative improvement of 1e-4, the rate is multiplied by <c>factor</c>;
/// after <c>earlyStopPatience</c> evaluations without improvement, or with the rate at its floor and no improvement
/// for <c>patience</c> evaluations, training stops. Its whole state is the record's values, saved in checkpoints.
/// </summary>
public sealed record PlateauScheduler(double LearningRate, double Best, int SinceImprovement, int SinceDrop)
{
    private const double RelativeThreshold = 1e-4;

    /// <summary>The state before the first evaluation.</summary>
    public static PlateauScheduler Start(double learningRate) => new(learningRate, double.PositiveInfinity, 0, 0);

    /// <summary>The state after an evaluation with metric <paramref name="value"/> (lower is better), and whether to stop.</summary>
    public (PlateauScheduler Next, bool Stop) Observe(double value, TrainingConfig config)
    {
        if (value < Best * (1 - RelativeThreshold))
        {
            return (this with { Best = value, SinceImprovement = 0, SinceDrop = 0 }, false);
        }

        int since = SinceImprovement + 1;
        int sinceDrop = SinceDrop + 1;
        double rate = LearningRate;
        bool atFloor = rate <= config.MinLearningRate;
        if (sinceDrop >= config.PlateauPatience && !atFloor)
        {
            rate = Math.Max(rate * config.PlateauFactor, config.MinLearningRate);
            sinceDrop = 0;
        }

        bool stop = since >= config.EarlyStopPatience || (atFloor && sinceDrop >= config.PlateauPatience);
        return (this with { LearningRate = rate, SinceImprovement = since, SinceDrop = sinceDrop }, stop);
    }
}
