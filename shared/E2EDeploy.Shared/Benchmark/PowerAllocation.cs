using System.Numerics;
using E2EDeploy.Shared.Antenna;
using E2EDeploy.Shared.Channel;
using E2EDeploy.Shared.Geometry;
using E2EDeploy.Shared.Numerics;
using MathNet.Numerics.LinearAlgebra;
using DenseVector = MathNet.Numerics.LinearAlgebra.Vector<double>;

namespace E2EDeploy.Shared.Benchmark;

/// <summary>The CRB-optimal power allocation of a codebook and its optimality certificate.</summary>
/// <param name="Powers">rho_t &gt;= 0 with sum rho_t = 1, [T].</param>
/// <param name="GridRad">The angles theta_k on which the worst case is taken, rad, [K].</param>
/// <param name="WorstCaseFisherPerUnitSnr">min_k J(theta_k; rho) / SNR, rad^-2.</param>
/// <param name="DualWeights">w_k &gt;= 0, sum w_k = 1: the weights of the grid angles in the dual problem, [K].</param>
/// <param name="RelativeDualityGap">(upper bound - lower bound) / lower bound on the optimal worst-case J: a certificate of optimality.</param>
/// <param name="NewtonSteps">Newton steps taken.</param>
public sealed record PowerAllocationResult(
    double[] Powers,
    double[] GridRad,
    double WorstCaseFisherPerUnitSnr,
    double[] DualWeights,
    double RelativeDualityGap,
    int NewtonSteps);

/// <summary>
/// Solves the benchmark's power allocation (docs/conventions.md point 4): choose rho on the simplex to maximise
/// min_k J(theta_k; rho) over a dense grid of U, where F = F_heur diag(sqrt rho).
/// With r = F_heur^T a(theta), r' = F_heur^T a'(theta):
/// J / (2 SNR) = sum_t rho_t |r'_t|^2 - |sum_t rho_t conj(r_t) r'_t|^2 / sum_t rho_t |r_t|^2,
/// a linear term minus a quadratic-over-linear term, hence concave in rho. The max-min problem
/// max s s.t. J_k(rho) &gt;= s, rho &gt;= 0, 1^T rho = 1 is solved by a log-barrier interior-point method
/// with equality-constrained Newton steps; the result carries a duality-gap certificate computed from
/// the dual weights w_k: by concavity, sum_k w_k J_k(rho') &lt;= sum_k w_k J_k(rho) + max_t G_t - rho^T G
/// with G = sum_k w_k grad J_k(rho), an upper bound on the optimum for every rho'.
/// </summary>
public static class PowerAllocation
{
    /// <summary>Default number of grid angles (docs/conventions.md point 4 asks for at least 64).</summary>
    public const int DefaultGridPoints = 128;

    /// <summary>Default target for the certified relative duality gap: the worst-case Fisher information is within this fraction of the optimum.</summary>
    public const double DefaultRelativeTolerance = 1e-6;

    /// <summary>Solves the allocation for codebook <paramref name="codebook"/> (unit-norm columns) over <paramref name="region"/>.</summary>
    /// <param name="codebook">F_heur, [N_Tx, T].</param>
    /// <param name="designArray">The array model used for the design (nominal for the paper's benchmark).</param>
    /// <param name="region">U, rad.</param>
    /// <param name="gridPoints">K &gt;= 2, the number of evenly spaced angles of U on which the worst case is taken.</param>
    /// <param name="relativeTolerance">Target relative duality gap (the certificate in the result says what was reached).</param>
    public static PowerAllocationResult Solve(Precoder codebook, ArrayResponse designArray, AngularRegion region, int gridPoints = DefaultGridPoints, double relativeTolerance = DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentNullException.ThrowIfNull(designArray);
        Guard.AtLeast(gridPoints, 2);
        if (!(relativeTolerance > 0 && relativeTolerance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, $"relativeTolerance = {relativeTolerance}: expected a value in (0, 1).");
        }

        if (codebook.AntennaCount != designArray.ElementCount)
        {
            throw new ArgumentException($"the codebook has N_Tx = {codebook.AntennaCount} rows: expected {designArray.ElementCount}.", nameof(codebook));
        }

        double[] grid = region.EvenGrid(gridPoints);
        var problem = new Problem(codebook, designArray, grid);
        return new BarrierSolver(problem, relativeTolerance).Run(grid);
    }

    /// <summary>The coefficients of J_k(rho) / (2 SNR) = A_k rho - ((U_k rho)^2 + (V_k rho)^2) / (E_k rho), scaled so that min_k J_k(uniform) = 1.</summary>
    private sealed class Problem
    {
        public Problem(Precoder codebook, ArrayResponse array, double[] grid)
        {
            int t = codebook.TransmissionCount;
            Columns = t;
            Rows = grid.Length;
            Linear = new double[Rows, t];
            Denominator = new double[Rows, t];
            CrossReal = new double[Rows, t];
            CrossImaginary = new double[Rows, t];
            var r = new Complex[t];
            var dr = new Complex[t];
            for (int k = 0; k < Rows; k++)
            {
                codebook.ResponseAt(array, grid[k], r, dr);
                for (int c = 0; c < t; c++)
                {
                    Linear[k, c] = dr[c].Magnitude * dr[c].Magnitude;
                    Denominator[k, c] = r[c].Magnitude * r[c].Magnitude;
                    Complex cross = Complex.Conjugate(r[c]) * dr[c];
                    CrossReal[k, c] = cross.Real;
                    CrossImaginary[k, c] = cross.Imaginary;
                }
            }

            var uniform = Enumerable.Repeat(1.0 / t, t).ToArray();
            double worst = double.PositiveInfinity;
            for (int k = 0; k < Rows; k++)
            {
                worst = Math.Min(worst, Value(k, uniform));
            }

            if (!(worst > 0))
            {
                throw new InvalidOperationException("the uniform allocation gives zero Fisher information somewhere in U: the codebook cannot resolve the AoD there.");
            }

            Scale = 1.0 / worst;
            for (int k = 0; k < Rows; k++)
            {
                for (int c = 0; c < t; c++)
                {
                    Linear[k, c] *= Scale;
                    Denominator[k, c] *= Scale;
                    CrossReal[k, c] *= Scale;
                    CrossImaginary[k, c] *= Scale;
                }
            }
        }

        public int Rows { get; }

        public int Columns { get; }

        /// <summary>Factor applied to J / (2 SNR).</summary>
        public double Scale { get; }

        public double[,] Linear { get; }

        public double[,] Denominator { get; }

        public double[,] CrossReal { get; }

        public double[,] CrossImaginary { get; }

        public double Value(int k, ReadOnlySpan<double> rho)
        {
            (double linear, double u, double v, double w) = Dots(k, rho);
            return linear - (((u * u) + (v * v)) / w);
        }

        public (double Linear, double U, double V, double W) Dots(int k, ReadOnlySpan<double> rho)
        {
            double linear = 0, u = 0, v = 0, w = 0;
            for (int c = 0; c < Columns; c++)
            {
                linear += Linear[k, c] * rho[c];
                u += CrossReal[k, c] * rho[c];
                v += CrossImaginary[k, c] * rho[c];
                w += Denominator[k, c] * rho[c];
            }

            return (linear, u, v, w);
        }

        /// <summary>grad J_k = A_k - 2 (u U_k + v V_k) / w + ((u^2 + v^2) / w^2) E_k.</summary>
        public void Gradient(int k, ReadOnlySpan<double> rho, Span<double> gradient)
        {
            (_, double u, double v, double w) = Dots(k, rho);
            double q = ((u * u) + (v * v)) / (w * w);
            for (int c = 0; c < Columns; c++)
            {
                gradient[c] = Linear[k, c] - (2.0 * ((u * CrossReal[k, c]) + (v * CrossImaginary[k, c])) / w) + (q * Denominator[k, c]);
            }
        }
    }

    /// <summary>Log-barrier method on (rho, s): minimise -tau s - sum_k log(J_k(rho) - s) - sum_t log rho_t subject to 1^T rho = 1.</summary>
    private sealed class BarrierSolver
    {
        private const int MaxStepsPerCentring = 100;
        private const double MaxTau = 1e12;
        private readonly Problem problem;
        private readonly double tolerance;
        private readonly double[] rho;
        private double s;
        private double tau;

        public BarrierSolver(Problem problem, double tolerance)
        {
            this.problem = problem;
            this.tolerance = tolerance;
            rho = Enumerable.Repeat(1.0 / problem.Columns, problem.Columns).ToArray();
            s = 0.5; // the scaled worst case at the uniform start is 1
            tau = problem.Rows + problem.Columns;
        }

        public int NewtonSteps { get; private set; }

        /// <summary>
        /// Centres for growing tau and, after each centring, computes the duality-gap certificate; stops once the
        /// best certificate meets the tolerance (or tau reaches the limit where the Newton system loses precision).
        /// </summary>
        public PowerAllocationResult Run(double[] grid)
        {
            PowerAllocationResult? best = null;
            while (true)
            {
                bool centred = Center();
                PowerAllocationResult? certified = Certify(grid);
                if (certified is not null && (best is null || certified.RelativeDualityGap < best.RelativeDualityGap))
                {
                    best = certified;
                }

                // Stop at the tolerance, or where double precision no longer lets Newton centre (tau ~ 1e10 here).
                if ((best is not null && best.RelativeDualityGap <= tolerance) || tau >= MaxTau || (!centred && best is not null))
                {
                    return best ?? throw new InvalidOperationException($"power allocation found no certified solution up to tau = {tau:g3}.");
                }

                tau *= 10;
            }
        }

        /// <summary>
        /// The current iterate with its dual weights w_k = 1 / (tau (J_k - s)), normalised, and the certificate
        /// UB = sum_k w_k J_k(rho) + max_t G_t - rho^T G &gt;= optimum &gt;= LB = min_k J_k(rho); null if some slack of the iterate is not positive.
        /// </summary>
        private PowerAllocationResult? Certify(double[] grid)
        {
            int rows = problem.Rows;
            double total = rho.Sum();
            double[] powers = rho.Select(x => x / total).ToArray();
            var values = new double[rows];
            var slacks = new double[rows];
            for (int k = 0; k < rows; k++)
            {
                values[k] = problem.Value(k, powers);

                // The weights come from the barrier iterate itself, where every slack is positive; the certificate
                // is valid for any weights on the simplex, so rounding here can only loosen it.
                slacks[k] = problem.Value(k, rho) - s;
                if (!(slacks[k] > 0))
                {
                    return null;
                }
            }

            // Two weightings: the barrier's w_k = 1 / (tau slack_k), and the same restricted to the nearly active
            // grid angles (dropping the O(1/tau) weight that centring leaves on inactive ones). Keep the tighter bound.
            double smallest = slacks.Min();
            double[] barrierWeights = slacks.Select(g => 1.0 / (tau * g)).ToArray();
            double[] activeWeights = slacks.Select(g => g <= 100 * smallest ? 1.0 / (tau * g) : 0.0).ToArray();
            (double gap, double[] weights) = new[] { barrierWeights, activeWeights }
                .Select(w => (Gap: RelativeGap(powers, values, w), Weights: w))
                .MinBy(candidate => candidate.Gap);
            return new PowerAllocationResult(powers, grid, 2.0 * values.Min() / problem.Scale, weights, gap, NewtonSteps);
        }

        /// <summary>
        /// Normalises <paramref name="weights"/> in place and returns (UB - LB) / LB with
        /// UB = sum_k w_k J_k(rho) + max_t G_t - rho^T G, G = sum_k w_k grad J_k(rho), and LB = min_k J_k(rho).
        /// </summary>
        private double RelativeGap(double[] powers, double[] values, double[] weights)
        {
            int columns = problem.Columns;
            double weightSum = weights.Sum();
            var combined = new double[columns];
            var gradient = new double[columns];
            double weightedValue = 0;
            for (int k = 0; k < problem.Rows; k++)
            {
                weights[k] /= weightSum;
                if (weights[k] == 0)
                {
                    continue;
                }

                problem.Gradient(k, powers, gradient);
                weightedValue += weights[k] * values[k];
                for (int c = 0; c < columns; c++)
                {
                    combined[c] += weights[k] * gradient[c];
                }
            }

            double upper = weightedValue + combined.Max() - combined.Select((g, c) => g * powers[c]).Sum();
            double lower = values.Min();
            return (upper - lower) / lower;
        }

        /// <summary>Newton's method on the barrier for the current tau; false if it stopped without converging.</summary>
        private bool Center()
        {
            int t = problem.Columns;
            int size = t + 2; // rho, s, and the multiplier of 1^T rho = 1
            var gradient = new double[t + 1];
            var jGradient = new double[t];
            var step = new double[t + 1];
            int stepsThisCentring = 0;
            while (true)
            {
                if (++stepsThisCentring > MaxStepsPerCentring)
                {
                    return false;
                }

                NewtonSteps++;

                Matrix<double> kkt = Matrix<double>.Build.Dense(size, size);
                Array.Clear(gradient);
                for (int k = 0; k < problem.Rows; k++)
                {
                    (double linear, double u, double v, double w) = problem.Dots(k, rho);
                    double g = linear - (((u * u) + (v * v)) / w) - s;
                    problem.Gradient(k, rho, jGradient);
                    double inverse = 1.0 / g;
                    double inverse2 = inverse * inverse;
                    for (int c = 0; c < t; c++)
                    {
                        gradient[c] -= jGradient[c] * inverse;
                    }

                    gradient[t] += inverse;

                    // (1/g^2) d d^T with d = [grad J; -1], plus (1/g) Hess f_k with Hess f = (2/w)(P1 P1^T + P2 P2^T).
                    double factor = 2.0 * inverse / w;
                    for (int c1 = 0; c1 < t; c1++)
                    {
                        double p1a = problem.CrossReal[k, c1] - (u / w * problem.Denominator[k, c1]);
                        double p2a = problem.CrossImaginary[k, c1] - (v / w * problem.Denominator[k, c1]);
                        for (int c2 = 0; c2 <= c1; c2++)
                        {
                            double p1b = problem.CrossReal[k, c2] - (u / w * problem.Denominator[k, c2]);
                            double p2b = problem.CrossImaginary[k, c2] - (v / w * problem.Denominator[k, c2]);
                            double h = (inverse2 * jGradient[c1] * jGradient[c2]) + (factor * ((p1a * p1b) + (p2a * p2b)));
                            kkt[c1, c2] += h;
                        }

                        kkt[c1, t] -= inverse2 * jGradient[c1];
                    }

                    kkt[t, t] += inverse2;
                }

                gradient[t] -= tau;
                for (int c = 0; c < t; c++)
                {
                    gradient[c] -= 1.0 / rho[c];
                    kkt[c, c] += 1.0 / (rho[c] * rho[c]);
                    kkt[c, t + 1] = 1.0;
                    kkt[t + 1, c] = 1.0;
                }

                // Mirror the lower triangle of the rho block, and the s column into the s row.
                for (int c1 = 0; c1 < t; c1++)
                {
                    for (int c2 = c1 + 1; c2 < t; c2++)
                    {
                        kkt[c1, c2] = kkt[c2, c1];
                    }

                    kkt[t, c1] = kkt[c1, t];
                }

                DenseVector rhs = DenseVector.Build.Dense(size);
                for (int c = 0; c <= t; c++)
                {
                    rhs[c] = -gradient[c];
                }

                // Symmetric diagonal scaling by D = diag(rho, 1, 1): the barrier's 1/rho_t^2 terms become 1, which keeps the
                // system well conditioned when some rho_t approach 0. Solve (D K D) z = D rhs, then step = D z.
                var scaling = DenseVector.Build.Dense(size, c => c < t ? rho[c] : 1.0);
                Matrix<double> scaled = Matrix<double>.Build.Dense(size, size, (i, j) => scaling[i] * kkt[i, j] * scaling[j]);
                DenseVector solution = scaled.LU().Solve(rhs.PointwiseMultiply(scaling)).PointwiseMultiply(scaling);
                for (int c = 0; c <= t; c++)
                {
                    step[c] = solution[c];
                }

                // Newton decrement lambda^2 = step^T H step over the (rho, s) block. (-gradient^T step would add
                // nu * 1^T step, a rounding-level constraint residual times a multiplier of order tau.)
                double decrement = 0;
                for (int i = 0; i <= t; i++)
                {
                    for (int j = 0; j <= t; j++)
                    {
                        decrement += step[i] * kkt[i, j] * step[j];
                    }
                }

                if (!double.IsFinite(decrement))
                {
                    throw new InvalidOperationException("power allocation: the Newton system became singular.");
                }

                if (decrement / 2 <= 1e-14)
                {
                    return true;
                }

                double length = LineSearch(step, gradient, decrement);
                if (length == 0)
                {
                    return false;
                }

                for (int c = 0; c < t; c++)
                {
                    rho[c] += length * step[c];
                }

                s += length * step[t];

                // J is homogeneous of degree 1 in rho, so rescaling (rho, s) back onto 1^T rho = 1 keeps every slack positive.
                double total = rho.Sum();
                for (int c = 0; c < t; c++)
                {
                    rho[c] /= total;
                }

                s /= total;
            }
        }

        private double LineSearch(double[] step, double[] gradient, double decrement)
        {
            int t = problem.Columns;
            double current = Objective(rho, s);
            var candidate = new double[t];
            for (double length = 1.0; length > 1e-20; length *= 0.5)
            {
                for (int c = 0; c < t; c++)
                {
                    candidate[c] = rho[c] + (length * step[c]);
                }

                double candidateS = s + (length * step[t]);
                double value = Objective(candidate, candidateS);

                // Inside the region of quadratic convergence (Newton decrement lambda < 0.1) a feasible full step
                // is taken without the sufficient-decrease test, which rounding in |phi| ~ tau would make noisy.
                bool quadratic = decrement < 1e-2 && length == 1.0 && double.IsFinite(value);
                if (quadratic || value <= current - (0.25 * length * decrement))
                {
                    return length;
                }
            }

            return 0;
        }

        /// <summary>The barrier objective, +infinity outside the domain.</summary>
        private double Objective(double[] point, double level)
        {
            double value = -tau * level;
            foreach (double r in point)
            {
                if (!(r > 0))
                {
                    return double.PositiveInfinity;
                }

                value -= Math.Log(r);
            }

            for (int k = 0; k < problem.Rows; k++)
            {
                double g = problem.Value(k, point) - level;
                if (!(g > 0))
                {
                    return double.PositiveInfinity;
                }

                value -= Math.Log(g);
            }

            return value;
        }
    }
}
