namespace E2EDeploy.Training.Training;

/// <summary>
/// Extra weight on gross errors in the training loss (beyond the paper): a sample whose error e exceeds
/// <see cref="Radius"/> adds <see cref="Weight"/> x (e^2 - radius^2) to its squared error, so that the loss's gradient on
/// threshold outliers is (1 + weight) times the MSE's. At low SNR, where rare outliers carry the RMSE's excess over the
/// bound, this asks the precoders for fewer ambiguities rather than a smaller error on the typical draw.
/// </summary>
/// <param name="Weight">Extra weight, &gt; 0.</param>
/// <param name="Radius">Error beyond which a sample counts as an outlier, in the model's user unit: deg (AoD) or m (position), &gt; 0.</param>
public sealed record OutlierEmphasis(double Weight, double Radius);
