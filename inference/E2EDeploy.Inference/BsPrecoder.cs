using System.Numerics;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Inference;

/// <summary>
/// The learned precoder at a BS: the uncertainty region U = [theta_min, theta_max] (rad) in, the precoder F in
/// C^{Ntx x T} with unit Frobenius norm out (section III-A1), through ONNX Runtime.
/// Thread-safe: one instance may be shared by any number of threads (each thread gets its own buffers, kept per batch
/// size until disposal); a call in steady state allocates nothing. Owns its ONNX Runtime session: dispose it when done.
/// </summary>
public sealed class BsPrecoder : DeployedModelHandle
{
    private BsPrecoder(DeployedModel model)
        : base(model)
    {
    }

    /// <summary>Ntx, rows of F.</summary>
    public int AntennaCount => Model.Manifest.AntennaCount;

    /// <summary>T, columns of F.</summary>
    public int TransmissionCount => Model.Manifest.TransmissionCount;

    /// <summary>
    /// Loads the precoder model, checking it against its manifest (sha256, kind), the contract (names, shapes) and
    /// <see cref="InferenceOptions.Scenario"/>; throws <see cref="ModelContractException"/> naming the model, its version
    /// and the expected and actual values.
    /// </summary>
    public static BsPrecoder Load(ModelReference model, InferenceOptions? options = null) =>
        new(DeployedModel.Load(model, ModelKind.Precoder, options));

    /// <summary>Writes F for <paramref name="region"/> into <paramref name="precoder"/> [Ntx * T], row-major (element (n, t) at n T + t).</summary>
    public void Compute(AngularRegion region, Span<Complex> precoder)
    {
        CheckRegion(region, nameof(region));
        int size = AntennaCount * TransmissionCount;
        if (precoder.Length != size)
        {
            throw new ArgumentException($"precoder has length {precoder.Length}: expected Ntx * T = {size}.", nameof(precoder));
        }

        DeployedModel.Slot slot = Model.Rent(1);
        ContractLayout.WriteRegion(region, slot.Input);
        Model.Run(slot);
        ContractLayout.ReadComplex(slot.Output, precoder);
    }

    /// <summary>F for <paramref name="region"/> as a new <see cref="Precoder"/> (allocates; use the span overload in loops).</summary>
    public Precoder Compute(AngularRegion region)
    {
        var values = new Complex[AntennaCount * TransmissionCount];
        Compute(region, values);
        return new Precoder(AntennaCount, TransmissionCount, values);
    }

    /// <summary>Writes F for each region into <paramref name="precoders"/> [B, Ntx, T] row-major.</summary>
    public void Compute(ReadOnlySpan<AngularRegion> regions, Span<Complex> precoders)
    {
        int size = AntennaCount * TransmissionCount;
        if (regions.Length == 0)
        {
            throw new ArgumentException("regions is empty: expected at least one region.", nameof(regions));
        }

        if (precoders.Length != regions.Length * size)
        {
            throw new ArgumentException($"precoders has length {precoders.Length}: expected B * Ntx * T = {regions.Length * size} for B = {regions.Length}.", nameof(precoders));
        }

        for (int b = 0; b < regions.Length; b++)
        {
            CheckRegion(regions[b], nameof(regions), b);
        }

        DeployedModel.Slot slot = Model.Rent(regions.Length);
        for (int b = 0; b < regions.Length; b++)
        {
            ContractLayout.WriteRegion(regions[b], slot.Input.AsSpan(b * 3, 3));
        }

        Model.Run(slot);
        for (int b = 0; b < regions.Length; b++)
        {
            ContractLayout.ReadComplex(slot.Output.AsSpan(b * 2 * size, 2 * size), precoders.Slice(b * size, size));
        }
    }

    internal static void CheckRegion(AngularRegion region, string name, int index = -1)
    {
        if (!(region.MinRad < region.MaxRad) || !(Math.Abs(region.MinRad) < Math.PI / 2) || !(Math.Abs(region.MaxRad) < Math.PI / 2))
        {
            string which = index < 0 ? name : $"{name}[{index}]";
            throw new ArgumentException($"{which} = [{region.MinRad}, {region.MaxRad}] rad: expected -pi/2 < theta_min < theta_max < pi/2.", name);
        }
    }
}
