using System.Text.Json.Serialization;

namespace E2EDeploy.Training.Networks;

/// <summary>What a UE-side decoder computes from y before its MLP.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DecoderInput>))]
public enum DecoderInput
{
    /// <summary>The paper's input: y itself, [B, 2 K T] (Table I).</summary>
    Raw,

    /// <summary>
    /// The products y_t conj(y_s) of every BS's observation (<see cref="GramFeatures"/>), [B, 2 K T^2]: invariant to the
    /// unknown gain phase, and linear in the statistic |b(theta)^H y|^2 of the ML estimator eq. (11).
    /// </summary>
    Gram,
}
