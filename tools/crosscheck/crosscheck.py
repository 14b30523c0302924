#!/usr/bin/env python3
"""Independent cross-check of the released models (README, "An independent cross-check").

Nothing here shares code with the C# solution. The ONNX files run on a small NumPy interpreter of the ONNX operators
they use (ONNX operator spec, opset 17), or on Python's onnxruntime where it is installed; the channel, the CRB and the
PEB are written again from docs/conventions.md (points 1, 3, 8 and 11), in NumPy, with NumPy's random numbers.

Per released version under --models:
  1. the files' SHA-256 against the manifest, and the manifest's golden inputs through the interpreter against its golden
     outputs (which ONNX Runtime wrote at export);
  2. where the true arrays are known without the C# random draws (impairment none or coupling), a Monte Carlo run at the
     paper's test points, learned RMSE over its own bound, next to the C# figures of docs/models (e2e validate): the two
     agree when the ratios, and the AoD bounds (sqrt(mean CRB) over the draws of theta), differ by at most 3 combined
     standard errors; the PEB, at one point, must agree to --bound-floor (float32 rounding).
     Spacing-perturbed arrays come from the C# seeded draws, which this script does not repeat; those versions get
     check 1 only.

Usage (from the repository root; needs numpy and onnx, and onnxruntime for --runtime onnxruntime or both):
  python3 tools/crosscheck/crosscheck.py --trials 10000 --seed 1 --out crosscheck.md
Exit code: 0 when every check agrees, 1 when one does not, 2 for bad arguments or missing files.
"""

import argparse
import functools
import glob
import hashlib
import json
import math
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper


# ----------------------------------------------------------------------------------------------------------------------
# A NumPy interpreter of the operators the exported graphs use (ONNX opset 17 semantics).

def _reduce_axes(axes):
    return None if axes is None or len(axes) == 0 else tuple(int(a) for a in axes)


def _reshape(args, attrs):
    data, shape = args
    target = [int(s) for s in shape]
    if not attrs.get("allowzero", 0):
        target = [data.shape[i] if s == 0 else s for i, s in enumerate(target)]
    return np.reshape(data, target)


def _gemm(args, attrs):
    a, b = args[0], args[1]
    if attrs.get("transA", 0):
        a = a.T
    if attrs.get("transB", 0):
        b = b.T
    y = attrs.get("alpha", 1.0) * (a @ b)
    if len(args) > 2 and args[2] is not None:
        y = y + attrs.get("beta", 1.0) * args[2]
    return y.astype(a.dtype, copy=False)


def _reduce_sum(args, attrs):
    axes = _reduce_axes(args[1] if len(args) > 1 else None)
    if axes is None and attrs.get("noop_with_empty_axes", 0):
        return args[0]
    return np.sum(args[0], axis=axes, keepdims=bool(attrs.get("keepdims", 1)))


def _reduce_sum_square(args, attrs):
    axes = _reduce_axes(attrs.get("axes"))
    return np.sum(args[0] * args[0], axis=axes, keepdims=bool(attrs.get("keepdims", 1)))


OPS = {
    "Gather": lambda a, t: np.take(a[0], a[1], axis=t.get("axis", 0)),
    "Reshape": _reshape,
    "Concat": lambda a, t: np.concatenate(a, axis=t["axis"]),
    "Gemm": _gemm,
    "MatMul": lambda a, t: np.matmul(a[0], a[1]),
    "Add": lambda a, t: a[0] + a[1],
    "Sub": lambda a, t: a[0] - a[1],
    "Mul": lambda a, t: a[0] * a[1],
    "Div": lambda a, t: a[0] / a[1],
    "Neg": lambda a, t: -a[0],
    "Relu": lambda a, t: np.maximum(a[0], 0).astype(a[0].dtype, copy=False),
    "Tanh": lambda a, t: np.tanh(a[0]),
    "Sqrt": lambda a, t: np.sqrt(a[0]),
    "Sin": lambda a, t: np.sin(a[0]),
    "Cos": lambda a, t: np.cos(a[0]),
    "Atan": lambda a, t: np.arctan(a[0]),
    "Min": lambda a, t: functools.reduce(np.minimum, a),
    "Max": lambda a, t: functools.reduce(np.maximum, a),
    "ReduceSum": _reduce_sum,
    "ReduceSumSquare": _reduce_sum_square,
    "Greater": lambda a, t: np.greater(a[0], a[1]),
    "Where": lambda a, t: np.where(a[0], a[1], a[2]),
}


class NumpyGraph:
    """One ONNX graph, evaluated node by node in NumPy; inputs and outputs by the graph's names."""

    def __init__(self, path):
        model = onnx.load(path)
        self.initializers = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        self.nodes = list(model.graph.node)
        unknown = sorted({n.op_type for n in self.nodes} - OPS.keys())
        if unknown:
            raise ValueError(f"{path}: operators {unknown} are not in this interpreter")
        self.input_names = [i.name for i in model.graph.input if i.name not in self.initializers]
        self.output_names = [o.name for o in model.graph.output]

    def run(self, x):
        env = dict(self.initializers)
        env[self.input_names[0]] = x
        for node in self.nodes:
            args = [env[name] if name else None for name in node.input]
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            env[node.output[0]] = OPS[node.op_type](args, attrs)
        return env[self.output_names[0]]


class OrtGraph:
    """The same interface on Python's onnxruntime (CPU)."""

    def __init__(self, path):
        import onnxruntime as ort
        self.session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name

    def run(self, x):
        return self.session.run(None, {self.input_name: x})[0]


class Model:
    """One released version: its manifest and its graphs on the chosen runtime(s)."""

    def __init__(self, folder, runtime):
        self.folder = folder
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.runtime = runtime
        self.graphs = {}

    def graph(self, file, runtime=None):
        runtime = runtime or ("numpy" if self.runtime == "both" else self.runtime)
        key = (file, runtime)
        if key not in self.graphs:
            path = os.path.join(self.folder, file)
            self.graphs[key] = NumpyGraph(path) if runtime == "numpy" else OrtGraph(path)
        return self.graphs[key]

    def run(self, file, x):
        """Runs in batches of 2,000 rows; with --runtime both, also on onnxruntime, and returns the largest difference."""
        outputs, difference = [], 0.0
        for start in range(0, x.shape[0], 2000):
            chunk = np.ascontiguousarray(x[start:start + 2000], dtype=np.float32)
            y = np.asarray(self.graph(file).run(chunk), dtype=np.float64)
            if self.runtime == "both":
                other = np.asarray(self.graph(file, "onnxruntime").run(chunk), dtype=np.float64)
                difference = max(difference, float(np.max(np.abs(y - other))))
            outputs.append(y)
        return np.concatenate(outputs, axis=0), difference


# ----------------------------------------------------------------------------------------------------------------------
# The physics, from docs/conventions.md.

def coupling_matrix(n, coupling):
    """B of point 8: banded symmetric Toeplitz, c_k for |m - n| = k <= M; the zeta family rescaled to ||B_default||_F."""
    phases = np.deg2rad(np.asarray(coupling["phasesDeg"], dtype=float))
    reference = np.asarray(coupling["magnitudes"], dtype=float) * np.exp(1j * phases)
    c = reference
    if coupling.get("decayZeta") is not None:
        c = np.exp(-coupling["decayZeta"] * np.arange(len(phases))) * np.exp(1j * phases)
    b = np.zeros((n, n), dtype=complex)
    for k, value in enumerate(c):
        b += value * (np.eye(n, k=k) + (np.eye(n, k=-k) if k else 0))
    if coupling.get("decayZeta") is not None:
        default = coupling_matrix(n, {**coupling, "decayZeta": None})
        b *= np.linalg.norm(default) / np.linalg.norm(b)
    return b


def steering(theta, n, coupling_b):
    """a(theta) and da/dtheta, [K, N]: element k at k / 2 wavelengths, phase 2 pi x_k sin(theta) (point 1); B a with coupling."""
    x = 0.5 * np.arange(n)
    theta = np.atleast_1d(theta)[:, None]
    a = np.exp(2j * np.pi * x * np.sin(theta))
    da = 2j * np.pi * x * np.cos(theta) * a
    if coupling_b is not None:
        a, da = a @ coupling_b.T, da @ coupling_b.T
    return a, da


def fisher(f, theta, snr, n, coupling_b):
    """J(theta) of point 3 with the gain unknown: 2 SNR (||db||^2 - |b^H db|^2 / ||b||^2), b = F^T a; [K]."""
    a, da = steering(theta, n, coupling_b)
    b, db = a @ f, da @ f
    bb = np.sum(np.abs(b) ** 2, axis=1)
    return 2 * snr * (np.sum(np.abs(db) ** 2, axis=1) - np.abs(np.sum(np.conj(b) * db, axis=1)) ** 2 / bb)


def aod_of(bs, p):
    """theta_i = atan2(p_x - q_x, p_y - q_y) - psi_i (point 1), rad."""
    q = bs["position"]
    return math.atan2(p[0] - q["x"], p[1] - q["y"]) - math.radians(bs["orientationDeg"])


def estimator_of(m):
    """The manifest's estimator object; older manifests carry the same facts as separate estimator* fields."""
    if "estimator" in m:
        return m["estimator"]
    steps = m.get("estimatorRefinementSteps", 0)
    return {"kind": "fisher-scoring" if steps else "learned-decoder", "takesRegion": m.get("estimatorTakesRegion", False),
            "refinementSteps": steps, "array": m.get("estimatorArray")}


def ue_arrays(m):
    """The UE's array model of each BS for scoring steps the runtime runs: (2 pi x [N], B^T [N, N] or None)."""
    n, count = m["antennaCount"], m["baseStationCount"]
    arrays = estimator_of(m).get("arrays")
    if arrays is None:
        return [(2 * np.pi * 0.5 * np.arange(n), None)] * count
    return [(2 * np.pi * np.asarray(a["elementPositionsWavelengths"]),
             np.asarray(a["couplingTransposeReal"]).reshape(n, n) + 1j * np.asarray(a["couplingTransposeImaginary"]).reshape(n, n))
            for a in arrays]


def scoring_terms(y, g, phase, theta):
    """The Fisher-scoring terms of the concentrated likelihood with the gain unknown, per row: b = G^T a(theta),
    d = G^T da/dtheta, alpha = b^H y / ||b||^2, r = y - alpha b; score Re(conj(alpha) d^H r), information
    |alpha|^2 (||d||^2 - |b^H d|^2 / ||b||^2), correlation |b^H y|^2 / ||b||^2 (all x sigma^2 / 2). y [K, T], theta [K]."""
    a = np.exp(1j * phase[None, :] * np.sin(theta)[:, None])
    da = 1j * phase[None, :] * np.cos(theta)[:, None] * a
    b, d = a @ g, da @ g
    bb = np.sum(np.abs(b) ** 2, axis=1)
    by = np.sum(np.conj(b) * y, axis=1)
    alpha = by / bb
    r = y - alpha[:, None] * b
    score = np.real(np.conj(alpha) * np.sum(np.conj(d) * r, axis=1))
    information = np.abs(alpha) ** 2 * (np.sum(np.abs(d) ** 2, axis=1) - np.abs(np.sum(np.conj(b) * d, axis=1)) ** 2 / bb)
    return score, information, np.abs(by) ** 2 / bb


def runtime_channels(model, xis):
    """(G_i = B_i^T F_i, 2 pi x_i) of every BS for its region xi_i."""
    return [((f if bt is None else bt @ f), phase) for (phase, bt), f in
            zip(ue_arrays(model.manifest), (precoder(model, i, xi) for i, xi in enumerate(xis)))]


def refine_aod(y, channels, start, lo, hi, steps):
    """The scoring steps after an AoD decoder: per BS from the start projected onto [lo, hi], steps clipped to 0.1 rad and
    projected, then the BS with the largest correlation (a later BS only when strictly larger)."""
    start = np.clip(start, lo, hi)
    best, best_correlation = None, None
    for g, phase in channels:
        theta = start.copy()
        for _ in range(steps):
            score, information, _ = scoring_terms(y, g, phase, theta)
            theta = np.clip(theta + np.clip(score / np.maximum(information, 1e-12), -0.1, 0.1), lo, hi)
        correlation = scoring_terms(y, g, phase, theta)[2]
        if best is None:
            best, best_correlation = theta, correlation
        else:
            best = np.where(correlation > best_correlation, theta, best)
            best_correlation = np.maximum(correlation, best_correlation)
    return best


def refine_position(ys, channels, stations, area, start, steps):
    """The joint scoring steps in p after a position decoder: J_p = sum J_i g_i g_i^T damped by 1e-3 trace, the 2 x 2 solve
    in closed form, each coordinate clipped to 0.5 m, projected onto P = area (x_min, y_min, x_max, y_max)."""
    low, high = np.array(area[:2]), np.array(area[2:])
    p = np.clip(start, low, high)
    for _ in range(steps):
        j11 = j12 = j22 = sx = sy = 0.0
        for y, (g, phase), bs in zip(ys, channels, stations):
            dx, dy = p[:, 0] - bs["position"]["x"], p[:, 1] - bs["position"]["y"]
            r2 = dx * dx + dy * dy
            gx, gy = dy / r2, -dx / r2
            theta = np.arctan(dx / dy) - math.radians(bs["orientationDeg"])
            score, information, _ = scoring_terms(y, g, phase, theta)
            j11, j12, j22 = j11 + information * gx * gx, j12 + information * gx * gy, j22 + information * gy * gy
            sx, sy = sx + score * gx, sy + score * gy
        damping = (j11 + j22) * 1e-3
        j11, j22 = j11 + damping, j22 + damping
        det = np.maximum(j11 * j22 - j12 * j12, 1e-12)
        step = np.stack([np.clip((j22 * sx - j12 * sy) / det, -0.5, 0.5), np.clip((j11 * sy - j12 * sx) / det, -0.5, 0.5)], axis=1)
        p = np.clip(p + step, low, high)
    return p


def xi_of(lo, hi):
    return np.array([[lo, hi, (hi - lo) / 2]], dtype=np.float32)


def precoder(model, bs_index, xi):
    """F_i [N, T] complex from the BS's precoder graph (contract: real parts [N, T], then imaginary parts)."""
    out, _ = model.run(f"precoder-bs{bs_index + 1}.onnx", xi)
    return out[0, 0] + 1j * out[0, 1]


def observe(rng, f, theta, snr_db, n, coupling_b):
    """y = alpha F^T a~(theta) + noise, alpha = exp(j phi), noise CN(0, 10^(-SNR/10)); [K, T]."""
    a, _ = steering(theta, n, coupling_b)
    k, t = len(theta), f.shape[1]
    sigma = math.sqrt(10 ** (-snr_db / 10) / 2)
    alpha = np.exp(2j * np.pi * rng.random(k))[:, None]
    noise = sigma * (rng.standard_normal((k, t)) + 1j * rng.standard_normal((k, t)))
    return alpha * (a @ f) + noise


def as_rows(y):
    return np.concatenate([y.real, y.imag], axis=1)


def ratio_with_error(squared_errors, bound):
    """RMSE / bound and its standard error from the spread of the squared errors (delta method)."""
    mse = float(np.mean(squared_errors))
    se_mse = float(np.std(squared_errors) / math.sqrt(len(squared_errors)))
    ratio = math.sqrt(mse) / bound
    return math.sqrt(mse), ratio, 0.5 * ratio * se_mse / mse


def aod_point(model, rng, snr_db, trials, coupling_b):
    """Conventions point 11: BS 1, U1 = [40, 60] deg, theta ~ U(U1). Returns the squared errors (deg^2), sqrt(mean CRB)
    (deg), the bound's relative standard error over the draws of theta, and the NumPy-onnxruntime difference."""
    m = model.manifest
    n = m["antennaCount"]
    lo, hi = math.radians(40), math.radians(60)
    xi = xi_of(lo, hi)
    f = precoder(model, 0, xi)
    theta = rng.uniform(lo, hi, trials)
    observed = observe(rng, f, theta, snr_db, n, coupling_b)
    y = as_rows(observed)
    estimator = estimator_of(m)
    x = np.concatenate([y, np.repeat(xi, trials, axis=0)], axis=1) if estimator["takesRegion"] else y
    estimate, difference = model.run("aod-estimator.onnx", x)
    if estimator["kind"] == "fisher-scoring-runtime":
        # the graph is the decoder; the runtime's scoring steps, written again here in float64
        channels = runtime_channels(model, [xi] * m["baseStationCount"])
        estimate = refine_aod(observed, channels, estimate.reshape(-1), float(xi[0, 0]), float(xi[0, 1]), estimator["refinementSteps"])
    errors = np.rad2deg(estimate.reshape(-1) - theta)
    crb = 1 / fisher(f, theta, 10 ** (snr_db / 10), n, coupling_b)
    bound = math.degrees(math.sqrt(np.mean(crb)))
    # sqrt(mean CRB) over the draws of theta: its relative standard error by the delta method.
    return errors ** 2, bound, 0.5 * float(np.std(crb)) / (float(np.mean(crb)) * math.sqrt(trials)), difference


def position_point(model, rng, snr_db, trials, coupling_b):
    """Conventions point 11: p = [0.5, 5] m, U_i = theta_i(p) +/- 15 deg. Returns the squared errors (m^2), the PEB
    (point 3, m; one point, so no standard error) and the NumPy-onnxruntime difference."""
    m = model.manifest
    scenario = m["scenario"]
    n = m["antennaCount"]
    p = (0.5, 5.0)
    half = math.radians(scenario["positionPrior"]["regionHalfWidthDeg"])
    rows, xis, jp, observed = [], [], np.zeros((2, 2)), []
    for i, bs in enumerate(scenario["baseStations"]):
        theta = aod_of(bs, p)
        xi = xi_of(theta - half, theta + half)
        f = precoder(model, i, xi)
        observed.append(observe(rng, f, np.full(trials, theta), snr_db, n, coupling_b))
        rows.append(as_rows(observed[-1]))
        xis.append(np.repeat(xi, trials, axis=0))
        dx, dy = p[0] - bs["position"]["x"], p[1] - bs["position"]["y"]
        g = np.array([dy, -dx]) / (dx * dx + dy * dy)
        jp += fisher(f, np.array([theta]), 10 ** (snr_db / 10), n, coupling_b)[0] * np.outer(g, g)
    estimator = estimator_of(m)
    x = np.concatenate(rows + (xis if estimator["takesRegion"] else []), axis=1)
    estimate, difference = model.run("position-estimator.onnx", x)
    if estimator["kind"] == "fisher-scoring-runtime":
        prior = scenario["positionPrior"]
        cx, cy = prior["center"]["x"], prior["center"]["y"]
        area = (cx - prior["widthM"] / 2, cy - prior["heightM"] / 2, cx + prior["widthM"] / 2, cy + prior["heightM"] / 2)
        channels = runtime_channels(model, [xi[:1] for xi in xis])
        estimate = refine_position(observed, channels, scenario["baseStations"], area, estimate.reshape(-1, 2), estimator["refinementSteps"])
    squared = np.sum((estimate.reshape(-1, 2) - np.array(p)) ** 2, axis=1)
    return squared, math.sqrt(np.trace(np.linalg.inv(jp))), 0.0, difference


# ----------------------------------------------------------------------------------------------------------------------
# The checks.

def file_checks(model):
    """SHA-256 of every file, and the golden inputs through the interpreter; returns (ok, text)."""
    problems, worst = [], 0.0
    for entry in model.manifest["files"]:
        with open(os.path.join(model.folder, entry["file"]), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != entry["sha256"]:
                problems.append(f"{entry['file']}: SHA-256 differs from the manifest")
    for golden in model.manifest["golden"]:
        x = np.asarray(golden["input"], dtype=np.float32).reshape(golden["inputShape"])
        y = np.asarray(NumpyGraph(os.path.join(model.folder, golden["file"])).run(x), dtype=np.float64).reshape(-1)
        # graphOutput: the graph's own output where the runtime refines after it (estimator kind fisher-scoring-runtime)
        expected = np.asarray(golden.get("graphOutput") or golden["output"], dtype=np.float64)
        scale = max(1.0, float(np.max(np.abs(expected))))
        error = float(np.max(np.abs(y - expected))) / scale
        worst = max(worst, error)
        if not error <= 1e-4:
            problems.append(f"{golden['file']}: golden output differs by {error:.2e} (relative to max(1, max |output|))")
    return not problems, worst, problems


def csharp_figures(docs, family, version, task, derived_from=None):
    """{snr_db: (rmse, bound)} from e2e validate's CSVs under docs/models: the version's rmse.csv or a sweep's; for a version
    that e2e-train move-scoring made (manifest derivedFrom, the same weights and estimates), its source's when it has none."""
    unit = "deg" if task == "aod" else "m"
    figures = {}
    path = os.path.join(docs, family, version, "rmse.csv")
    source = (derived_from or "").split(":")[0]
    if not os.path.exists(path) and source.count("/") == 1:
        family, version = source.split("/")
        path = os.path.join(docs, family, version, "rmse.csv")
    if os.path.exists(path):
        for row in _csv(path):
            figures[float(row["snr_db"])] = (float(row[f"learned_rmse_{unit}"]), float(row[f"learned_bound_{unit}"]))
    for sweep in glob.glob(os.path.join(docs, "sweep-*", "sweep.csv")):
        for row in _csv(sweep):
            if row["model"] == f"{family}/{version}":
                figures.setdefault(20.0, (float(row[f"learned_rmse_{unit}"]), float(row[f"learned_bound_{unit}"])))
    return figures


def _csv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        return [dict(zip(header, line.strip().split(","))) for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="models", help="the registry folder (default: models)")
    parser.add_argument("--docs", default="docs/models", help="e2e validate's reports (default: docs/models)")
    parser.add_argument("--trials", type=int, default=10000, help="Monte Carlo trials per point (default 10,000)")
    parser.add_argument("--seed", type=int, default=1, help="NumPy seed (default 1)")
    parser.add_argument("--snr", default="all", help="comma-separated SNRs in dB, or all: every SNR of the C# report")
    parser.add_argument("--runtime", default="numpy", choices=["numpy", "onnxruntime", "both"])
    parser.add_argument("--bound-floor", type=float, default=1e-4, help="relative bound difference always allowed, for float32 rounding (default 1e-4)")
    parser.add_argument("--family", action="append", help="only these families (repeatable; default all)")
    parser.add_argument("--out", help="also write the table to this markdown file (atomically)")
    args = parser.parse_args()
    if args.trials < 100:
        parser.error(f"--trials {args.trials}: expected at least 100")
    if not (args.bound_floor >= 0):
        parser.error(f"--bound-floor {args.bound_floor}: expected a number >= 0")
    snrs = None
    if args.snr != "all":
        try:
            snrs = [float(s) for s in args.snr.split(",")]
        except ValueError:
            parser.error(f"--snr {args.snr}: expected comma-separated numbers in dB, or all")
    folders = sorted(glob.glob(os.path.join(args.models, "*", "v*")))
    if args.family:
        folders = [f for f in folders if os.path.basename(os.path.dirname(f)) in args.family]
    if not folders:
        print(f"error: no model versions under {args.models}" + (f" for {args.family}" if args.family else ""), file=sys.stderr)
        return 2

    lines = [
        f"Independent cross-check (tools/crosscheck/crosscheck.py, runtime {args.runtime}, {args.trials} trials, NumPy seed {args.seed})",
        "",
        "| version | files and golden outputs | SNR [dB] | RMSE / own bound, here (+/- std. error) | in docs/models (C#) | difference / combined std. error | bound here / C# | agrees |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        print(line, flush=True)
    failures = 0
    extra = []
    for folder in folders:
        family, version = os.path.basename(os.path.dirname(folder)), os.path.basename(folder)
        try:
            model = Model(folder, args.runtime)
            m = model.manifest
            ok, worst, problems = file_checks(model)
        except Exception as error:  # noqa: BLE001 (any reading error is reported per version)
            # A missing, unreadable or malformed file is a disagreement of that version, not the end of the check.
            failures += 1
            lines.append(f"| {family}/{version} | **cannot be read: {type(error).__name__}: {error}** | | | | | | **no** |")
            print(lines[-1], flush=True)
            continue
        failures += 0 if ok else 1
        files_text = f"ok (golden within {worst:.1e})" if ok else "; ".join(problems)
        kind = m["impairment"]["kind"]
        if kind == "spacing":
            lines.append(f"| {family}/{version} | {files_text} | | not run: the spacing draws are the C# seeded ones | | | | {'yes' if ok else '**no**'} |")
            print(lines[-1], flush=True)
            continue
        coupling_b = coupling_matrix(m["antennaCount"], m["scenario"]["impairments"]["coupling"]) if kind == "coupling" else None
        figures = csharp_figures(args.docs, family, version, m["task"], m.get("derivedFrom"))
        points = sorted(figures) if snrs is None else [s for s in snrs if s in figures]
        if not points:
            wanted = "" if snrs is None else " at " + ", ".join(f"{x:g}" for x in snrs) + " dB"
            lines.append(f"| {family}/{version} | {files_text} | | no C# figures{wanted} under {args.docs} | | | | {'yes' if ok else '**no**'} |")
            print(lines[-1], flush=True)
            continue
        for snr in points:
            rng = np.random.default_rng([args.seed, int(round(snr * 10)) + 1000])
            point = aod_point if m["task"] == "aod" else position_point
            try:
                squared, bound, bound_se, difference = point(model, rng, snr, args.trials, coupling_b)
            except Exception as error:  # noqa: BLE001 (a graph that cannot run is reported per point)
                failures += 1
                lines.append(f"| {family}/{version} | {files_text} | {snr:g} | **cannot run: {type(error).__name__}: {error}** | | | | **no** |")
                print(lines[-1], flush=True)
                continue
            _, ratio, se = ratio_with_error(squared, bound)
            cs_rmse, cs_bound = figures[snr]
            cs_ratio = cs_rmse / cs_bound
            z = (ratio - cs_ratio) / (math.sqrt(2) * se)
            bound_ratio = bound / cs_bound
            # The C# bound comes from as many draws of its own; the floor is float32's share of the precoders' values.
            bound_agrees = abs(bound_ratio - 1) <= (3 * math.sqrt(2) * bound_se) + args.bound_floor
            agrees = ok and abs(z) <= 3 and bound_agrees
            failures += 0 if agrees else 1
            lines.append(f"| {family}/{version} | {files_text} | {snr:g} | {ratio:.3f} +/- {se:.3f} | {cs_ratio:.3f} | {z:+.1f} | {bound_ratio:.5f} | {'yes' if agrees else '**no**'} |")
            print(lines[-1], flush=True)
            if args.runtime == "both":
                extra.append(f"{family}/{version} at {snr:g} dB: largest |NumPy - onnxruntime| over the estimates {difference:.2e}")
    tail = ["", f"{failures} disagreement(s)."] + ([""] + extra if extra else [])
    print("\n".join(tail), flush=True)
    text = "\n".join(lines + tail) + "\n"
    if args.out:
        directory = os.path.dirname(os.path.abspath(args.out))
        with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, encoding="utf-8") as f:
            f.write(text)
        os.replace(f.name, args.out)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
