using System.Numerics;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;
using E2EDeploy.Shared.Refinement;

namespace E2EDeploy.Inference;

/// <summary>
/// The Fisher-scoring steps that the runtime runs after a <see cref="ManifestEstimator.RuntimeFisherScoringKind"/>
/// estimator's graph (<see cref="FisherScoringRefinement"/>): the version's BS precoders (ONNX Runtime, batch 1) give F_i
/// for the call's region(s), the manifest's array models give G_i = B_i^T F_i, and both are kept per thread for the last
/// regions seen, so that a UE simulator that estimates one observation at a time with the same regions pays for them once.
/// Thread-safe; a call in steady state allocates nothing. Owns the precoders.
/// </summary>
internal sealed class RuntimeScoring : IDisposable
{
    private readonly BsPrecoder[] precoders;
    private readonly ScoringArray[] arrays;
    private readonly ThreadLocal<Workspace> workspaces;

    private RuntimeScoring(BsPrecoder[] precoders, ScoringArray[] arrays, int steps, int antennaCount, int transmissionCount)
    {
        this.precoders = precoders;
        this.arrays = arrays;
        Steps = steps;
        workspaces = new ThreadLocal<Workspace>(() => new Workspace(arrays.Length, antennaCount, transmissionCount));
    }

    /// <summary>Scoring steps per estimate.</summary>
    public int Steps { get; }

    /// <summary>
    /// The scoring stage of the estimator in <paramref name="model"/> (a version folder <paramref name="folder"/>), or null
    /// when its graph is the whole estimator. Loads the version's precoder of every BS with <paramref name="options"/>.
    /// </summary>
    public static RuntimeScoring? For(DeployedModel model, string folder, InferenceOptions? options)
    {
        ModelManifest manifest = model.Manifest;
        if (!manifest.Estimator.RuntimeScoring)
        {
            return null;
        }

        ScoringArray[] arrays;
        try
        {
            arrays = [.. manifest.Estimator.ScoringArrays(manifest.BaseStationCount, manifest.AntennaCount, model.Name)];
        }
        catch (InvalidDataException e)
        {
            throw new ModelContractException(model.Name, e.Message, e);
        }

        var precoders = new List<BsPrecoder>();
        try
        {
            for (int bs = 1; bs <= manifest.BaseStationCount; bs++)
            {
                precoders.Add(BsPrecoder.Load(ModelReference.Version(folder, bs), options));
            }
        }
        catch
        {
            precoders.ForEach(p => p.Dispose());
            throw;
        }

        return new RuntimeScoring([.. precoders], arrays, manifest.Estimator.RefinementSteps, manifest.AntennaCount, manifest.TransmissionCount);
    }

    /// <summary>
    /// Loads the estimator of <paramref name="kind"/> that <paramref name="reference"/> points to and, when its runtime runs
    /// scoring steps, their stage; the caller owns both (nothing stays open when loading fails).
    /// </summary>
    public static (DeployedModel Model, RuntimeScoring? Scoring) LoadEstimator(ModelReference reference, ModelKind kind, InferenceOptions? options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        DeployedModel deployed = DeployedModel.Load(reference, kind, options);
        try
        {
            return (deployed, For(deployed, reference.Folder, options));
        }
        catch
        {
            deployed.Dispose();
            throw;
        }
    }

    /// <summary>The calling thread's scoring channel of every BS for the same region <paramref name="region"/> (the AoD estimator's U, given to every BS's precoder).</summary>
    public ReadOnlySpan<ScoringChannel> ChannelsFor(AngularRegion region)
    {
        Workspace workspace = workspaces.Value!;
        for (int i = 0; i < precoders.Length; i++)
        {
            workspace.Update(i, region, precoders[i], arrays[i]);
        }

        return workspace.Channels;
    }

    /// <summary>The calling thread's scoring channel of every BS i for its region <paramref name="regions"/>[i].</summary>
    public ReadOnlySpan<ScoringChannel> ChannelsFor(ReadOnlySpan<AngularRegion> regions)
    {
        Workspace workspace = workspaces.Value!;
        for (int i = 0; i < precoders.Length; i++)
        {
            workspace.Update(i, regions[i], precoders[i], arrays[i]);
        }

        return workspace.Channels;
    }

    public void Dispose()
    {
        workspaces.Dispose();
        foreach (BsPrecoder precoder in precoders)
        {
            precoder.Dispose();
        }
    }

    /// <summary>One thread's channels and the region each was computed for.</summary>
    private sealed class Workspace(int baseStationCount, int antennaCount, int transmissionCount)
    {
        private readonly AngularRegion?[] regions = new AngularRegion?[baseStationCount];
        private readonly Complex[] precoder = new Complex[antennaCount * transmissionCount];
        private readonly ScoringChannel[] channels = Enumerable.Range(0, baseStationCount).Select(_ => new ScoringChannel(antennaCount, transmissionCount)).ToArray();

        public ReadOnlySpan<ScoringChannel> Channels => channels;

        public void Update(int bs, AngularRegion region, BsPrecoder bsPrecoder, ScoringArray array)
        {
            if (regions[bs] == region)
            {
                return;
            }

            regions[bs] = null;
            bsPrecoder.Compute(region, precoder);
            channels[bs].Load(array, precoder);
            regions[bs] = region;
        }
    }
}
