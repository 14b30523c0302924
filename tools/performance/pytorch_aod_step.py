#!/usr/bin/env python3
"""The AoD autoencoder of `e2e-train throughput`, written in PyTorch, timed the same way.

Table I networks (precoder per BS: 3 -> H x 6 -> 2 N T, normalised to unit Frobenius norm; decoder: 2T -> H, H, H, H,
2H, 2H -> 1, tanh x pi/2), the paper's scenario (2 BSs, N = 32 half-wavelength elements, T = 20), the AoD prior
(mean in [-60, 60] deg, width in [10, 20] deg), unit-modulus gain, noise at 20 dB, loss eq. (6) (mean squared error),
Adam with lr 1e-3. Each timed step samples, runs forward, backward and Adam, and reads the loss, as
orchestration/E2EDeploy.Pipeline/Commands/ThroughputCommand.cs does. In the same process it times a dense float32
matmul, and counts the model's work as 6 x (multiply-adds of the Linear layers a sample passes) x batch.

Usage (Debian's torch: apt install python3-torch libopenblas0-pthread):
  /usr/bin/python3 tools/performance/pytorch_aod_step.py [--batch 1000] [--hidden 256] [--steps 20] [--threads 2]
      [--export-from PRECODER.onnx --export-to OUT.onnx]
With --export-from, the precoder network (of the file's width) takes the weights of an ONNX precoder exported by E2EDeploy (a released
models/FAMILY/VERSION/precoder-bs1.onnx) and is written with torch.onnx.export to --export-to, for the C# comparison
(tests/E2EDeploy.Inference.Benchmarks, TorchOnnxExportVersusOurExporter).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
from torch import nn

N, T, BS = 32, 20, 2
SNR_DB = 20.0


class Mlp(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))

    def forward(self, x):
        for k, layer in enumerate(self.layers):
            x = layer(x)
            if k + 1 < len(self.layers):
                x = torch.relu_(x)
        return x

    def macs(self):
        return sum(layer.in_features * layer.out_features for layer in self.layers)


class Precoder(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.body = Mlp([3] + [hidden] * 6 + [2 * N * T])

    def forward(self, xi):
        raw = self.body(xi)
        return (raw / raw.square().sum(1, keepdim=True).sqrt()).reshape(-1, 2, N, T)


class Decoder(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.body = Mlp([2 * T, hidden, hidden, hidden, hidden, 2 * hidden, 2 * hidden, 1])

    def forward(self, y):
        return torch.tanh(self.body(y).squeeze(1)) * (math.pi / 2)


PHASE_SCALE = torch.tensor([2 * math.pi * 0.5 * n for n in range(N)], dtype=torch.float32)


def observe(theta, precoder, gain, noise):
    """y = alpha a(theta)^T F + n, real and imaginary parts side by side: [m, 2T]."""
    phase = theta.sin().unsqueeze(1) * PHASE_SCALE.unsqueeze(0)
    a_re, a_im = phase.cos().unsqueeze(1), phase.sin().unsqueeze(1)
    f_re, f_im = precoder[:, 0], precoder[:, 1]
    b_re = (a_re.bmm(f_re) - a_im.bmm(f_im)).squeeze(1)
    b_im = (a_re.bmm(f_im) + a_im.bmm(f_re)).squeeze(1)
    g_re, g_im = gain[:, 0:1], gain[:, 1:2]
    return torch.cat([g_re * b_re - g_im * b_im + noise[:, 0], g_re * b_im + g_im * b_re + noise[:, 1]], 1)


def sample(m, generator):
    deg = math.pi / 180
    mean = torch.rand(m, generator=generator) * (120 * deg) - 60 * deg
    width = torch.rand(m, generator=generator) * (10 * deg) + 10 * deg
    low, high = mean - width / 2, mean + width / 2
    theta = low + (high - low) * torch.rand(m, generator=generator)
    xi = torch.stack([low, high, width / 2], 1)
    phase = torch.rand(m, generator=generator) * (2 * math.pi)
    gain = torch.stack([phase.cos(), phase.sin()], 1)
    noise = torch.randn(m, 2, T, generator=generator) * math.sqrt(10 ** (-SNR_DB / 10) / 2)
    return xi, theta, gain, noise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--matmul-size", type=int, default=2048)
    parser.add_argument("--export-from")
    parser.add_argument("--export-to")
    args = parser.parse_args()
    for name in ("batch", "hidden", "steps", "threads", "matmul_size"):
        if getattr(args, name) < 1:
            sys.exit(f"error: --{name.replace('_', '-')} {getattr(args, name)}: expected an integer >= 1")
    if (args.export_from is None) != (args.export_to is None):
        sys.exit("error: --export-from and --export-to go together")
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)

    if args.export_from:
        export(args.export_from, args.export_to, args.hidden)
        return

    precoders = nn.ModuleList(Precoder(args.hidden) for _ in range(BS))
    decoder = Decoder(args.hidden)
    parameters = list(precoders.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.Adam(parameters, lr=1e-3)
    times = []
    for step in range(1, args.steps + 6):
        generator = torch.Generator().manual_seed(step)
        start = time.perf_counter()
        observations, truths = [], []
        for i in range(BS):
            m = args.batch // BS + (1 if i < args.batch % BS else 0)
            xi, theta, gain, noise = sample(m, generator)
            observations.append(observe(theta, precoders[i](xi), gain, noise))
            truths.append(theta)
        loss = (decoder(torch.cat(observations, 0)) - torch.cat(truths, 0)).square().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()
        if step > 5:
            times.append(time.perf_counter() - start)
    step_seconds = statistics.median(times)
    flops_per_step = 6.0 * (precoders[0].body.macs() + decoder.body.macs()) * args.batch

    left = torch.randn(args.matmul_size, args.matmul_size)
    right = torch.randn(args.matmul_size, args.matmul_size)
    matmul = []
    for run in range(13):
        start = time.perf_counter()
        product = left.mm(right)
        product[0, 0].item()
        if run >= 3:
            matmul.append(time.perf_counter() - start)
    matmul_flops = 2.0 * args.matmul_size ** 3 / statistics.median(matmul)
    achieved = flops_per_step / step_seconds
    print(json.dumps({
        "framework": f"PyTorch {torch.__version__}", "threads": torch.get_num_threads(), "batch": args.batch, "hidden": args.hidden,
        "median_step_ms": round(step_seconds * 1000, 1), "model_gflop_per_step": round(flops_per_step / 1e9, 2),
        "achieved_gflops": round(achieved / 1e9, 1), "matmul_gflops": round(matmul_flops / 1e9, 1),
        "fraction": round(achieved / matmul_flops, 3)}))


def export(source, target, hidden):
    """Copies the weights of an E2EDeploy precoder ONNX file into Precoder and writes it with torch.onnx.export."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(source)
    weights = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    gemms = [node for node in model.graph.node if node.op_type == "Gemm"]
    hidden = weights[gemms[0].input[1]].shape[0] if gemms else hidden  # the file's width (released precoders: H = 128)
    network = Precoder(hidden)
    if len(gemms) != len(network.body.layers):
        sys.exit(f"error: {source} has {len(gemms)} Gemm nodes: expected {len(network.body.layers)} (a precoder of H = {hidden})")
    with torch.no_grad():
        for node, layer in zip(gemms, network.body.layers):
            attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            weight = torch.from_numpy(weights[node.input[1]].copy())
            weight = weight if attributes.get("transB", 0) == 1 else weight.t()
            if tuple(weight.shape) != tuple(layer.weight.shape):
                sys.exit(f"error: {node.input[1]} has shape {tuple(weight.shape)}: expected {tuple(layer.weight.shape)}")
            layer.weight.copy_(weight)
            layer.bias.copy_(torch.from_numpy(weights[node.input[2]].copy()))
    network.eval()
    xi = torch.tensor([[0.698, 1.047, 0.1745]])
    input_name, output_name = model.graph.input[0].name, model.graph.output[0].name
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    torch.onnx.export(network, xi, target, input_names=[input_name], output_names=[output_name],
                      dynamic_axes={input_name: {0: "N"}, output_name: {0: "N"}}, opset_version=13)
    print(f"wrote {target}: torch.onnx.export of the weights of {source}")


if __name__ == "__main__":
    main()
