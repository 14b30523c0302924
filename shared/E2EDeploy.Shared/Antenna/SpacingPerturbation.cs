using E2EDeploy.Shared.Numerics;
using E2EDeploy.Shared.Scenarios;
using MathNet.Numerics.Distributions;

namespace E2EDeploy.Shared.Antenna;

/// <summary>
/// One realisation of the array spacing perturbation of eq. (4): d_k = lambda/2 + gamma_k,
/// gamma_k ~ N(0, sigma_lambda^2), k = 1..N-1, stored in wavelengths, with the element-position
/// model of docs/conventions.md point 7.
/// </summary>
public sealed class SpacingPerturbation
{
    private readonly double[] spacings;

    /// <summary>Creates a realisation from explicit spacings d_1..d_{N-1} in wavelengths.</summary>
    public SpacingPerturbation(ReadOnlySpan<double> spacingsWavelengths, ElementPositionModel model, int? seed = null)
    {
        Guard.AtLeast(spacingsWavelengths.Length, 1, "spacing count (N - 1)");
        Guard.AllFinite(spacingsWavelengths);
        if (!Enum.IsDefined(model))
        {
            throw new ArgumentOutOfRangeException(nameof(model), model, $"model = {model}: expected Paper or Cumulative.");
        }

        spacings = spacingsWavelengths.ToArray();
        Model = model;
        Seed = seed;
    }

    /// <summary>d_k / lambda, k = 1..N-1, [N - 1].</summary>
    public ReadOnlySpan<double> SpacingsWavelengths => spacings;

    /// <summary>How spacings become positions.</summary>
    public ElementPositionModel Model { get; }

    /// <summary>The seed this realisation was drawn from, if drawn.</summary>
    public int? Seed { get; }

    /// <summary>N_Tx = spacings + 1.</summary>
    public int ElementCount => spacings.Length + 1;

    /// <summary>Draws d_k = 1/2 + gamma_k (wavelengths), gamma_k ~ N(0, stdDevWavelengths^2), from <paramref name="seed"/>.</summary>
    /// <param name="elementCount">N_Tx &gt;= 2.</param>
    /// <param name="stdDevWavelengths">sigma_lambda / lambda &gt;= 0 (paper: 0.01).</param>
    /// <param name="model">Element-position model (docs/conventions.md point 7).</param>
    /// <param name="seed">Seed of the realisation.</param>
    public static SpacingPerturbation Draw(int elementCount, double stdDevWavelengths, ElementPositionModel model, int seed)
    {
        Guard.AtLeast(elementCount, 2);
        if (!(stdDevWavelengths >= 0) || !double.IsFinite(stdDevWavelengths))
        {
            throw new ArgumentOutOfRangeException(nameof(stdDevWavelengths), stdDevWavelengths, $"stdDevWavelengths = {stdDevWavelengths}: expected a finite value >= 0.");
        }

        Random random = RandomSources.Create(seed);
        var d = new double[elementCount - 1];
        for (int k = 0; k < d.Length; k++)
        {
            d[k] = 0.5 + (stdDevWavelengths == 0 ? 0 : Normal.Sample(random, 0, stdDevWavelengths));
        }

        return new SpacingPerturbation(d, model, seed);
    }

    /// <summary>
    /// Element positions x_k in wavelengths, [N]:
    /// <see cref="ElementPositionModel.Paper"/>: x_0 = 0, x_k = k d_k (k &gt;= 1), the literal reading of eq. (4);
    /// <see cref="ElementPositionModel.Cumulative"/>: x_k = d_1 + ... + d_k.
    /// </summary>
    public ReadOnlySpan<double> ElementPositionsWavelengths()
    {
        var x = new double[ElementCount];
        double sum = 0;
        for (int k = 1; k < x.Length; k++)
        {
            sum += spacings[k - 1];
            x[k] = Model == ElementPositionModel.Paper ? k * spacings[k - 1] : sum;
        }

        return x;
    }
}
