using System.Diagnostics;
using System.Text;
using System.Text.Json;
using E2EDeploy.Cli.Commands;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Models;
using E2EDeploy.Tests.Fixtures;

namespace E2EDeploy.Cli.Tests.Commands;

/// <summary>
/// The `e2e infer` stream against what an adversarial or careless caller sends: every line gets exactly one answer, the
/// process never dies on a line, and I/O failures end it with exit code 3 and one message.
/// </summary>
[TestClass]
public sealed class InferStreamTests
{
    private const string GoodAod = """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]}}""";

    [TestMethod]
    public void AReleasedPositionModelAnswersALargeFiniteValueWithAnErrorAndGoesOn()
    {
        // position-none/v5 returns NaN for y.re[0][0] = 1e12 (a finite float32): an error of that line, not a crash.
        using UePositionEstimator model = UePositionEstimator.Load(ModelReference.Registry(Path.Combine(FixtureRegistry.RepositoryRoot(), "models"), "position-none/v5"));
        string good = Position(model.TransmissionCount, "0.1");
        string[] answers = Answers(ModelKind.PositionEstimator, model, good, Position(model.TransmissionCount, "1e12"), Position(model.TransmissionCount, "3e9"), good);
        Assert.HasCount(4, answers);
        Assert.IsTrue(answers[0].Contains("\"position\"", StringComparison.Ordinal), answers[0]);
        Assert.IsTrue(answers[3].Contains("\"position\"", StringComparison.Ordinal), answers[3]);
        foreach (string answer in answers[1..3])
        {
            using var document = JsonDocument.Parse(answer);
            Assert.IsTrue(document.RootElement.TryGetProperty("error", out _) || document.RootElement.TryGetProperty("position", out _), answer);
        }
    }

    [TestMethod]
    [DataRow("1e300", "y.re[0] is 1e300: expected a finite number within float32's range")]
    [DataRow("-4e38", "y.re[0] is -4e38: expected a finite number within float32's range")]
    [DataRow("1e400", "y.re[0] is 1e400: expected a finite number within float32's range")]
    public void AValueBeyondFloat32IsAnErrorOfItsLine(string value, string expected)
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        string[] answers = Answers(ModelKind.AodEstimator, model, GoodAod.Replace("0.1", value, StringComparison.Ordinal), GoodAod);
        Assert.HasCount(2, answers);
        StringAssert.Contains(answers[0], expected);
        StringAssert.Contains(answers[1], "\"aod\"");
    }

    [TestMethod]
    public void AByteOrderMarkIsAcceptedBlankLinesAreNotCountedAndALongLineIsAnErrorOfItsOwn()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        byte[] input = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{GoodAod}\r\n\n   \n{new string(' ', 200)}{GoodAod}\n{GoodAod}")];
        using var output = new MemoryStream();
        int bad = InferCommand.Run(ModelKind.AodEstimator, model, new MemoryStream(input), output, maxLineBytes: 100);
        string[] answers = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(1, bad);
        Assert.HasCount(3, answers);
        StringAssert.StartsWith(answers[0], """{"line":1,"aod":""");
        StringAssert.Contains(answers[1], $$"""{"line":2,"error":"the line has {{200 + GoodAod.Length}} bytes: expected at most 100 (--max-line-bytes).""");
        StringAssert.StartsWith(answers[2], """{"line":3,"aod":""");
    }

    [TestMethod]
    public void AFailingOutputEndsTheRunWithAnIoException()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        using var input = new MemoryStream(Encoding.UTF8.GetBytes($"{GoodAod}\n{GoodAod}\n"));
        Assert.ThrowsExactly<IOException>(() => InferCommand.Run(ModelKind.AodEstimator, model, input, new FullDisk()));
    }

    [TestMethod]
    public void UsualLinesAllocateNothingPerLineOnceTheStreamRuns()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));
        long AllocatedFor(int lines, bool fastPath = true)
        {
            byte[] input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(GoodAod + "\n", lines)));
            var output = new MemoryStream(new byte[1 << 20]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.AreEqual(0, InferCommand.Run(ModelKind.AodEstimator, model, new MemoryStream(input), output, InferCommand.DefaultMaxLineBytes, flushEachLine: false, fastPath));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        AllocatedFor(2000); // warm: the first run's one-time allocations (JIT, static state)
        long few = AllocatedFor(200);
        long many = AllocatedFor(2000);
        // The stream's set-up (buffers, reader, writer) is paid once per run; what grows with the line count is per line.
        double perLine = (many - few) / 1800.0;
        Assert.IsTrue(perLine < 1, $"{perLine:F1} B allocated per line ({few} B for 200 lines, {many} B for 2,000): expected none");

        // The same measure sees the JsonDocument path's allocations (the path of unusual lines), so it can fail.
        AllocatedFor(2000, fastPath: false);
        double documentPerLine = (AllocatedFor(2000, fastPath: false) - AllocatedFor(200, fastPath: false)) / 1800.0;
        Assert.IsTrue(documentPerLine > 32, $"the JsonDocument path: {documentPerLine:F1} B per line");
    }

    [TestMethod]
    public void EachAnswerIsWrittenBeforeTheNextReadThatMayWaitAndAStreamIsWrittenInBlocks()
    {
        using var registry = new FixtureRegistry();
        using UeAodEstimator model = UeAodEstimator.Load(ModelReference.Registry(registry.Root, "tiny-aod/v1"));

        // A simulator that sends one line and waits: its answer must be out before e2e reads again.
        var output = new CountingOutput();
        var input = new OneLinePerRead([GoodAod, GoodAod, GoodAod], output);
        Assert.AreEqual(0, InferCommand.Run(ModelKind.AodEstimator, model, input, output));
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, input.AnswersSeenAtEachRead, "answers written when the reads happened");

        // Many lines in one read: written together, not one write per line, unless --flush.
        byte[] many = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(GoodAod + "\n", 100)));
        var buffered = new CountingOutput();
        InferCommand.Run(ModelKind.AodEstimator, model, new MemoryStream(many), buffered);
        var flushed = new CountingOutput();
        InferCommand.Run(ModelKind.AodEstimator, model, new MemoryStream(many), flushed, flushEachLine: true);
        Assert.AreEqual(100, buffered.Lines);
        Assert.AreEqual(100, flushed.Lines);
        Assert.AreEqual(1, buffered.Writes, "100 answers of one read: one write");
        Assert.AreEqual(100, flushed.Writes, "--flush: one write per answer");
        CollectionAssert.AreEqual(flushed.Bytes.ToArray(), buffered.Bytes.ToArray(), "the same answers either way");
    }

    [TestMethod]
    public void TenThousandMutatedLinesGetOneAnswerEachAndMemoryStaysFlat()
    {
        using var registry = new FixtureRegistry();
        using UePositionEstimator model = UePositionEstimator.Load(ModelReference.Registry(registry.Root, "tiny-position-region/v1"));
        string valid = """{"y":{"re":[[0.1,0.2,0.3,0.4],[0.4,0.3,0.2,0.1]],"im":[[0,0.5,0,0],[0,0,0.5,0]]},"regions":[[0.58,1.10],[-0.90,-0.38]]}""";
        List<string> lines = Mutated(valid, 10_000, seed: 11);

        string[] warmUp = Answers(ModelKind.PositionEstimator, model, [.. lines.Take(1000)]);
        Assert.HasCount(1000, warmUp);
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        string[] answers = Answers(ModelKind.PositionEstimator, model, [.. lines]);
        GC.Collect();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.HasCount(lines.Count, answers, "one answer per line");
        int errors = 0;
        for (int n = 0; n < answers.Length; n++)
        {
            using var document = JsonDocument.Parse(answers[n]);
            Assert.AreEqual(n + 1, document.RootElement.GetProperty("line").GetInt32(), answers[n]);
            bool error = document.RootElement.TryGetProperty("error", out _);
            Assert.IsTrue(error ^ document.RootElement.TryGetProperty("position", out _), answers[n]);
            errors += error ? 1 : 0;
        }

        Console.WriteLine($"{lines.Count} mutated lines: {lines.Count} answers, {errors} errors, {lines.Count - errors} estimates; managed memory {before} -> {after} bytes");
        Assert.IsTrue(errors > 5_000 && errors < lines.Count, $"{errors} of {lines.Count} mutated lines are errors: the mutations reach both outcomes");
        Assert.IsLessThan(16L << 20, after - before, $"managed memory {before} -> {after} bytes over 10,000 lines");
    }

    [TestMethod]
    [DataRow("tiny-position-region/v1", ModelKind.PositionEstimator, """{"y":{"re":[[0.1,0.2,0.3,0.4],[0.4,0.3,0.2,0.1]],"im":[[0,0.5,0,0],[0,0,0.5,0]]},"regions":[[0.58,1.10],[-0.90,-0.38]]}""")]
    [DataRow("tiny-aod-region/v1", ModelKind.AodEstimator, """{"y":{"re":[0.1,0.2,0.3,0.4],"im":[0,0.5,0,0]},"theta_min":0.7,"theta_max":1.0}""")]
    [DataRow("tiny-aod/v1", ModelKind.AodEstimator, """{"extra":[1,{"y":2}],"y":{"im":[0,0.5,0,0],"re":[0.1,0.2,0.3,0.4]}}""")]
    [DataRow("tiny-aod/v1", ModelKind.Precoder, """{"theta_min":0.7,"theta_max":1.0}""")]
    public void TheFastPathAnswersEveryLineExactlyAsTheJsonDocumentPathDoes(string version, ModelKind kind, string valid)
    {
        // The fast path (Utf8JsonReader) must give the same bytes as the JsonDocument path for good and bad lines alike:
        // the same estimates, and for every line it cannot serve, the JsonDocument path's own error message.
        using var registry = new FixtureRegistry();
        var reference = ModelReference.Registry(registry.Root, version);
        using IDisposable model = kind switch
        {
            ModelKind.Precoder => BsPrecoder.Load(reference),
            ModelKind.AodEstimator => UeAodEstimator.Load(reference),
            _ => UePositionEstimator.Load(reference),
        };
        List<string> lines = [valid, .. Mutated(valid, 3_000, seed: 5)];
        byte[] input = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var fast = new MemoryStream();
        using var document = new MemoryStream();
        int fastErrors = InferCommand.Run(kind, model, new MemoryStream(input), fast, InferCommand.DefaultMaxLineBytes, flushEachLine: false, fastPath: true);
        int documentErrors = InferCommand.Run(kind, model, new MemoryStream(input), document, InferCommand.DefaultMaxLineBytes, flushEachLine: false, fastPath: false);
        string[] fastAnswers = Encoding.UTF8.GetString(fast.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] documentAnswers = Encoding.UTF8.GetString(document.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(lines.Count, documentAnswers);
        Assert.HasCount(lines.Count, fastAnswers);
        for (int n = 0; n < lines.Count; n++)
        {
            Assert.AreEqual(documentAnswers[n], fastAnswers[n], $"line {n + 1}: {lines[n]}");
        }

        Assert.AreEqual(documentErrors, fastErrors);
        Assert.IsTrue(documentErrors > 0 && lines.Count - documentErrors >= 10, $"{documentErrors} of {lines.Count} lines are errors: both outcomes are exercised");
        Assert.IsFalse(documentAnswers[0].Contains("\"error\"", StringComparison.Ordinal), documentAnswers[0]);
    }

    [TestMethod]
    public void TheProcessStopsPromptlyWhenItsReaderClosesStdoutAndFailsCleanlyOnAFullDiskOrAClosedStdin()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Inconclusive("needs /bin/sh, /dev/full and /proc (Linux)");
        }

        string model = Path.Combine(FixtureRegistry.RepositoryRoot(), "models", "aod-none", "v13");
        string lines = Path.Combine(Path.GetTempPath(), $"infer-lines-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(lines, Enumerable.Repeat("""{"theta_min": 0.698, "theta_max": 1.047}""", 20_000));
        try
        {
            string e2e = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "e2e.dll")}' infer precoder --model '{model}' --bs 1";
            (int code, string stdout, string stderr) = Shell($"{e2e} < '{lines}' | head -1 > /dev/null; exit ${{PIPESTATUS[0]}}");
            Assert.AreEqual(InferCommand.InputOutputFailure, code, $"head -1: {stdout} {stderr}");
            Assert.AreEqual(string.Empty, stderr.Trim(), "quietly");

            (code, _, stderr) = Shell($"head -3 '{lines}' | {e2e} > /dev/full");
            Assert.AreEqual(InferCommand.InputOutputFailure, code, stderr);
            StringAssert.StartsWith(stderr, "error: reading stdin or writing stdout failed: No space left on device");
            Assert.IsFalse(stderr.Contains("   at ", StringComparison.Ordinal), "no stack trace");

            (code, _, stderr) = Shell($"{e2e} <&-");
            Assert.AreEqual(InferCommand.InputOutputFailure, code, stderr);
            StringAssert.Contains(stderr, "stdin is closed");
        }
        finally
        {
            File.Delete(lines);
        }
    }

    /// <summary><paramref name="count"/> copies of <paramref name="valid"/>, each with 1 to 3 random edits (deletions, insertions of awkward values, replaced characters or digits).</summary>
    private static List<string> Mutated(string valid, int count, int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["1e12", "-1e39", "1e400", "NaN", "\"x\"", "null", "[]", "{}", "[[1,2],[3]]", "true", "-0", "0.7", "1.5", "-1.6", "[0.58,1.1,2]", "\"\\u0000\"", "9007199254740993", ","];
        var lines = new List<string>();
        for (int k = 0; k < count; k++)
        {
            var line = new StringBuilder(valid);
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(line.Length);
                switch (random.Next(4))
                {
                    case 0: line.Remove(at, Math.Min(1 + random.Next(6), line.Length - at)); break;
                    case 1: line.Insert(at, pieces[random.Next(pieces.Length)]); break;
                    case 2: line[at] = (char)random.Next(32, 127); break;
                    default:
                        int start = line.ToString().IndexOfAny(['0', '1', '2', '3', '4', '5', '9'], at);
                        if (start >= 0)
                        {
                            line.Remove(start, 1).Insert(start, pieces[random.Next(pieces.Length)]);
                        }

                        break;
                }
            }

            string text = line.ToString().Replace('\n', ' ');
            lines.Add(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        }

        return lines;
    }

    private static (int Code, string Stdout, string Stderr) Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new AssertFailedException($"'{command}' did not end within 60 s (a hang)");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Position(int t, string first) =>
        $$"""{"y":{"re":[[{{first}}{{string.Concat(Enumerable.Repeat(",0.1", t - 1))}}],[0.1{{string.Concat(Enumerable.Repeat(",0.1", t - 1))}}]],"im":[[0{{string.Concat(Enumerable.Repeat(",0", t - 1))}}],[0{{string.Concat(Enumerable.Repeat(",0", t - 1))}}]]},"regions":[[0.58,1.10],[-0.90,-0.38]]}""";

    private static string[] Answers(ModelKind kind, IDisposable model, params string[] lines)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        using var output = new MemoryStream();
        InferCommand.Run(kind, model, input, output);
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>An output that counts its writes and answer lines.</summary>
    private sealed class CountingOutput : Stream
    {
        public MemoryStream Bytes { get; } = new();
        public int Writes { get; private set; }
        public int Lines => Bytes.ToArray().Count(b => b == (byte)'\n');
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Bytes.Length;
        public override long Position { get => Bytes.Length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            Bytes.Write(buffer, offset, count);
        }
    }

    /// <summary>An input that gives one line per read and records how many answers the output held at each read.</summary>
    private sealed class OneLinePerRead(string[] lines, CountingOutput output) : Stream
    {
        private int next;
        public List<int> AnswersSeenAtEachRead { get; } = [];
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count)
        {
            AnswersSeenAtEachRead.Add(output.Lines);
            if (next == lines.Length)
            {
                return 0;
            }

            byte[] line = Encoding.UTF8.GetBytes(lines[next++] + "\n");
            line.CopyTo(buffer, offset);
            return line.Length;
        }
    }

    /// <summary>An output that fails as a full disk does.</summary>
    private sealed class FullDisk : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => 0;
        public override long Position { get => 0; set { } }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }
}
