#!/usr/bin/env python3
"""Prints the markdown table of docs/guide/training.md ("The pipeline's recipe") from pipeline folders' OUT/pipeline.json.

    python3 tools/recipe/summary.py runs/pipeline-paper runs/pipeline-coupling

Per family: RMSE / own bound at every SNR of the grid, the SNR from which it is within 1.10 x, the learned / benchmark
RMSE at the top SNR, and each stage's minutes (training stages: the run's training time over all resumptions).
"""
import json
import sys
from pathlib import Path

TARGET = 1.10


def main(folders):
    print("| family | RMSE / own bound at " + "SNR (dB): ratio" + " | within 1.10 x from | learned / benchmark at top SNR | minutes per stage | total min |")
    print("|---|---|---|---|---|---|")
    for folder in folders:
        state = json.loads((Path(folder) / "pipeline.json").read_text())
        families = sorted({key.split("/")[0] for key in state})
        for family in families:
            validate = state.get(f"{family}/validate")
            if not validate or not validate.get("Done"):
                print(f"| {family} | (not finished) | | | | |")
                continue
            rows = sorted(validate["Rows"], key=lambda r: r["SnrDb"])
            ratios = [(r["SnrDb"], r["LearnedRmse"] / r["LearnedBound"]) for r in rows]
            reached = None
            for snr, ratio in reversed(ratios):
                if ratio > TARGET:
                    break
                reached = snr
            top = rows[-1]
            order = ["train", "lower-threshold", "calibrate", "export", "validate"]
            stages = sorted(((key.split("/")[1], value["Seconds"]) for key, value in state.items() if key.startswith(family + "/")), key=lambda s: order.index(s[0]))
            print("| {}/{} | {} | {} | {:.3f} at {:g} dB | {} | {:.1f} |".format(
                family, validate["Version"],
                ", ".join(f"{snr:g}: {ratio:.3f}" for snr, ratio in ratios),
                f"{reached:g} dB" if reached is not None else "no SNR",
                top["LearnedRmse"] / top["BenchmarkRmse"], top["SnrDb"],
                ", ".join(f"{name} {seconds / 60:.1f}" for name, seconds in stages),
                sum(seconds for _, seconds in stages) / 60))


if __name__ == "__main__":
    main(sys.argv[1:] or ["pipeline"])
