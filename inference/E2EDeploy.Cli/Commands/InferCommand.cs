using System.Buffers;
using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Cli.Commands;

/// <summary>
/// `e2e infer precoder|aod|position --model PATH`: drives a deployed model through a pipe, one JSON object per line in and
/// out, so that simulators in any language can use it. Angles are in radians, positions in metres.
/// <list type="bullet">
/// <item>precoder: {"theta_min": r, "theta_max": r} -&gt; {"line": n, "precoder": {"re": [[T values] x Ntx], "im": [...]}}</item>
/// <item>aod: {"y": {"re": [T], "im": [T]}} -&gt; {"line": n, "aod": r}; an estimator that takes the region also needs "theta_min" and "theta_max" (rad).</item>
/// <item>position: {"y": {"re": [[T] x I], "im": [[T] x I]}} -&gt; {"line": n, "position": [x, y]}; with "regions": [[theta_min, theta_max] x I] for a model that takes them</item>
/// </list>
/// A line that cannot be used gives {"line": n, "error": "..."} and the process goes on; the exit code is then 1. Blank
/// lines are skipped and not counted. Exit codes: <see cref="AllAnswered"/>, <see cref="SomeLinesWereErrors"/>, 2 for bad
/// arguments or a bad model, <see cref="InputOutputFailure"/>.
/// </summary>
public static class InferCommand
{
    /// <summary>Builds the `infer` command.</summary>
    public static Command Build()
    {
        var infer = new Command("infer", "Runs a deployed model on JSON lines from stdin, writing JSON lines to stdout (for simulators in other languages).");
        infer.Subcommands.Add(Build("precoder", "One region per line: {\"theta_min\": rad, \"theta_max\": rad} -> the precoder F (re, im: Ntx rows of T).", ModelKind.Precoder));
        infer.Subcommands.Add(Build("aod", "One observation per line: {\"y\": {\"re\": [T], \"im\": [T]}} -> {\"aod\": rad}; a model that takes the region (manifest estimatorTakesRegion) also needs \"theta_min\" and \"theta_max\", rad.", ModelKind.AodEstimator));
        infer.Subcommands.Add(Build("position", "One observation per line: {\"y\": {\"re\": [[T] per BS], \"im\": [[T] per BS]}} -> {\"position\": [x, y]} in m; a model that takes the regions (manifest estimatorTakesRegion) also needs \"regions\": [[theta_min, theta_max] per BS], rad.", ModelKind.PositionEstimator));
        return infer;
    }

    /// <summary>Exit code: every line was answered with an estimate.</summary>
    public const int AllAnswered = 0;

    /// <summary>Exit code: every line was answered, and some answers were errors.</summary>
    public const int SomeLinesWereErrors = 1;

    /// <summary>Exit code: reading stdin or writing stdout failed (for instance a full disk, or stdout closed by its reader).</summary>
    public const int InputOutputFailure = CliApp.InputOutputFailure;

    /// <summary>The default of --max-line-bytes: 1 MiB, far above any model's line (position, T = 20: about 2 kB).</summary>
    public const int DefaultMaxLineBytes = 1 << 20;

    /// <summary>
    /// Runs the lines of <paramref name="input"/> (UTF-8 text) through a loaded model, writing one answer per line to
    /// <paramref name="output"/>; returns the number of lines answered with an error. For tests and in-process use.
    /// </summary>
    public static int Run(ModelKind kind, IDisposable model, TextReader input, TextWriter output, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var bytes = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input.ReadToEnd()));
        using var answers = new MemoryStream();
        int bad = Run(kind, model, bytes, answers, maxLineBytes);
        output.Write(System.Text.Encoding.UTF8.GetString(answers.ToArray()));
        output.Flush();
        return bad;
    }

    /// <summary>
    /// Runs the JSON lines of <paramref name="input"/> through a loaded model, writing one answer per line to
    /// <paramref name="output"/>. Every line that is not blank gets exactly one answer, {"line": n, ...} or
    /// {"line": n, "error": "..."}, whatever it holds; n counts the lines that are not blank, from 1. Returns the number
    /// of error answers.
    /// <para>
    /// Answers are buffered and written (then <paramref name="output"/> flushed) whenever the next line is not yet in
    /// hand, that is before every read of <paramref name="input"/> that may wait, when 64 KiB are pending, and at the
    /// end. So a simulator that sends one line and waits for its answer gets it, and a stream of many lines costs one
    /// write per read instead of one per line. With <paramref name="flushEachLine"/> every answer is written and flushed
    /// at once (`--flush`). A line of the usual form (the fields in any order, plain numbers) is read by
    /// <see cref="FastLineParser"/> into reused buffers; anything else goes through a JsonDocument, with the same answers.
    /// </para>
    /// </summary>
    /// <exception cref="IOException">Reading <paramref name="input"/> or writing <paramref name="output"/> failed.</exception>
    public static int Run(ModelKind kind, IDisposable model, Stream input, Stream output, int maxLineBytes = DefaultMaxLineBytes, bool flushEachLine = false) =>
        Run(kind, model, input, output, maxLineBytes, flushEachLine, fastPath: true);

    /// <summary>
    /// As the public overload; <paramref name="fastPath"/> false answers every line by the JsonDocument path (for the tests
    /// that compare the two paths).
    /// </summary>
    internal static int Run(ModelKind kind, IDisposable model, Stream input, Stream output, int maxLineBytes, bool flushEachLine, bool fastPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var pending = new ArrayBufferWriter<byte>(PendingLimitBytes + (16 * 1024));
        void WritePending()
        {
            if (pending.WrittenCount > 0)
            {
                output.Write(pending.WrittenSpan);
                output.Flush();
                pending.ResetWrittenCount();
            }
        }

        var reader = new JsonLineReader(input, maxLineBytes, beforeRead: WritePending);
        var buffer = new ArrayBufferWriter<byte>(1024);
        var writerOptions = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var writer = new Utf8JsonWriter(buffer, writerOptions);
        var workspace = new LineWorkspace(model);
        int bad = 0;
        int number = 0;
        while (reader.TryRead(out JsonLine line))
        {
            number++;
            string? error = null;
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            bool answered = fastPath && line.TooLongBytes == 0 && FastLineParser.TryRead(line.Bytes.Span, workspace.Layout, workspace.Values)
                && TryAnswerFast(model, workspace, writer, buffer, number);
            try
            {
                if (!answered && line.TooLongBytes > 0)
                {
                    throw new FormatException($"the line has {line.TooLongBytes} bytes: expected at most {maxLineBytes} (--max-line-bytes).");
                }

                if (!answered)
                {
                    // Every line the fast path did not answer: the JsonDocument path, which names what is wrong.
                    using JsonDocument document = JsonDocument.Parse(line.Bytes);
                    writer.WriteStartObject();
                    writer.WriteNumber("line", number);
                    Answer(kind, model, document.RootElement, writer, workspace);
                    writer.WriteEndObject();
                    writer.Flush();
                }
            }
            catch (JsonException e)
            {
                error = $"malformed JSON: {e.Message}";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever a line holds, it gets an answer: a bad value, a model that fails on it, a non-finite output.
                error = e.Message;
            }

            if (error is not null)
            {
                bad++;
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                writer.WriteStartObject();
                writer.WriteNumber("line", number);
                writer.WriteString("error", error);
                writer.WriteEndObject();
                writer.Flush();
            }

            pending.Write(buffer.WrittenSpan);
            pending.Write("\n"u8);
            if (flushEachLine || pending.WrittenCount >= PendingLimitBytes)
            {
                WritePending();
            }
        }

        WritePending();
        return bad;
    }

    /// <summary>Answers are written once this many bytes are pending, if no read of the input comes first.</summary>
    private const int PendingLimitBytes = 64 * 1024;

    private static Command Build(string name, string description, ModelKind kind)
    {
        var model = new Option<string>("--model") { Description = "A model version folder (models/FAMILY/VERSION) or an .onnx file beside its manifest.json.", Required = true };
        var bs = new Option<int>("--bs") { Description = "For a precoder in a version folder: which BS (1-based).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per call.", DefaultValueFactory = _ => 1 };
        var maxLineBytes = new Option<int>("--max-line-bytes") { Description = "A longer line is answered with an error (its bytes are not kept).", DefaultValueFactory = _ => DefaultMaxLineBytes };
        var flush = new Option<bool>("--flush") { Description = "Write and flush each answer at once. Without it, answers are written whenever e2e waits for input (so one line in gives its answer out), and in 64 KiB blocks within a long stream." };
        var device = new Option<string>("--device")
        {
            Description = "cpu, cuda (fails without ONNX Runtime's CUDA provider: build with -p:OrtGpu=true) or auto (CUDA where available, else the CPU, said on stderr).",
            DefaultValueFactory = _ => "cpu",
        };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var command = new Command(name, description + " Exit codes: 0 every line answered, 1 some answers were errors, 2 bad arguments or model, 3 reading stdin or writing stdout failed.");
        command.Options.Add(model);
        command.Options.Add(bs);
        command.Options.Add(threads);
        command.Options.Add(maxLineBytes);
        command.Options.Add(flush);
        command.Options.Add(device);
        command.SetAction(parse =>
        {
            IDisposable loaded;
            if (parse.GetValue(maxLineBytes) < 1)
            {
                Console.Error.WriteLine($"error: --max-line-bytes {parse.GetValue(maxLineBytes)}: expected an integer >= 1.");
                return CliApp.BadInput;
            }

            try
            {
                ModelReference reference = ModelReference.Parse(parse.GetValue(model)!, parse.GetValue(bs));
                var options = new InferenceOptions { ThreadsPerSession = parse.GetValue(threads), Device = DeviceOf(parse.GetValue(device)!) };
                loaded = kind switch
                {
                    ModelKind.Precoder => BsPrecoder.Load(reference, options),
                    ModelKind.AodEstimator => UeAodEstimator.Load(reference, options),
                    _ => UePositionEstimator.Load(reference, options),
                };
            }
            catch (Exception e) when (e is ModelContractException or ArgumentException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CliApp.BadInput;
            }

            if (parse.GetValue(device) != "cpu")
            {
                Console.Error.WriteLine($"e2e infer: running on {((DeployedModelHandle)loaded).ExecutionProvider}.");
            }

            using (loaded)
            {
                return RunStandardStreams(kind, loaded, parse.GetValue(maxLineBytes), parse.GetValue(flush));
            }
        });
        return command;
    }

    private static InferenceDevice DeviceOf(string device) => device switch
    {
        "cuda" => InferenceDevice.Cuda,
        "auto" => InferenceDevice.CudaIfAvailable,
        _ => InferenceDevice.Cpu,
    };

    /// <summary>Runs stdin through the model onto stdout; maps an I/O failure to <see cref="InputOutputFailure"/>.</summary>
    private static int RunStandardStreams(ModelKind kind, IDisposable model, int maxLineBytes, bool flushEachLine)
    {
        if (StandardStreams.InputClosedAtLaunch())
        {
            Console.Error.WriteLine("error: stdin is closed: expected JSON lines on stdin, one request per line.");
            return InputOutputFailure;
        }

        try
        {
            using Stream input = StandardStreams.OpenInput();
            using Stream output = StandardStreams.OpenOutput();
            return Run(kind, model, input, output, maxLineBytes, flushEachLine) == 0 ? AllAnswered : SomeLinesWereErrors;
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            // The reader closed stdout (for instance `| head -1`): stop at once and quietly.
            return InputOutputFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: reading stdin or writing stdout failed: {e.Message}");
            return InputOutputFailure;
        }
    }

    private static bool IsBrokenPipe(IOException e) =>
        (e.HResult & 0xFFFF) == 32 || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Answers a line that <see cref="FastLineParser"/> read; false (nothing written) where any step fails, and the
    /// JsonDocument path then answers the line with its message.
    /// </summary>
    private static bool TryAnswerFast(IDisposable model, LineWorkspace workspace, Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, int number)
    {
        LineValues values = workspace.Values;
        try
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", number);
            switch (model)
            {
                case BsPrecoder precoder:
                    WritePrecoder(precoder, new AngularRegion(values.ThetaMin, values.ThetaMax), workspace.Precoder, writer);
                    break;
                case UeAodEstimator aod:
                {
                    ReadOnlySpan<Complex> y = workspace.ObservationFromValues();
                    double theta = aod.TakesRegion ? aod.Estimate(y, new AngularRegion(values.ThetaMin, values.ThetaMax)) : aod.Estimate(y);
                    CheckOutput([theta], "AoD");
                    writer.WriteNumber("aod", theta);
                    break;
                }

                case UePositionEstimator position:
                {
                    ReadOnlySpan<Complex> y = workspace.ObservationFromValues();
                    PlanePoint p = position.TakesRegion ? position.Estimate(y, workspace.RegionsFromValues()) : position.Estimate(y);
                    WritePosition(p, writer);
                    break;
                }

                default:
                    return false;
            }

            writer.WriteEndObject();
            writer.Flush();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            return false;
        }
    }

    /// <summary>F for <paramref name="region"/> as {"precoder": {"re": [[T] x Ntx], "im": [...]}}.</summary>
    private static void WritePrecoder(BsPrecoder precoder, AngularRegion region, Complex[] f, Utf8JsonWriter writer)
    {
        precoder.Compute(region, f);
        foreach (Complex value in f)
        {
            CheckOutput([value.Real, value.Imaginary], "precoder");
        }

        writer.WriteStartObject("precoder");
        for (int part = 0; part < 2; part++)
        {
            writer.WriteStartArray(part == 0 ? "re" : "im");
            for (int n = 0; n < precoder.AntennaCount; n++)
            {
                writer.WriteStartArray();
                for (int t = 0; t < precoder.TransmissionCount; t++)
                {
                    Complex value = f[(n * precoder.TransmissionCount) + t];
                    writer.WriteNumberValue(part == 0 ? value.Real : value.Imaginary);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>p as "position": [x, y], m, after checking it is finite.</summary>
    private static void WritePosition(PlanePoint p, Utf8JsonWriter writer)
    {
        CheckOutput([p.X, p.Y], "position");
        writer.WriteStartArray("position");
        writer.WriteNumberValue(p.X);
        writer.WriteNumberValue(p.Y);
        writer.WriteEndArray();
    }

    private static void Answer(ModelKind kind, IDisposable model, JsonElement request, Utf8JsonWriter writer, LineWorkspace workspace)
    {
        switch (model)
        {
            case BsPrecoder precoder:
                WritePrecoder(precoder, new AngularRegion(Number(request, "theta_min"), Number(request, "theta_max")), workspace.Precoder, writer);
                break;

            case UeAodEstimator aod:
            {
                ReadOnlySpan<Complex> y = Observations(request, 1, aod.TransmissionCount, nested: false, workspace);
                double theta = aod.TakesRegion
                    ? aod.Estimate(y, new AngularRegion(Number(request, "theta_min"), Number(request, "theta_max")))
                    : aod.Estimate(y);
                CheckOutput([theta], "AoD");
                writer.WriteNumber("aod", theta);
                break;
            }
            case UePositionEstimator position:
            {
                ReadOnlySpan<Complex> y = Observations(request, position.BaseStationCount, position.TransmissionCount, nested: true, workspace);
                PlanePoint p = position.TakesRegion ? position.Estimate(y, Regions(request, position.BaseStationCount, workspace)) : position.Estimate(y);
                WritePosition(p, writer);
                break;
            }

            default:
                throw new InvalidOperationException($"no model loaded for {kind}.");
        }
    }

    private static double Number(JsonElement request, string name)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException($"\"{name}\" is missing or not a number: expected {{\"theta_min\": rad, \"theta_max\": rad}}.");
        }

        return Finite(value, name);
    }

    /// <summary>
    /// A number of the line as double, refused unless it is finite and within float32's range (the models compute in
    /// float32). The value is named <paramref name="name"/>, with [<paramref name="column"/>] and [<paramref name="row"/>]
    /// where they are >= 0 (the name is built only for the message).
    /// </summary>
    private static double Finite(JsonElement value, string name, int row = -1, int column = -1)
    {
        if (!value.TryGetDouble(out double number) || !double.IsFinite(number) || Math.Abs(number) > float.MaxValue)
        {
            string label = row >= 0 ? $"{name}[{row}][{column}]" : column >= 0 ? $"{name}[{column}]" : name;
            throw new FormatException($"{label} is {value.GetRawText()}: expected a finite number within float32's range (|x| <= {float.MaxValue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        return number;
    }

    /// <summary>Throws unless every value the model returned is finite.</summary>
    private static void CheckOutput(ReadOnlySpan<double> values, string what)
    {
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new InvalidOperationException($"the model's {what} for this line is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: the observation is outside what the model can estimate.");
            }
        }
    }

    /// <summary>U_i of every BS from {"regions": [[theta_min, theta_max] per BS]}, rad, into the workspace.</summary>
    private static ReadOnlySpan<AngularRegion> Regions(JsonElement request, int bsCount, LineWorkspace workspace)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("regions", out JsonElement regions) || regions.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"\"regions\" is missing or not an array: expected {RegionsShape(bsCount)}.");
        }

        if (regions.GetArrayLength() != bsCount)
        {
            throw new FormatException($"\"regions\" has {regions.GetArrayLength()} entries: expected {bsCount} (one per BS), as in {RegionsShape(bsCount)}.");
        }

        AngularRegion[] into = workspace.Regions;
        int i = 0;
        foreach (JsonElement region in regions.EnumerateArray())
        {
            if (region.ValueKind != JsonValueKind.Array || region.GetArrayLength() != 2 || region[0].ValueKind != JsonValueKind.Number || region[1].ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"regions[{i}] is {region.GetRawText()}: expected [theta_min, theta_max] (two numbers, rad), as in {RegionsShape(bsCount)}.");
            }

            try
            {
                into[i] = new AngularRegion(Finite(region[0], "regions", i, 0), Finite(region[1], "regions", i, 1));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"regions[{i}]: {e.Message}", e);
            }

            i++;
        }

        return into.AsSpan(0, bsCount);
    }

    private static string RegionsShape(int bsCount) => $"{{\"regions\": [[theta_min, theta_max] x {bsCount}]}} in rad";

    /// <summary>y as [I * T] complex values from {"y": {"re": ..., "im": ...}} (flat arrays for one BS, nested per BS for several), into the workspace.</summary>
    private static ReadOnlySpan<Complex> Observations(JsonElement request, int bsCount, int t, bool nested, LineWorkspace workspace)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("y", out JsonElement y) || y.ValueKind != JsonValueKind.Object
            || !y.TryGetProperty("re", out JsonElement re) || !y.TryGetProperty("im", out JsonElement im))
        {
            throw new FormatException($"\"y\" with \"re\" and \"im\" is missing: expected {ObservationShape(bsCount, t, nested)}.");
        }

        int count = bsCount * t;
        Span<double> real = workspace.Real.AsSpan(0, count);
        Span<double> imaginary = workspace.Imaginary.AsSpan(0, count);
        Flatten(re, bsCount, t, nested, "y.re", real);
        Flatten(im, bsCount, t, nested, "y.im", imaginary);
        Complex[] into = workspace.Observation;
        for (int k = 0; k < count; k++)
        {
            into[k] = new Complex(real[k], imaginary[k]);
        }

        return into.AsSpan(0, count);
    }

    private static string ObservationShape(int bsCount, int t, bool nested) => nested
        ? $"{{\"y\": {{\"re\": [[{t} numbers] x {bsCount}], \"im\": [...]}}}}"
        : $"{{\"y\": {{\"re\": [{t} numbers], \"im\": [{t} numbers]}}}}";

    /// <summary>The rows of <paramref name="array"/> (one flat row, or <paramref name="bsCount"/> nested rows) of <paramref name="t"/> finite numbers each, into <paramref name="into"/> [bsCount * t].</summary>
    private static void Flatten(JsonElement array, int bsCount, int t, bool nested, string name, Span<double> into)
    {
        if (nested && (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != bsCount))
        {
            throw new FormatException($"{name} has {(array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0)} rows: expected {bsCount} (one per BS), as in {ObservationShape(bsCount, t, nested)}.");
        }

        int rowIndex = 0;
        if (!nested)
        {
            FlattenRow(array, -1, t, name, bsCount, nested, into);
            return;
        }

        foreach (JsonElement row in array.EnumerateArray())
        {
            FlattenRow(row, rowIndex, t, name, bsCount, nested, into.Slice(rowIndex * t, t));
            rowIndex++;
        }
    }

    private static void FlattenRow(JsonElement row, int rowIndex, int t, string name, int bsCount, bool nested, Span<double> into)
    {
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != t)
        {
            throw new FormatException($"{name} has a row of {(row.ValueKind == JsonValueKind.Array ? row.GetArrayLength() : 0)} values: expected {t} numbers, as in {ObservationShape(bsCount, t, nested)}.");
        }

        foreach (JsonElement value in row.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"{name} holds {value.GetRawText()}: expected numbers only, as in {ObservationShape(bsCount, t, nested)}.");
            }
        }

        int k = 0;
        foreach (JsonElement value in row.EnumerateArray())
        {
            into[k] = Finite(value, name, rowIndex, k);
            k++;
        }
    }

    /// <summary>The buffers one stream reuses for every line: the line's numbers, the observation, the regions, the precoder.</summary>
    private sealed class LineWorkspace
    {
        public LineWorkspace(IDisposable model)
        {
            (Layout, int antennas) = model switch
            {
                UeAodEstimator aod => (new LineLayout(1, aod.TransmissionCount, Observation: true, Nested: false, Angles: aod.TakesRegion, Regions: false), 0),
                UePositionEstimator position => (new LineLayout(position.BaseStationCount, position.TransmissionCount, Observation: true, Nested: true, Angles: false, Regions: position.TakesRegion), 0),
                BsPrecoder precoder => (new LineLayout(0, precoder.TransmissionCount, Observation: false, Nested: false, Angles: true, Regions: false), precoder.AntennaCount),
                _ => (default(LineLayout), 0),
            };
            int count = Layout.BaseStationCount * Layout.TransmissionCount;
            Values = new LineValues(Layout.BaseStationCount, Layout.TransmissionCount);
            Observation = new Complex[count];
            Regions = new AngularRegion[Layout.BaseStationCount];
            Precoder = new Complex[antennas * Layout.TransmissionCount];
        }

        public LineLayout Layout { get; }

        public LineValues Values { get; }

        public double[] Real => Values.Real;

        public double[] Imaginary => Values.Imaginary;

        public Complex[] Observation { get; }

        public AngularRegion[] Regions { get; }

        public Complex[] Precoder { get; }

        /// <summary>y from <see cref="Values"/>, [I * T].</summary>
        public ReadOnlySpan<Complex> ObservationFromValues()
        {
            for (int k = 0; k < Observation.Length; k++)
            {
                Observation[k] = new Complex(Values.Real[k], Values.Imaginary[k]);
            }

            return Observation;
        }

        /// <summary>U_i from <see cref="Values"/>, [I]; throws as <see cref="AngularRegion"/> does for a bad region.</summary>
        public ReadOnlySpan<AngularRegion> RegionsFromValues()
        {
            for (int i = 0; i < Regions.Length; i++)
            {
                Regions[i] = new AngularRegion(Values.RegionBounds[2 * i], Values.RegionBounds[(2 * i) + 1]);
            }

            return Regions;
        }
    }
}
