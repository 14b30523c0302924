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
    /// <paramref name="output"/> and flushing it after each, so that a simulator can wait for each answer. Every line that is
    /// not blank gets exactly one answer, {"line": n, ...} or {"line": n, "error": "..."}, whatever it holds; n counts the
    /// lines that are not blank, from 1. Returns the number of error answers.
    /// </summary>
    /// <exception cref="IOException">Reading <paramref name="input"/> or writing <paramref name="output"/> failed.</exception>
    public static int Run(ModelKind kind, IDisposable model, Stream input, Stream output, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var reader = new JsonLineReader(input, maxLineBytes);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var writerOptions = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var writer = new Utf8JsonWriter(buffer, writerOptions);
        int bad = 0;
        int number = 0;
        while (reader.TryRead(out JsonLine line))
        {
            number++;
            string? error = null;
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            try
            {
                if (line.TooLongBytes > 0)
                {
                    throw new FormatException($"the line has {line.TooLongBytes} bytes: expected at most {maxLineBytes} (--max-line-bytes).");
                }

                using JsonDocument document = JsonDocument.Parse(line.Bytes);
                writer.WriteStartObject();
                writer.WriteNumber("line", number);
                Answer(kind, model, document.RootElement, writer);
                writer.WriteEndObject();
                writer.Flush();
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

            output.Write(buffer.WrittenSpan);
            output.WriteByte((byte)'\n');
            output.Flush();
        }

        return bad;
    }

    private static Command Build(string name, string description, ModelKind kind)
    {
        var model = new Option<string>("--model") { Description = "A model version folder (models/FAMILY/VERSION) or an .onnx file beside its manifest.json.", Required = true };
        var bs = new Option<int>("--bs") { Description = "For a precoder in a version folder: which BS (1-based).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per call.", DefaultValueFactory = _ => 1 };
        var maxLineBytes = new Option<int>("--max-line-bytes") { Description = "A longer line is answered with an error (its bytes are not kept).", DefaultValueFactory = _ => DefaultMaxLineBytes };
        var command = new Command(name, description + " Exit codes: 0 every line answered, 1 some answers were errors, 2 bad arguments or model, 3 reading stdin or writing stdout failed.");
        command.Options.Add(model);
        command.Options.Add(bs);
        command.Options.Add(threads);
        command.Options.Add(maxLineBytes);
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
                var options = new InferenceOptions { ThreadsPerSession = parse.GetValue(threads) };
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

            using (loaded)
            {
                return RunStandardStreams(kind, loaded, parse.GetValue(maxLineBytes));
            }
        });
        return command;
    }

    /// <summary>Runs stdin through the model onto stdout; maps an I/O failure to <see cref="InputOutputFailure"/>.</summary>
    private static int RunStandardStreams(ModelKind kind, IDisposable model, int maxLineBytes)
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
            return Run(kind, model, input, output, maxLineBytes) == 0 ? AllAnswered : SomeLinesWereErrors;
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

    private static void Answer(ModelKind kind, IDisposable model, JsonElement request, Utf8JsonWriter writer)
    {
        switch (model)
        {
            case BsPrecoder precoder:
            {
                var region = new AngularRegion(Number(request, "theta_min"), Number(request, "theta_max"));
                var f = new Complex[precoder.AntennaCount * precoder.TransmissionCount];
                precoder.Compute(region, f);
                CheckOutput(f.SelectMany(c => new[] { c.Real, c.Imaginary }).ToArray(), "precoder");
                writer.WriteStartObject("precoder");
                foreach ((string part, Func<Complex, double> pick) in new (string, Func<Complex, double>)[] { ("re", c => c.Real), ("im", c => c.Imaginary) })
                {
                    writer.WriteStartArray(part);
                    for (int n = 0; n < precoder.AntennaCount; n++)
                    {
                        writer.WriteStartArray();
                        for (int t = 0; t < precoder.TransmissionCount; t++)
                        {
                            writer.WriteNumberValue(pick(f[(n * precoder.TransmissionCount) + t]));
                        }

                        writer.WriteEndArray();
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                break;
            }

            case UeAodEstimator aod:
            {
                Complex[] y = Observations(request, 1, aod.TransmissionCount, nested: false);
                double theta = aod.TakesRegion
                    ? aod.Estimate(y, new AngularRegion(Number(request, "theta_min"), Number(request, "theta_max")))
                    : aod.Estimate(y);
                CheckOutput([theta], "AoD");
                writer.WriteNumber("aod", theta);
                break;
            }
            case UePositionEstimator position:
            {
                Complex[] y = Observations(request, position.BaseStationCount, position.TransmissionCount, nested: true);
                PlanePoint p = position.TakesRegion ? position.Estimate(y, Regions(request, position.BaseStationCount)) : position.Estimate(y);
                CheckOutput([p.X, p.Y], "position");
                writer.WriteStartArray("position");
                writer.WriteNumberValue(p.X);
                writer.WriteNumberValue(p.Y);
                writer.WriteEndArray();
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

    /// <summary>A number of the line as double, refused unless it is finite and within float32's range (the models compute in float32).</summary>
    private static double Finite(JsonElement value, string name)
    {
        if (!value.TryGetDouble(out double number) || !double.IsFinite(number) || Math.Abs(number) > float.MaxValue)
        {
            throw new FormatException($"{name} is {value.GetRawText()}: expected a finite number within float32's range (|x| <= {float.MaxValue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}).");
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

    /// <summary>U_i of every BS from {"regions": [[theta_min, theta_max] per BS]}, rad.</summary>
    private static AngularRegion[] Regions(JsonElement request, int bsCount)
    {
        string shape = $"{{\"regions\": [[theta_min, theta_max] x {bsCount}]}} in rad";
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("regions", out JsonElement regions) || regions.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"\"regions\" is missing or not an array: expected {shape}.");
        }

        if (regions.GetArrayLength() != bsCount)
        {
            throw new FormatException($"\"regions\" has {regions.GetArrayLength()} entries: expected {bsCount} (one per BS), as in {shape}.");
        }

        return regions.EnumerateArray().Select((region, i) =>
        {
            if (region.ValueKind != JsonValueKind.Array || region.GetArrayLength() != 2 || !region.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number))
            {
                throw new FormatException($"regions[{i}] is {region.GetRawText()}: expected [theta_min, theta_max] (two numbers, rad), as in {shape}.");
            }

            try
            {
                return new AngularRegion(Finite(region[0], $"regions[{i}][0]"), Finite(region[1], $"regions[{i}][1]"));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"regions[{i}]: {e.Message}", e);
            }
        }).ToArray();
    }

    /// <summary>y as [I * T] complex values from {"y": {"re": ..., "im": ...}} (flat arrays for one BS, nested per BS for several).</summary>
    private static Complex[] Observations(JsonElement request, int bsCount, int t, bool nested)
    {
        string shape = nested ? $"{{\"y\": {{\"re\": [[{t} numbers] x {bsCount}], \"im\": [...]}}}}" : $"{{\"y\": {{\"re\": [{t} numbers], \"im\": [{t} numbers]}}}}";
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("y", out JsonElement y) || y.ValueKind != JsonValueKind.Object
            || !y.TryGetProperty("re", out JsonElement re) || !y.TryGetProperty("im", out JsonElement im))
        {
            throw new FormatException($"\"y\" with \"re\" and \"im\" is missing: expected {shape}.");
        }

        double[] real = Flatten(re, bsCount, t, nested, "y.re", shape);
        double[] imaginary = Flatten(im, bsCount, t, nested, "y.im", shape);
        return real.Zip(imaginary, (a, b) => new Complex(a, b)).ToArray();
    }

    private static double[] Flatten(JsonElement array, int bsCount, int t, bool nested, string name, string shape)
    {
        IEnumerable<JsonElement> rows = nested
            ? (array.ValueKind == JsonValueKind.Array && array.GetArrayLength() == bsCount ? array.EnumerateArray() : throw new FormatException($"{name} has {(array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0)} rows: expected {bsCount} (one per BS), as in {shape}."))
            : [array];
        var values = new List<double>();
        foreach (JsonElement row in rows)
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != t)
            {
                throw new FormatException($"{name} has a row of {(row.ValueKind == JsonValueKind.Array ? row.GetArrayLength() : 0)} values: expected {t} numbers, as in {shape}.");
            }

            if (row.EnumerateArray().FirstOrDefault(v => v.ValueKind != JsonValueKind.Number) is { ValueKind: not JsonValueKind.Undefined } notNumber)
            {
                throw new FormatException($"{name} holds {notNumber.GetRawText()}: expected numbers only, as in {shape}.");
            }

            int row0 = values.Count / t;
            values.AddRange(row.EnumerateArray().Select((v, k) => Finite(v, nested ? $"{name}[{row0}][{k}]" : $"{name}[{k}]")));
        }

        return [.. values];
    }
}
