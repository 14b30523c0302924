using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Bounds;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Shared.Evaluation;

/// <summary>
/// The Bayes-optimal (MMSE) position estimator for given precoders and TRUE arrays (docs/conventions.md point 12): the posterior
/// mean E[p | y_1..y_I] for p uniform on the support S (<see cref="PositionPriorSupport"/>: the area P inside every region U_i)
/// and independent gains of known magnitude and uniform phase, so that log p(p | y) = sum_i l_i(theta_i(p)) + const with the
/// l_i of <see cref="AngularLikelihood"/> (interpolated on each BS's grid). The integral over S is adaptive: a 96 x 96 grid of
/// cells over S's bounding box, then every cell whose centre's log-posterior is within 25 + (the drop of the local quadratic
/// over half a cell diagonal) of the best is split in four, until the cells are no larger than 1.5 x the smallest posterior
/// standard deviation 1 / sqrt(lambda_max(J_p)) (known-magnitude J_p at the best point; the midpoint rule's relative error
/// on a Gaussian is then below 3e-4) or 14 levels deep; the mean is the
/// sum over the leaf cells of area x e^log-posterior x centre. A reference, not deployable: it knows the true arrays and the
/// SNR. No estimator has a smaller RMSE over the prior. Thread-safe.
/// </summary>
public sealed class PosteriorMeanPositionEstimator : IPositionEstimator
{
    private const int CoarseCells = 96;
    private const int MaxLevels = 14;
    private const double Margin = 25;

    private readonly IReadOnlyList<BaseStation> baseStations;
    private readonly IReadOnlyList<Precoder> precoders;
    private readonly IReadOnlyList<ArrayResponse> trueArrays;
    private readonly AngularLikelihood[] likelihoods;
    private readonly ConvexPolygon support;
    private readonly (double MinX, double MaxX, double MinY, double MaxY) box;
    private readonly double snrDb;
    private readonly Cell[] coarseCells;
    private readonly double[] coarsePositions;

    /// <summary>Creates the estimator.</summary>
    /// <param name="baseStations">The BSs, [I].</param>
    /// <param name="precoders">F_i, [I].</param>
    /// <param name="trueArrays">a~_i, [I].</param>
    /// <param name="regions">U_i, rad, [I].</param>
    /// <param name="area">The area P.</param>
    /// <param name="snrDb">SNR of every BS, dB.</param>
    public PosteriorMeanPositionEstimator(IReadOnlyList<BaseStation> baseStations, IReadOnlyList<Precoder> precoders, IReadOnlyList<ArrayResponse> trueArrays, IReadOnlyList<AngularRegion> regions, PositionPrior area, double snrDb)
    {
        ArgumentNullException.ThrowIfNull(baseStations);
        ArgumentNullException.ThrowIfNull(precoders);
        ArgumentNullException.ThrowIfNull(trueArrays);
        ArgumentNullException.ThrowIfNull(regions);
        if (baseStations.Count < 1 || precoders.Count != baseStations.Count || trueArrays.Count != baseStations.Count || regions.Count != baseStations.Count)
        {
            throw new ArgumentException($"{baseStations.Count} BSs, {precoders.Count} precoders, {trueArrays.Count} arrays and {regions.Count} regions: expected one of each per BS.", nameof(precoders));
        }

        this.baseStations = baseStations;
        this.precoders = precoders;
        this.trueArrays = trueArrays;
        this.snrDb = snrDb;
        support = PositionPriorSupport.Of(baseStations, regions, area);
        likelihoods = regions.Select((region, i) => new AngularLikelihood(precoders[i], trueArrays[i], region, snrDb)).ToArray();
        box = (support.Vertices.Min(v => v.X), support.Vertices.Max(v => v.X), support.Vertices.Min(v => v.Y), support.Vertices.Max(v => v.Y));

        // The coarse cells inside S and where each BS's AoD of their centres falls on its grid, once.
        var cells = new List<Cell>();
        var positions = new List<double>();
        double width = (box.MaxX - box.MinX) / CoarseCells, height = (box.MaxY - box.MinY) / CoarseCells;
        for (int i = 0; i < CoarseCells; i++)
        {
            for (int j = 0; j < CoarseCells; j++)
            {
                var p = new PlanePoint(box.MinX + ((i + 0.5) * width), box.MinY + ((j + 0.5) * height));
                if (support.Contains(p))
                {
                    cells.Add(new Cell(p.X, p.Y, width, height, 0));
                    positions.AddRange(likelihoods.Select((l, b) => l.GridPosition(baseStations[b].AodOf(p))));
                }
            }
        }

        coarseCells = [.. cells];
        coarsePositions = [.. positions];
    }

    /// <inheritdoc />
    public int BaseStationCount => baseStations.Count;

    /// <inheritdoc />
    public int TransmissionCount => precoders[0].TransmissionCount;

    /// <summary>The support S.</summary>
    public ConvexPolygon Support => support;

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<Complex> observations, Span<double> positionsM)
    {
        int t = TransmissionCount, count = BaseStationCount;
        if (positionsM.Length % 2 != 0 || observations.Length != positionsM.Length / 2 * count * t)
        {
            throw new ArgumentException($"observations has length {observations.Length} and positionsM {positionsM.Length}: expected [B, I = {count}, T = {t}] and [B, 2].", nameof(observations));
        }

        double[][] logLikelihoods = likelihoods.Select(l => new double[l.Grid.Count]).ToArray();
        var cells = new List<Cell>();
        var next = new List<Cell>();
        for (int b = 0; b < positionsM.Length / 2; b++)
        {
            for (int i = 0; i < count; i++)
            {
                likelihoods[i].Evaluate(observations.Slice(((b * count) + i) * t, t), logLikelihoods[i]);
            }

            (positionsM[2 * b], positionsM[(2 * b) + 1]) = Mean(logLikelihoods, cells, next);
        }
    }

    private (double X, double Y) Mean(double[][] logLikelihoods, List<Cell> leaves, List<Cell> split)
    {
        leaves.Clear();
        int count = likelihoods.Length;
        for (int c = 0; c < coarseCells.Length; c++)
        {
            double sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += AngularLikelihood.InterpolateAt(logLikelihoods[i], coarsePositions[(c * count) + i]);
            }

            leaves.Add(coarseCells[c] with { LogPosterior = sum });
        }

        if (leaves.Count == 0)
        {
            PlanePoint centre = support.Centroid();
            return (centre.X, centre.Y);
        }

        for (int level = 0; level < MaxLevels; level++)
        {
            Cell best = leaves[0];
            foreach (Cell c in leaves)
            {
                best = c.LogPosterior > best.LogPosterior ? c : best;
            }

            double[,] j = KnownMagnitudeCramerRaoBound.PositionFisherInformation(baseStations, precoders, trueArrays, new PlanePoint(best.X, best.Y), snrDb);
            double trace = j[0, 0] + j[1, 1], determinant = (j[0, 0] * j[1, 1]) - (j[0, 1] * j[1, 0]);
            double largest = (0.5 * trace) + Math.Sqrt(Math.Max(0, (0.25 * trace * trace) - determinant));
            double deviation = 1 / Math.Sqrt(Math.Max(largest, 1e-300));
            split.Clear();
            int divided = 0;
            foreach (Cell c in leaves)
            {
                double halfDiagonal2 = 0.25 * ((c.Width * c.Width) + (c.Height * c.Height));
                bool fine = Math.Max(c.Width, c.Height) <= 1.5 * deviation;
                if (!fine && c.LogPosterior >= best.LogPosterior - Margin - (0.5 * largest * halfDiagonal2))
                {
                    double w = 0.5 * c.Width, h = 0.5 * c.Height;
                    AddCell(split, c.X - (0.5 * w), c.Y - (0.5 * h), w, h, logLikelihoods);
                    AddCell(split, c.X + (0.5 * w), c.Y - (0.5 * h), w, h, logLikelihoods);
                    AddCell(split, c.X - (0.5 * w), c.Y + (0.5 * h), w, h, logLikelihoods);
                    AddCell(split, c.X + (0.5 * w), c.Y + (0.5 * h), w, h, logLikelihoods);
                    divided++;
                }
                else
                {
                    split.Add(c);
                }
            }

            (leaves, split) = (split, leaves);
            if (divided == 0)
            {
                break;
            }
        }

        double peak = double.NegativeInfinity;
        foreach (Cell c in leaves)
        {
            peak = Math.Max(peak, c.LogPosterior);
        }

        double mass = 0, x = 0, y = 0;
        foreach (Cell c in leaves)
        {
            double weight = c.Width * c.Height * Math.Exp(c.LogPosterior - peak);
            mass += weight;
            x += weight * c.X;
            y += weight * c.Y;
        }

        return (x / mass, y / mass);
    }

    private void AddCell(List<Cell> cells, double x, double y, double width, double height, double[][] logLikelihoods)
    {
        var p = new PlanePoint(x, y);
        if (!support.Contains(p))
        {
            return;
        }

        double sum = 0;
        for (int i = 0; i < likelihoods.Length; i++)
        {
            sum += likelihoods[i].Interpolate(logLikelihoods[i], baseStations[i].AodOf(p));
        }

        cells.Add(new Cell(x, y, width, height, sum));
    }

    private readonly record struct Cell(double X, double Y, double Width, double Height, double LogPosterior);
}
