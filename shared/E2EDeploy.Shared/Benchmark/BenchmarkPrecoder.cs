using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;

namespace E2EDeploy.Shared.Benchmark;

/// <summary>The benchmark precoder of one BS and how it was obtained.</summary>
/// <param name="Precoder">F_b = F_heur diag(sqrt rho), unit Frobenius norm, [N_Tx, T].</param>
/// <param name="Codebook">F_heur of eqs. (8)-(10), unit-norm columns.</param>
/// <param name="Allocation">The CRB-optimal power allocation and its certificate.</param>
/// <param name="Region">U, rad.</param>
public sealed record BenchmarkPrecoderDesign(Precoder Precoder, Precoder Codebook, PowerAllocationResult Allocation, AngularRegion Region);

/// <summary>
/// The model-based transmit benchmark of section III-C1: the directional-plus-derivative codebook with
/// CRB-optimal power allocation, designed with the nominal array (the benchmark is unaware of impairments).
/// </summary>
public static class BenchmarkPrecoder
{
    /// <summary>Designs F_b for region <paramref name="region"/>.</summary>
    /// <param name="region">U, rad.</param>
    /// <param name="antennaCount">N_Tx &gt;= 2.</param>
    /// <param name="transmissionCount">T, even.</param>
    /// <param name="gridPoints">Grid angles for the worst-case CRB (docs/conventions.md point 4: at least 64).</param>
    public static BenchmarkPrecoderDesign Design(AngularRegion region, int antennaCount, int transmissionCount, int gridPoints = PowerAllocation.DefaultGridPoints)
    {
        ArrayResponse nominal = ArrayResponse.Nominal(antennaCount);
        Precoder codebook = BenchmarkCodebook.Build(region, nominal, transmissionCount);
        PowerAllocationResult allocation = PowerAllocation.Solve(codebook, nominal, region, gridPoints);
        double[] scales = allocation.Powers.Select(Math.Sqrt).ToArray();
        Precoder precoder = codebook.ScaleColumns(scales).Normalized();
        return new BenchmarkPrecoderDesign(precoder, codebook, allocation, region);
    }
}
