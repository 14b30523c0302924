using E2EDeploy.Inference.Registry;
using E2EDeploy.Shared.Models;
using Microsoft.ML.OnnxRuntime;

namespace E2EDeploy.Inference;

/// <summary>
/// A deployed model loaded and checked: its manifest entry, its contract signature and its ONNX Runtime session,
/// plus, per calling thread and batch size, input and output buffers bound once to the session (OrtIoBinding), so
/// that a call in steady state allocates nothing. Owns the session and every buffer.
/// </summary>
internal sealed class DeployedModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly ThreadLocal<Dictionary<int, Slot>> slots;
    private bool disposed;

    private DeployedModel(string name, ModelManifest manifest, ManifestFile file, ModelSignature signature, InferenceSession session, string executionProvider)
    {
        Name = name;
        ExecutionProvider = executionProvider;
        Manifest = manifest;
        File = file;
        Signature = signature;
        this.session = session;
        slots = new ThreadLocal<Dictionary<int, Slot>>(() => [], trackAllValues: true);
    }

    /// <summary>family/version/file.</summary>
    public string Name { get; }

    public ModelManifest Manifest { get; }

    /// <summary>"CPU", "CUDA", or "CPU (CUDA unavailable: reason)" after a fallback.</summary>
    public string ExecutionProvider { get; }

    public ManifestFile File { get; }

    public ModelSignature Signature { get; }

    /// <summary>Loads the model of <paramref name="expectedKind"/> that <paramref name="reference"/> points to, checking it against its manifest, the contract and the caller's scenario.</summary>
    public static DeployedModel Load(ModelReference reference, ModelKind expectedKind, InferenceOptions? options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        options ??= InferenceOptions.Default;
        if (options.ThreadsPerSession < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ThreadsPerSession, $"ThreadsPerSession = {options.ThreadsPerSession}: expected >= 1.");
        }

        string where = reference.FileName is null ? reference.Folder : Path.Combine(reference.Folder, reference.FileName);
        string manifestPath = Path.Combine(reference.Folder, "manifest.json");
        if (reference.RegistryRoot is string registry && Directory.Exists(reference.Folder) && !E2EDeploy.Shared.IO.ConfinedPath.IsWithin(reference.Folder, registry))
        {
            throw new ModelContractException(where, $"the version folder resolves to '{E2EDeploy.Shared.IO.ConfinedPath.Resolve(reference.Folder)}': expected a folder inside the registry '{registry}'.");
        }

        if (!System.IO.File.Exists(manifestPath))
        {
            throw new ModelContractException(where, Directory.Exists(reference.Folder)
                ? $"no manifest.json in '{reference.Folder}': expected a model version folder of the registry."
                : $"'{reference.Folder}' does not exist.");
        }

        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ModelContractException(where, e.Message, e);
        }

        string version = $"{manifest.Family}/{manifest.Version}";
        string expectedName = ModelContract.KindName(expectedKind);
        ManifestFile? entry = reference.FileName is not null
            ? manifest.Files.FirstOrDefault(f => f.File == reference.FileName)
            : manifest.Files.FirstOrDefault(f => f.Kind == expectedName && (expectedKind != ModelKind.Precoder || f.BaseStation == reference.BaseStation));
        string available = string.Join(", ", manifest.Files.Select(f => $"{f.File} ({f.Kind})"));
        if (entry is null)
        {
            string wanted = reference.FileName ?? (expectedKind == ModelKind.Precoder ? $"the precoder of BS {reference.BaseStation}" : $"kind '{expectedName}'");
            throw new ModelContractException(version, $"the manifest has no entry for {wanted}: expected one among [{available}].");
        }

        string name = $"{version}/{entry.File}";
        if (entry.Kind != expectedName)
        {
            throw new ModelContractException(name, $"the manifest gives its kind as '{entry.Kind}': expected '{expectedName}'.");
        }

        string path = Path.Combine(reference.Folder, entry.File);
        string[] fileProblems = RegistryVerifier.CheckFile(name, reference.Folder, entry).ToArray();
        if (fileProblems.Length > 0)
        {
            throw new ModelContractException(name, string.Join(" ", fileProblems.Select(p => p[(name.Length + 2)..])));
        }

        if (options.Scenario is { } scenario
            && (scenario.AntennaCount != manifest.AntennaCount || scenario.TransmissionCount != manifest.TransmissionCount || scenario.BaseStationCount != manifest.BaseStationCount))
        {
            throw new ModelContractException(name,
                $"the model has Ntx = {manifest.AntennaCount}, T = {manifest.TransmissionCount}, I = {manifest.BaseStationCount}: expected Ntx = {scenario.AntennaCount}, T = {scenario.TransmissionCount}, I = {scenario.BaseStationCount} (the caller's scenario).");
        }

        (InferenceSession session, string executionProvider) = CreateSession(name, path, options);
        try
        {
            string[] problems = RegistryVerifier.CheckSession(name, manifest, entry, session).ToArray();
            if (problems.Length > 0)
            {
                throw new ModelContractException(name, string.Join(" ", problems.Select(p => p[(name.Length + 2)..])));
            }

            ModelSignature signature = manifest.SignatureOf(expectedKind);
            return new DeployedModel(name, manifest, entry, signature, session, executionProvider);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The calling thread's bound buffers for <paramref name="batch"/> rows (created on first use).</summary>
    public Slot Rent(int batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Dictionary<int, Slot> mine = slots.Value!;
        if (!mine.TryGetValue(batch, out Slot? slot))
        {
            slot = new Slot(session, Signature, batch);
            mine.Add(batch, slot);
        }

        return slot;
    }

    /// <summary>Runs the model on the slot's input buffer, writing its output buffer.</summary>
    public void Run(Slot slot) => session.RunWithBinding(slot.Options, slot.Binding);

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (Dictionary<int, Slot> perThread in slots.Values)
        {
            foreach (Slot slot in perThread.Values)
            {
                slot.Dispose();
            }
        }

        slots.Dispose();
        session.Dispose();
    }

    /// <summary>The session on the requested device, and the execution provider it got ("CPU", "CUDA", or the CPU after a fallback with its reason).</summary>
    private static (InferenceSession Session, string ExecutionProvider) CreateSession(string name, string path, InferenceOptions options)
    {
        if (!Enum.IsDefined(options.Device))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Device, $"Device = {options.Device}: expected Cpu, Cuda or CudaIfAvailable.");
        }

        string? cudaProblem = null;
        if (options.Device != InferenceDevice.Cpu)
        {
            SessionOptions cuda = NewSessionOptions(options);
            try
            {
                cuda.AppendExecutionProvider_CUDA(0);
                return (new InferenceSession(path, cuda), "CUDA");
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // The CPU package has no CUDA provider; the GPU package fails here without a GPU or the CUDA libraries.
                cudaProblem = e.Message.Split('\n')[0];
            }
            finally
            {
                cuda.Dispose();
            }

            if (options.Device == InferenceDevice.Cuda)
            {
                throw new InvalidOperationException(
                    $"{name}: the CUDA device was requested but ONNX Runtime's CUDA execution provider is not available here "
                    + "(build with -p:OrtGpu=true, which references Microsoft.ML.OnnxRuntime.Gpu, and install CUDA 13 (its CUDA provider links libcudart.so.13 and libcublas.so.13) and cuDNN for a GPU; "
                    + "or ask for CudaIfAvailable to fall back to the CPU): " + cudaProblem);
            }
        }

        using SessionOptions cpu = NewSessionOptions(options);
        return (Open(name, path, cpu), cudaProblem is null ? "CPU" : $"CPU (CUDA unavailable: {cudaProblem})");
    }

    /// <summary>The runtime's session settings for <paramref name="options"/> (the caller owns the result): one intra-op pool of
    /// ThreadsPerSession threads, sequential execution, ONNX Runtime's default (all) graph optimisations.</summary>
    internal static SessionOptions NewSessionOptions(InferenceOptions options) => new()
    {
        IntraOpNumThreads = options.ThreadsPerSession,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    private static InferenceSession Open(string name, string path, SessionOptions sessionOptions)
    {
        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelContractException(name, $"ONNX Runtime cannot load the file: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <summary>One thread's input and output buffers for one batch size, bound to the session.</summary>
    internal sealed class Slot : IDisposable
    {
        private readonly OrtValue inputValue;
        private readonly OrtValue outputValue;

        public Slot(InferenceSession session, ModelSignature signature, int batch)
        {
            Input = new float[batch * signature.Input.RowLength];
            Output = new float[batch * signature.Output.RowLength];
            inputValue = OrtValue.CreateTensorValueFromMemory(Input, [batch, .. signature.Input.Shape.Skip(1)]);
            outputValue = OrtValue.CreateTensorValueFromMemory(Output, [batch, .. signature.Output.Shape.Skip(1)]);
            Binding = session.CreateIoBinding();
            Binding.BindInput(signature.Input.Name, inputValue);
            Binding.BindOutput(signature.Output.Name, outputValue);
            Options = new RunOptions();
        }

        /// <summary>The input, [batch, row] row-major.</summary>
        public float[] Input { get; }

        /// <summary>The output, [batch, row] row-major.</summary>
        public float[] Output { get; }

        public OrtIoBinding Binding { get; }

        public RunOptions Options { get; }

        public void Dispose()
        {
            Binding.Dispose();
            inputValue.Dispose();
            outputValue.Dispose();
            Options.Dispose();
        }
    }
}
