using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;

namespace E2EDeploy.Examples;

/// <summary>
/// The README's C# example, as code that tests/E2EDeploy.Docs.Tests compiles and runs against the released models: the lines
/// between the readme markers must appear in README.md as they are here.
/// </summary>
public static class EmbedInASimulator
{
    /// <summary>One AoD estimate (rad) and one position estimate (m) from the released models in <paramref name="models"/>.</summary>
    public static (double ThetaRad, PlanePoint Position) Run(string models)
    {
        // <readme>
        var options = new InferenceOptions { Scenario = Scenario.Paper };  // optional: the model's Ntx, T and I are checked against it
        var random = new Random(1);

        // AoD: BS 1's learned precoder for the region U, one observation y [T] at 20 dB, the UE's estimate.
        AngularRegion u = AngularRegion.FromDegrees(40, 60);
        using BsPrecoder bs = BsPrecoder.Load(ModelReference.Registry(models, "aod-none/v13", baseStation: 1), options);
        using UeAodEstimator aod = UeAodEstimator.Load(ModelReference.Registry(models, "aod-none/v13"), options);
        Precoder f = bs.Compute(u);                                         // F [Ntx, T]
        var channel = new ChannelSimulator(ArrayResponse.Nominal(bs.AntennaCount));
        var y = new Complex[bs.TransmissionCount];
        channel.Simulate([Units.DegreesToRadians(50)], f, snrDb: 20, random, y);
        double theta = aod.Estimate(y, u);                                  // rad; this model takes U (aod.TakesRegion)

        // Position: each BS precodes for its region U_i; the UE stacks y_1, y_2 [I T] and estimates p in m.
        var truth = new PlanePoint(0.5, 5);
        AngularRegion[] regions = Scenario.Paper.PositionRegions(truth);   // U_i = theta_i(p) +/- 15 deg
        using UePositionEstimator position = UePositionEstimator.Load(ModelReference.Registry(models, "position-none/v5"), options);
        var yAll = new Complex[position.BaseStationCount * position.TransmissionCount];
        for (int i = 0; i < position.BaseStationCount; i++)
        {
            using BsPrecoder precoder = BsPrecoder.Load(ModelReference.Registry(models, "position-none/v5", baseStation: i + 1), options);
            double aodRad = Scenario.Paper.BaseStations[i].AodOf(truth);
            channel.Simulate([aodRad], precoder.Compute(regions[i]), snrDb: 20, random, yAll.AsSpan(i * position.TransmissionCount, position.TransmissionCount));
        }

        PlanePoint p = position.Estimate(yAll, regions);
        // </readme>
        return (theta, p);
    }
}
