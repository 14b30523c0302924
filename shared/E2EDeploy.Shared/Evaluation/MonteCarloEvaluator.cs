using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Evaluation;

/// <summary>Monte-Carlo settings.</summary>
/// <param name="Trials">Trials per SNR point, &gt;= 1.</param>
/// <param name="Seed">Seed of the channel realisations (AoDs, gain phases, noise).</param>
/// <param name="ChunkSize">Trials per work item; every chunk has its own seed, so results do not depend on the thread count.</param>
/// <param name="MaxDegreeOfParallelism">Threads to use; -1 for all cores.</param>
public sealed record MonteCarloSettings(int Trials, int Seed, int ChunkSize = 500, int MaxDegreeOfParallelism = -1)
{
    internal void Validate()
    {
        Guard.AtLeast(Trials, 1, "trials");
        Guard.AtLeast(ChunkSize, 1, "chunk size");
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, $"MaxDegreeOfParallelism = {MaxDegreeOfParallelism}: expected -1 (all cores) or >= 1.");
        }
    }
}

/// <summary>One point of an RMSE-versus-bound curve. Units: rad for the AoD, m for the position.</summary>
/// <param name="SnrDb">SNR, dB.</param>
/// <param name="Rmse">Root mean squared error of the estimator.</param>
/// <param name="Bound">sqrt(mean CRB) for the AoD, PEB for the position.</param>
/// <param name="Trials">Number of trials.</param>
public sealed record EvaluationPoint(double SnrDb, double Rmse, double Bound, int Trials)
{
    /// <summary>RMSE / bound.</summary>
    public double Ratio => Rmse / Bound;

    /// <summary>
    /// The standard error of the RMSE, sqrt(var(e^2) / trials) / (2 RMSE) (the delta method on the MSE), from the spread of
    /// the squared errors of the draws; 0 where it was not measured.
    /// </summary>
    public double RmseStandardError { get; init; }

    /// <summary>
    /// Pools points of equally many trials each, one per UE drawn from a prior: RMS of the RMSEs and of the bounds. The
    /// standard error of the pooled RMSE is that of a mean of the UEs' MSEs, from their spread across UEs (which holds the
    /// UEs' own noise as well as the prior's spread of positions), or from the one UE's own error.
    /// </summary>
    public static EvaluationPoint Pool(IReadOnlyList<EvaluationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Guard.AtLeast(points.Count, 1, "point count");
        if (points.Count == 1)
        {
            return points[0];
        }

        double mse = points.Average(p => p.Rmse * p.Rmse);
        double rmse = Math.Sqrt(mse);

        double spread = points.Sum(p => Math.Pow((p.Rmse * p.Rmse) - mse, 2)) / (points.Count - 1);
        double mseError = Math.Sqrt(spread / points.Count);
        return new EvaluationPoint(points[0].SnrDb, rmse, Math.Sqrt(points.Average(p => p.Bound * p.Bound)), points.Sum(p => p.Trials))
        {
            RmseStandardError = rmse > 0 ? mseError / (2 * rmse) : 0,
        };
    }
}

/// <summary>An AoD experiment: BS with precoder F and true array a~, and theta uniform in U (docs/conventions.md point 11).</summary>
/// <param name="Precoder">F used at the BS, [N_Tx, T].</param>
/// <param name="Region">U, rad; theta ~ U(U).</param>
/// <param name="TrueArray">The true array a~ used to generate y and the CRB.</param>
public sealed record AodExperiment(Precoder Precoder, AngularRegion Region, ArrayResponse TrueArray);

/// <summary>A position experiment: a UE at a fixed position, seen by I BSs each with its precoder and true array.</summary>
/// <param name="BaseStations">The BSs, [I].</param>
/// <param name="Precoders">F_i, [I].</param>
/// <param name="TrueArrays">a~_i, [I].</param>
/// <param name="Position">p, m.</param>
public sealed record PositionExperiment(IReadOnlyList<BaseStation> BaseStations, IReadOnlyList<Precoder> Precoders, IReadOnlyList<ArrayResponse> TrueArrays, PlanePoint Position);

/// <summary>
/// Monte-Carlo evaluation of any <see cref="IAodEstimator"/> or <see cref="IPositionEstimator"/> against its bound,
/// with the channel simulator of eq. (2). Trials are split into chunks with seeds derived from the settings seed,
/// run in parallel and reduced in chunk order, so a result depends only on the inputs. Two estimators evaluated
/// with the same seed see the same AoDs, gains and noise.
/// </summary>
public static class MonteCarloEvaluator
{
    /// <summary>
    /// AoD RMSE over theta ~ U(region) next to sqrt(mean CRB) over the same angles, in rad.
    /// </summary>
    /// <param name="experiment">BS, precoder and region.</param>
    /// <param name="estimator">The estimator under test (called concurrently from several threads).</param>
    /// <param name="snrDb">SNR, dB.</param>
    /// <param name="settings">Trials, seed, parallelism.</param>
    /// <param name="progress">Receives the number of trials completed since the last report.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    public static EvaluationPoint EvaluateAod(AodExperiment experiment, IAodEstimator estimator, double snrDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Guard.Finite(snrDb);
        if (estimator.TransmissionCount != experiment.Precoder.TransmissionCount)
        {
            throw new ArgumentException($"the estimator takes T = {estimator.TransmissionCount}: expected T = {experiment.Precoder.TransmissionCount} of the precoder.", nameof(estimator));
        }

        var simulator = new ChannelSimulator(experiment.TrueArray);
        double noiseVarianceScale = 1.0 / Units.DecibelsToLinear(snrDb);
        (double SquaredError, double FourthPower, double Crb)[] chunks = RunChunks<(double SquaredError, double FourthPower, double Crb)>(settings, cancellationToken, progress, (random, count) =>
        {
            int t = experiment.Precoder.TransmissionCount;
            var thetas = new double[count];
            var observations = new Complex[count * t];
            var estimates = new double[count];
            for (int b = 0; b < count; b++)
            {
                thetas[b] = experiment.Region.MinRad + (experiment.Region.WidthRad * random.NextDouble());
            }

            simulator.Simulate(thetas, experiment.Precoder, snrDb, random, observations);
            estimator.Estimate(observations, estimates);
            double squaredError = 0, fourthPower = 0, crb = 0;
            for (int b = 0; b < count; b++)
            {
                double error = estimates[b] - thetas[b];
                squaredError += error * error;
                fourthPower += error * error * error * error;
                crb += noiseVarianceScale / AodCramerRaoBound.FisherInformationPerUnitSnr(experiment.Precoder, experiment.TrueArray, thetas[b]);
            }

            return (squaredError, fourthPower, crb);
        });

        double totalError = 0, totalFourth = 0, totalCrb = 0;
        foreach ((double squaredError, double fourthPower, double crb) in chunks)
        {
            totalError += squaredError;
            totalFourth += fourthPower;
            totalCrb += crb;
        }

        return new EvaluationPoint(snrDb, Math.Sqrt(totalError / settings.Trials), Math.Sqrt(totalCrb / settings.Trials), settings.Trials)
        {
            RmseStandardError = RmseStandardError(totalError, totalFourth, settings.Trials),
        };
    }

    /// <summary>Position RMSE at the experiment's fixed position next to its PEB, in m.</summary>
    /// <param name="experiment">BSs, precoders, arrays and the UE position.</param>
    /// <param name="estimator">The estimator under test (called concurrently from several threads).</param>
    /// <param name="snrDb">SNR of every BS, dB.</param>
    /// <param name="settings">Trials, seed, parallelism.</param>
    /// <param name="progress">Receives the number of trials completed since the last report.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    public static EvaluationPoint EvaluatePosition(PositionExperiment experiment, IPositionEstimator estimator, double snrDb, MonteCarloSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Guard.Finite(snrDb);
        int bsCount = experiment.BaseStations.Count;
        if (experiment.Precoders.Count != bsCount || experiment.TrueArrays.Count != bsCount)
        {
            throw new ArgumentException($"{bsCount} BSs, {experiment.Precoders.Count} precoders, {experiment.TrueArrays.Count} arrays: expected one of each per BS.", nameof(experiment));
        }

        if (estimator.BaseStationCount != bsCount || estimator.TransmissionCount != experiment.Precoders[0].TransmissionCount)
        {
            throw new ArgumentException($"the estimator takes I = {estimator.BaseStationCount}, T = {estimator.TransmissionCount}: expected I = {bsCount}, T = {experiment.Precoders[0].TransmissionCount}.", nameof(estimator));
        }

        double bound = PositionErrorBound.Compute(experiment.BaseStations, experiment.Precoders, experiment.TrueArrays, experiment.Position, snrDb);
        var simulators = experiment.TrueArrays.Select(array => new ChannelSimulator(array)).ToArray();
        var thetas = experiment.BaseStations.Select(bs => bs.AodOf(experiment.Position)).ToArray();
        (double SquaredError, double FourthPower)[] chunks = RunChunks(settings, cancellationToken, progress, (random, count) =>
        {
            int t = estimator.TransmissionCount;
            var perBs = new Complex[t];
            var theta = new double[1];
            var observations = new Complex[count * bsCount * t];
            var estimates = new double[count * 2];
            for (int b = 0; b < count; b++)
            {
                for (int i = 0; i < bsCount; i++)
                {
                    theta[0] = thetas[i];
                    simulators[i].Simulate(theta, experiment.Precoders[i], snrDb, random, perBs);
                    perBs.CopyTo(observations.AsSpan(((b * bsCount) + i) * t, t));
                }
            }

            estimator.Estimate(observations, estimates);
            double squaredError = 0, fourthPower = 0;
            for (int b = 0; b < count; b++)
            {
                double ex = estimates[2 * b] - experiment.Position.X;
                double ey = estimates[(2 * b) + 1] - experiment.Position.Y;
                double squared = (ex * ex) + (ey * ey);
                squaredError += squared;
                fourthPower += squared * squared;
            }

            return (squaredError, fourthPower);
        });

        double total = chunks.Sum(c => c.SquaredError);
        return new EvaluationPoint(snrDb, Math.Sqrt(total / settings.Trials), bound, settings.Trials)
        {
            RmseStandardError = RmseStandardError(total, chunks.Sum(c => c.FourthPower), settings.Trials),
        };
    }

    /// <summary>sqrt(var(e^2) / n) / (2 RMSE) from the sums of e^2 and e^4 over n draws.</summary>
    private static double RmseStandardError(double squaredSum, double fourthSum, int trials)
    {
        double mse = squaredSum / trials;
        if (!(mse > 0) || trials < 2)
        {
            return 0;
        }

        double variance = Math.Max(0, ((fourthSum / trials) - (mse * mse)) * trials / (trials - 1));
        return Math.Sqrt(variance / trials) / (2 * Math.Sqrt(mse));
    }

    /// <summary>Runs <paramref name="runChunk"/> on every chunk in parallel, each with its own seeded random source; results in chunk order.</summary>
    private static T[] RunChunks<T>(MonteCarloSettings settings, CancellationToken cancellationToken, IProgress<int>? progress, Func<Random, int, T> runChunk)
    {
        int chunkCount = (settings.Trials + settings.ChunkSize - 1) / settings.ChunkSize;
        var results = new T[chunkCount];
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, chunkCount, options, chunk =>
        {
            int count = Math.Min(settings.ChunkSize, settings.Trials - (chunk * settings.ChunkSize));
            Random random = RandomSources.Create(settings.Seed, chunk);
            results[chunk] = runChunk(random, count);
            progress?.Report(count);
        });

        return results;
    }
}
