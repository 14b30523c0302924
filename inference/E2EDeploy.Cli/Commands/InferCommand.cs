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
/// A line that cannot be used gives {"line": n, "error": "..."} and the process goes on; the exit code is then 1.
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

    /// <summary>Runs lines from <paramref name="input"/> through a loaded model, writing results to <paramref name="output"/>; returns the number of bad lines.</summary>
    public static int Run(ModelKind kind, IDisposable model, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(model);
        int bad = 0;
        int number = 0;
        while (input.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", number);
                try
                {
                    using JsonDocument document = JsonDocument.Parse(line);
                    Answer(kind, model, document.RootElement, writer);
                }
                catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException)
                {
                    bad++;
                    writer.WriteString("error", e is JsonException ? $"malformed JSON: {e.Message}" : e.Message);
                }

                writer.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            output.Flush();
        }

        return bad;
    }

    private static Command Build(string name, string description, ModelKind kind)
    {
        var model = new Option<string>("--model") { Description = "A model version folder (models/FAMILY/VERSION) or an .onnx file beside its manifest.json.", Required = true };
        var bs = new Option<int>("--bs") { Description = "For a precoder in a version folder: which BS (1-based).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per call.", DefaultValueFactory = _ => 1 };
        var command = new Command(name, description);
        command.Options.Add(model);
        command.Options.Add(bs);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            IDisposable loaded;
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
                return Run(kind, loaded, Console.In, Console.Out) == 0 ? 0 : 1;
            }
        });
        return command;
    }

    private static void Answer(ModelKind kind, IDisposable model, JsonElement request, Utf8JsonWriter writer)
    {
        switch (model)
        {
            case BsPrecoder precoder:
            {
                var region = new AngularRegion(Number(request, "theta_min"), Number(request, "theta_max"));
                var f = new Complex[precoder.AntennaCount * precoder.TransmissionCount];
                precoder.Compute(region, f);
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
                writer.WriteNumber("aod", aod.TakesRegion
                    ? aod.Estimate(y, new AngularRegion(Number(request, "theta_min"), Number(request, "theta_max")))
                    : aod.Estimate(y));
                break;
            }
            case UePositionEstimator position:
            {
                Complex[] y = Observations(request, position.BaseStationCount, position.TransmissionCount, nested: true);
                PlanePoint p = position.TakesRegion ? position.Estimate(y, Regions(request, position.BaseStationCount)) : position.Estimate(y);
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

        return value.GetDouble();
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
                return new AngularRegion(region[0].GetDouble(), region[1].GetDouble());
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

            values.AddRange(row.EnumerateArray().Select(v => v.GetDouble()));
        }

        return [.. values];
    }
}
