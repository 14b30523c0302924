#!/usr/bin/env python3
"""Prints the markdown table of docs/guide/training.md ("The pipeline's recipe") from pipeline folders or published reports.

    python3 tools/recipe/summary.py runs/pipeline-paper runs/pipeline-coupling          # pipeline folders (OUT/pipeline.json)
    python3 tools/recipe/summary.py docs/models/recipe/paper/*                          # reports published into the docs

Per family: RMSE / own bound at every SNR of the grid, the SNR from which it is within 1.10 x, the learned / benchmark
RMSE at the top SNR, and each stage's minutes (training stages: the run's training time over all resumptions). A pipeline
folder gives one row per family from its pipeline.json; a report folder (rmse.csv and report.md, as
tools/recipe/publish-report.py writes them) gives one row, its minutes from the report's "Minutes per stage" line, or
"not recorded" for a report published without it.
"""
import csv
import json
import re
import sys
from pathlib import Path

TARGET = 1.10
ORDER = ["train", "lower-threshold", "calibrate", "export", "validate"]


def stage_seconds(state, family):
    """[(stage, seconds)] of `family` in a pipeline.json, in recipe order."""
    return sorted(((key.split("/")[1], value["Seconds"]) for key, value in state.items() if key.startswith(family + "/")), key=lambda s: ORDER.index(s[0]))


def row(name, rows, stages, total_minutes=None):
    """One table line from validation rows [(snr, learned rmse, learned bound, benchmark rmse)], [(stage, seconds)] or None,
    and the total in minutes where it is known more precisely than the sum of the rounded stage minutes."""
    rows = sorted(rows)
    ratios = [(snr, rmse / bound) for snr, rmse, bound, _ in rows]
    reached = None
    for snr, ratio in reversed(ratios):
        if ratio > TARGET:
            break
        reached = snr
    top = rows[-1]
    minutes = "not recorded" if stages is None else ", ".join(f"{stage} {seconds / 60:.1f}" for stage, seconds in stages)
    total = "" if stages is None else f"{total_minutes if total_minutes is not None else sum(seconds for _, seconds in stages) / 60:.1f}"
    return "| {} | {} | {} | {:.3f} at {:g} dB | {} | {} |".format(
        name, ", ".join(f"{snr:g}: {ratio:.3f}" for snr, ratio in ratios), f"{reached:g} dB" if reached is not None else "no SNR",
        top[1] / top[3], top[0], minutes, total)


def from_pipeline(folder):
    state = json.loads((folder / "pipeline.json").read_text())
    for family in sorted({key.split("/")[0] for key in state}):
        validate = state.get(f"{family}/validate")
        if not validate or not validate.get("Done"):
            print(f"| {family} | (not finished) | | | | |")
            continue
        rows = [(r["SnrDb"], r["LearnedRmse"], r["LearnedBound"], r["BenchmarkRmse"]) for r in validate["Rows"]]
        stages = stage_seconds(state, family)
        print(row(f"{family}/{validate['Version']}", rows, stages))


def from_report(folder):
    with open(folder / "rmse.csv", newline="") as f:
        table = list(csv.DictReader(f))
    unit = "deg" if "learned_rmse_deg" in table[0] else "m"
    rows = [(float(r["snr_db"]), float(r[f"learned_rmse_{unit}"]), float(r[f"learned_bound_{unit}"]), float(r[f"benchmark_rmse_{unit}"])) for r in table]
    report = (folder / "report.md").read_text()
    title = re.search(r"^# Validation of (\S+)", report, re.MULTILINE)
    minutes = re.search(r"^Minutes per stage[^:]*\): (.*); total ([0-9.]+)\.$", report, re.MULTILINE)
    stages = None if minutes is None else [(part.rsplit(" ", 1)[0], 60 * float(part.rsplit(" ", 1)[1])) for part in minutes.group(1).split(", ")]
    print(row(title.group(1) if title else folder.name, rows, stages, None if minutes is None else float(minutes.group(2))))


def main(folders):
    print("| family | RMSE / own bound at SNR (dB): ratio | within 1.10 x from | learned / benchmark at top SNR | minutes per stage | total min |")
    print("|---|---|---|---|---|---|")
    for folder in map(Path, folders):
        if (folder / "pipeline.json").is_file():
            from_pipeline(folder)
        elif (folder / "rmse.csv").is_file() and (folder / "report.md").is_file():
            from_report(folder)
        else:
            print(f"error: {folder} holds neither pipeline.json nor a report (rmse.csv and report.md)", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["pipeline"]))
