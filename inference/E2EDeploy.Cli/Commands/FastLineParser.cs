using System.Text.Json;

namespace E2EDeploy.Cli.Commands;

/// <summary>
/// The fast path of `e2e infer` for a well-formed line: one forward pass of <see cref="Utf8JsonReader"/> over the line's
/// bytes, without a <see cref="JsonDocument"/>, writing the numbers the model needs into a <see cref="LineValues"/>.
/// It accepts only what the JsonDocument path accepts with the same numbers, and returns false for anything else (a
/// missing, repeated or mistyped value, a wrong count, a number outside float32's range, malformed JSON); the caller then
/// answers that line by the JsonDocument path, which names the problem. Properties the model does not use are skipped.
/// </summary>
internal static class FastLineParser
{
    /// <summary>
    /// Reads <paramref name="line"/> for a model with <paramref name="layout"/>; true with every needed value in
    /// <paramref name="values"/>, or false (and <paramref name="values"/> partly written) where the JsonDocument path
    /// must answer.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> line, LineLayout layout, LineValues values)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool y = false, thetaMin = false, thetaMax = false, regions = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (layout.Observation && reader.ValueTextEquals("y"u8))
                {
                    if (y || !reader.Read() || !ReadObservation(ref reader, layout, values))
                    {
                        return false;
                    }

                    y = true;
                }
                else if (layout.Angles && reader.ValueTextEquals("theta_min"u8))
                {
                    if (thetaMin || !reader.Read() || !TryNumber(ref reader, out double value))
                    {
                        return false;
                    }

                    values.ThetaMin = value;
                    thetaMin = true;
                }
                else if (layout.Angles && reader.ValueTextEquals("theta_max"u8))
                {
                    if (thetaMax || !reader.Read() || !TryNumber(ref reader, out double value))
                    {
                        return false;
                    }

                    values.ThetaMax = value;
                    thetaMax = true;
                }
                else if (layout.Regions && reader.ValueTextEquals("regions"u8))
                {
                    if (regions || !reader.Read() || !ReadRegions(ref reader, layout.BaseStationCount, values.RegionBounds))
                    {
                        return false;
                    }

                    regions = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            // The root object has ended; nothing but blanks may follow it.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read()
                && (!layout.Observation || y) && (!layout.Angles || (thetaMin && thetaMax)) && (!layout.Regions || regions);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>{"re": rows, "im": rows} at the reader's StartObject, into the values' real and imaginary parts.</summary>
    private static bool ReadObservation(ref Utf8JsonReader reader, LineLayout layout, LineValues values)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool re = false, im = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("re"u8))
            {
                if (re || !reader.Read() || !ReadRows(ref reader, layout, values.Real))
                {
                    return false;
                }

                re = true;
            }
            else if (reader.ValueTextEquals("im"u8))
            {
                if (im || !reader.Read() || !ReadRows(ref reader, layout, values.Imaginary))
                {
                    return false;
                }

                im = true;
            }
            else
            {
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && re && im;
    }

    /// <summary>One row of T numbers, or (nested) I rows of T numbers, into <paramref name="into"/> [I * T].</summary>
    private static bool ReadRows(ref Utf8JsonReader reader, LineLayout layout, double[] into)
    {
        if (!layout.Nested)
        {
            return ReadNumbers(ref reader, into.AsSpan(0, layout.TransmissionCount));
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        for (int row = 0; row < layout.BaseStationCount; row++)
        {
            if (!reader.Read() || !ReadNumbers(ref reader, into.AsSpan(row * layout.TransmissionCount, layout.TransmissionCount)))
            {
                return false;
            }
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>An array of exactly into.Length numbers at the reader's StartArray.</summary>
    private static bool ReadNumbers(ref Utf8JsonReader reader, Span<double> into)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        for (int k = 0; k < into.Length; k++)
        {
            if (!reader.Read() || !TryNumber(ref reader, out into[k]))
            {
                return false;
            }
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>[[theta_min, theta_max] x I] at the reader's StartArray, into <paramref name="into"/> [2I].</summary>
    private static bool ReadRegions(ref Utf8JsonReader reader, int bsCount, double[] into)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        for (int i = 0; i < bsCount; i++)
        {
            if (!reader.Read() || !ReadNumbers(ref reader, into.AsSpan(2 * i, 2)))
            {
                return false;
            }
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>The number at the reader, if it is one and finite within float32's range (as the JsonDocument path requires).</summary>
    private static bool TryNumber(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value) && double.IsFinite(value) && Math.Abs(value) <= float.MaxValue;
    }
}
