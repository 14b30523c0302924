using System.Globalization;

namespace E2EDeploy.Cli.Commands;

/// <summary>Parses SNR lists: "start:step:stop" (MATLAB style, stop included), "a,b,c", or one value, in dB.</summary>
public static class SnrGrid
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static double[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            string[] parts = trimmed.Split(':');
            if (parts.Length != 3)
            {
                throw new FormatException($"--snr '{text}': expected start:step:stop, a comma-separated list, or one value (dB).");
            }

            double start = Number(parts[0], text);
            double step = Number(parts[1], text);
            double stop = Number(parts[2], text);
            if (!(step > 0) || stop < start)
            {
                throw new FormatException($"--snr '{text}': expected step > 0 and stop >= start.");
            }

            int count = (int)Math.Floor(((stop - start) / step) + 1e-9) + 1;
            if (count > 1000)
            {
                throw new FormatException($"--snr '{text}' has {count} points: expected at most 1000.");
            }

            return Enumerable.Range(0, count).Select(i => Math.Round(start + (i * step), 12)).ToArray();
        }

        double[] values = trimmed.Split(',').Select(part => Number(part, text)).ToArray();
        return values;
    }

    private static double Number(string part, string text)
    {
        if (!double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new FormatException($"--snr '{text}': '{part.Trim()}' is not a finite number (dB).");
        }

        if (value < -100 || value > 100)
        {
            throw new FormatException($"--snr '{text}': {value} dB is outside [-100, 100] dB.");
        }

        return value;
    }
}
