namespace E2EDeploy.Cli.Commands;

/// <summary>What a model's line holds: y (flat for one BS, nested for several), the region's angles, the regions per BS.</summary>
/// <param name="BaseStationCount">I, the rows of a nested y and the entries of "regions".</param>
/// <param name="TransmissionCount">T, the numbers per row of y.</param>
/// <param name="Observation">The line has "y".</param>
/// <param name="Nested">y's parts are I rows (position) rather than one flat row (AoD).</param>
/// <param name="Angles">The line has "theta_min" and "theta_max" (precoder; AoD estimator that takes the region).</param>
/// <param name="Regions">The line has "regions" (position estimator that takes the regions).</param>
internal readonly record struct LineLayout(int BaseStationCount, int TransmissionCount, bool Observation, bool Nested, bool Angles, bool Regions);
