using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using E2EDeploy.Training.Training;

namespace E2EDeploy.Pipeline.Recipe;

/// <summary>
/// What a scenario must allow before the pipeline starts any work, beyond <see cref="Scenario.Validate"/>: position needs two
/// bearings (I >= 2), the AoD test region must be one the AoD prior trains for, and the position test point must give every
/// BS a region in front of its array. Each refusal names the value and what was expected.
/// </summary>
public static class ScenarioRequirements
{
    /// <summary>Throws a <see cref="ScenarioException"/> naming the first value that keeps the pipeline from serving <paramref name="tasks"/>.</summary>
    public static void Check(Scenario scenario, IReadOnlyList<TrainingTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(tasks);
        scenario.Validate();
        if (tasks.Contains(TrainingTask.Position))
        {
            if (scenario.BaseStationCount < 2)
            {
                throw new ScenarioException("baseStations", $"has {scenario.BaseStationCount} BS: the position task needs I >= 2 BSs (two bearings fix a point); train --task aod, or add a BS");
            }

            PlanePoint p = scenario.PositionTestPoint;
            try
            {
                scenario.PositionRegions(p);
            }
            catch (ArgumentException e)
            {
                throw new ScenarioException(scenario.TestPoints?.Position is null ? "positionPrior.center" : "testPoints.position", $"(the position test point) {e.Message.Split(" (Parameter")[0]}", e);
            }
        }

        if (tasks.Contains(TrainingTask.Aod))
        {
            AodPrior prior = scenario.AodPrior;
            AngularRegion region = scenario.AodTestRegion;
            double min = Units.RadiansToDegrees(region.MinRad), max = Units.RadiansToDegrees(region.MaxRad);
            double low = prior.MeanMinDeg - (prior.WidthMaxDeg / 2), high = prior.MeanMaxDeg + (prior.WidthMaxDeg / 2);
            if (min < low - 1e-9 || max > high + 1e-9)
            {
                throw new ScenarioException(scenario.TestPoints?.AodRegionDeg is null ? "testPoints.aodRegionDeg (default [40, 60])" : "testPoints.aodRegionDeg",
                    $"= [{min:0.##}, {max:0.##}] deg lies outside the regions that the AoD prior trains for, [{low:0.##}, {high:0.##}] deg (aodPrior.meanMinDeg - widthMaxDeg / 2 to meanMaxDeg + widthMaxDeg / 2): expected a test region inside it");
            }
        }
    }
}
