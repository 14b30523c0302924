using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;

namespace E2EDeploy.Shared.Scenarios;

/// <summary>
/// One UE drawn from the position prior of docs/conventions.md point 10: its position p in P, m, and the a-priori region
/// U_i = theta_i(p) + nu_i +/- <see cref="PositionPrior.RegionHalfWidthDeg"/> that BS i is given, one per BS.
/// The CPU counterpart of the trainer's batch sampler, for evaluating a model over the area it was trained for.
/// </summary>
/// <param name="Position">The UE's position, m.</param>
/// <param name="Regions">U_i per BS, rad.</param>
public sealed record PositionPriorDraw(PlanePoint Position, IReadOnlyList<AngularRegion> Regions)
{
    /// <summary>
    /// Draws <paramref name="count"/> UEs: p ~ U(P), nu_i ~ U[-CenterOffsetMaxDeg, CenterOffsetMaxDeg] per BS, from
    /// <c>System.Random(seed)</c>. A draw whose region reaches |theta| >= 90 deg is drawn again, as a deployed precoder
    /// takes only regions in front of its array; <c>Redrawn</c> counts those.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">The prior puts almost no UE with every region in front of the arrays.</exception>
    /// <exception cref="ScenarioException">The scenario is invalid.</exception>
    public static (PositionPriorDraw[] Draws, int Redrawn) Draw(Scenario scenario, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} UEs: expected at least 1.");
        }

        PositionPrior prior = scenario.PositionPrior;
        double halfWidth = Units.DegreesToRadians(prior.RegionHalfWidthDeg);
        double offsetMax = Units.DegreesToRadians(prior.CenterOffsetMaxDeg);
        var random = new Random(seed);
        var draws = new PositionPriorDraw[count];
        int redrawn = 0;
        for (int m = 0; m < count;)
        {
            var p = new PlanePoint(prior.MinX + (random.NextDouble() * prior.WidthM), prior.MinY + (random.NextDouble() * prior.HeightM));
            var regions = new AngularRegion[scenario.BaseStationCount];
            bool inFront = true;
            for (int i = 0; i < regions.Length; i++)
            {
                double centre = scenario.BaseStations[i].AodOf(p) + (offsetMax * ((2 * random.NextDouble()) - 1));
                if (Math.Abs(centre) + halfWidth < Math.PI / 2)
                {
                    regions[i] = AngularRegion.Around(centre, halfWidth);
                }
                else
                {
                    inFront = false;
                }
            }

            if (inFront)
            {
                draws[m++] = new PositionPriorDraw(p, regions);
            }
            else if (++redrawn > 100 * count)
            {
                throw new ArgumentException(
                    $"the position prior (P centred on ({prior.Center.X}, {prior.Center.Y}) m, U_i +/- {prior.RegionHalfWidthDeg} deg, nu_i up to {prior.CenterOffsetMaxDeg} deg) put {redrawn} of {redrawn + m} draws' regions past 90 deg: expected a prior in front of the arrays.",
                    nameof(scenario));
            }
        }

        return (draws, redrawn);
    }
}
