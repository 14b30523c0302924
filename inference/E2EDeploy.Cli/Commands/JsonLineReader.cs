namespace E2EDeploy.Cli.Commands;

/// <summary>One line of a JSON-lines stream: its bytes, or, for a line over the limit, how long it was (its bytes dropped).</summary>
/// <param name="Bytes">The line without its line end; empty for a line over the limit.</param>
/// <param name="TooLongBytes">0, or the length of a line over the limit, in bytes.</param>
internal readonly record struct JsonLine(ReadOnlyMemory<byte> Bytes, long TooLongBytes);

/// <summary>
/// Reads lines from a byte stream for `e2e infer`: a UTF-8 byte order mark at the start is dropped, a CR before the LF is
/// dropped, lines that hold only blanks are skipped, and a line longer than the limit is reported by its length without
/// being held in memory. Allocates only while a line is longer than any before it. Not thread-safe.
/// </summary>
internal sealed class JsonLineReader
{
    private readonly Stream input;
    private readonly int maxBytes;
    private readonly Action? beforeRead;
    private readonly byte[] chunk = new byte[64 * 1024];
    private int chunkStart;
    private int chunkEnd;
    private byte[] line = new byte[4 * 1024];
    private bool atStart = true;
    private bool ended;

    /// <summary>
    /// Reads from <paramref name="input"/> (not owned); lines over <paramref name="maxBytes"/> bytes are reported as too
    /// long. <paramref name="beforeRead"/>, if given, runs before every read of <paramref name="input"/>, which may wait
    /// for data (`e2e infer` writes its pending answers there).
    /// </summary>
    public JsonLineReader(Stream input, int maxBytes, Action? beforeRead = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        this.input = input;
        this.maxBytes = maxBytes;
        this.beforeRead = beforeRead;
    }

    /// <summary>The next line that is not blank, or false at the end of the input. The bytes are valid until the next call.</summary>
    public bool TryRead(out JsonLine next)
    {
        while (true)
        {
            if (!TryReadRaw(out int length, out long tooLong))
            {
                next = default;
                return false;
            }

            if (tooLong > 0)
            {
                next = new JsonLine(ReadOnlyMemory<byte>.Empty, tooLong);
                return true;
            }

            ReadOnlySpan<byte> bytes = line.AsSpan(0, length);
            if (bytes.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            next = new JsonLine(line.AsMemory(0, length), 0);
            return true;
        }
    }

    private bool TryReadRaw(out int length, out long tooLong)
    {
        length = 0;
        tooLong = 0;
        long total = 0;
        bool any = false;
        while (true)
        {
            if (chunkStart == chunkEnd)
            {
                if (ended)
                {
                    break;
                }

                beforeRead?.Invoke();
                chunkStart = 0;
                chunkEnd = input.Read(chunk, 0, chunk.Length);
                if (chunkEnd == 0)
                {
                    ended = true;
                    break;
                }

                if (atStart)
                {
                    atStart = false;
                    if (chunkEnd >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF)
                    {
                        chunkStart = 3;
                    }
                }
            }

            any = true;
            int newline = Array.IndexOf(chunk, (byte)'\n', chunkStart, chunkEnd - chunkStart);
            int end = newline < 0 ? chunkEnd : newline;
            int count = end - chunkStart;
            total += count;
            if (total <= maxBytes)
            {
                if (length + count > line.Length)
                {
                    Array.Resize(ref line, Math.Min(Math.Max(line.Length * 2, length + count), maxBytes));
                }

                Buffer.BlockCopy(chunk, chunkStart, line, length, count);
                length += count;
            }

            chunkStart = newline < 0 ? chunkEnd : newline + 1;
            if (newline >= 0)
            {
                break;
            }
        }

        if (!any)
        {
            return false;
        }

        if (total > maxBytes)
        {
            tooLong = total;
            length = 0;
        }
        else if (length > 0 && line[length - 1] == (byte)'\r')
        {
            length--;
        }

        return true;
    }
}
