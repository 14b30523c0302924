using System.Numerics;
using E2EDeploy.Inference;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Models;

namespace E2EDeploy.Validation;

/// <summary>
/// A manifest's golden case run through the public runtime API one row at a time, as a simulator calls it, with the
/// outputs in the contract layout (float32, row-major): F as real parts then imaginary parts, theta_hat in rad, p_hat in
/// m. What the model-versioned regression tests and e2e-train move-scoring compare with the recorded golden outputs.
/// </summary>
public static class GoldenReplay
{
    /// <summary>The outputs of the file <paramref name="file"/> of the version in <paramref name="folder"/> for <paramref name="golden"/>'s inputs.</summary>
    public static float[] Run(string folder, ManifestFile file, ModelManifest manifest, GoldenCase golden)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(golden);
        int rows = (int)golden.InputShape[0];
        ModelReference reference = ModelReference.File(Path.Combine(folder, file.File));
        switch (ModelContract.ParseKind(file.Kind))
        {
            case ModelKind.Precoder:
            {
                using BsPrecoder precoder = BsPrecoder.Load(reference);
                int size = precoder.AntennaCount * precoder.TransmissionCount;
                var output = new float[rows * 2 * size];
                var f = new Complex[size];
                for (int r = 0; r < rows; r++)
                {
                    precoder.Compute(new AngularRegion(golden.Input[3 * r], golden.Input[(3 * r) + 1]), f);
                    for (int k = 0; k < size; k++)
                    {
                        output[(r * 2 * size) + k] = (float)f[k].Real;
                        output[(r * 2 * size) + size + k] = (float)f[k].Imaginary;
                    }
                }

                return output;
            }

            case ModelKind.AodEstimator:
            {
                using UeAodEstimator estimator = UeAodEstimator.Load(reference);
                int t = manifest.TransmissionCount;
                var aods = new double[rows];
                if (!manifest.Estimator.TakesRegion)
                {
                    estimator.Estimate(ToComplex(golden.Input, rows, 1, t), aods);
                    return aods.Select(v => (float)v).ToArray();
                }

                // Rows of [y, xi]: each row its own region, through the public overload that takes U.
                int width = (2 * t) + ModelContract.RegionWidth;
                var y = new Complex[t];
                for (int r = 0; r < rows; r++)
                {
                    ContractLayout.ReadComplex(golden.Input.AsSpan(r * width, 2 * t), y);
                    aods[r] = estimator.Estimate(y, new AngularRegion(golden.Input[(r * width) + (2 * t)], golden.Input[(r * width) + (2 * t) + 1]));
                }

                return aods.Select(v => (float)v).ToArray();
            }

            default:
            {
                using UePositionEstimator estimator = UePositionEstimator.Load(reference);
                var positions = new double[rows * 2];
                if (!manifest.Estimator.TakesRegion)
                {
                    estimator.Estimate(ToComplex(golden.Input, rows, manifest.BaseStationCount, manifest.TransmissionCount), positions);
                    return positions.Select(v => (float)v).ToArray();
                }

                // Rows of [y_1, ..., y_I, xi_1, ..., xi_I]: each row its own regions, through the public overload that takes them.
                int bsCount = manifest.BaseStationCount;
                int observationWidth = 2 * bsCount * manifest.TransmissionCount;
                int rowWidth = observationWidth + (bsCount * ModelContract.RegionWidth);
                var regions = new AngularRegion[bsCount];
                for (int r = 0; r < rows; r++)
                {
                    float[] row = golden.Input.AsSpan(r * rowWidth, rowWidth).ToArray();
                    for (int i = 0; i < bsCount; i++)
                    {
                        regions[i] = new AngularRegion(row[observationWidth + (i * ModelContract.RegionWidth)], row[observationWidth + (i * ModelContract.RegionWidth) + 1]);
                    }

                    PlanePoint p = estimator.Estimate(ToComplex(row[..observationWidth], 1, bsCount, manifest.TransmissionCount), regions);
                    positions[2 * r] = p.X;
                    positions[(2 * r) + 1] = p.Y;
                }

                return positions.Select(v => (float)v).ToArray();
            }
        }
    }

    /// <summary>The estimator's golden case of <paramref name="manifest"/> run in <paramref name="folder"/> (see <see cref="Run"/>).</summary>
    public static float[] RunEstimator(string folder, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ManifestFile file = manifest.Files.Single(f => f.BaseStation is null);
        GoldenCase golden = manifest.Golden?.SingleOrDefault(g => g.File == file.File)
            ?? throw new InvalidDataException($"{manifest.Family}/{manifest.Version}: no golden case for {file.File}.");
        return Run(folder, file, manifest, golden);
    }

    /// <summary>Contract rows (per BS: T real parts, then T imaginary parts) back to complex observations [rows, I, T].</summary>
    private static Complex[] ToComplex(float[] input, int rows, int bsCount, int t)
    {
        var values = new Complex[rows * bsCount * t];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < bsCount; i++)
            {
                int offset = (r * bsCount * 2 * t) + (i * 2 * t);
                ContractLayout.ReadComplex(input.AsSpan(offset, 2 * t), values.AsSpan(((r * bsCount) + i) * t, t));
            }
        }

        return values;
    }
}
