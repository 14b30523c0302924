#!/usr/bin/env python3
"""Copies one family's pipeline report into the docs, with the command that made its model and its stage times.

    python3 tools/recipe/publish-report.py runs/release/aod-spacing aod-spacing docs/models/recipe/paper/aod-spacing

From the pipeline folder OUT (its OUT/pipeline.json and OUT/reports/FAMILY) into DEST: report.md, rmse.csv, rmse.png,
beampattern.csv and beampattern.png. Paths inside the repository are written relative to its root (the report's reproduce
line then runs from a checkout), and report.md gains a section with the manifest's `reproducingCommand` and the minutes of
each stage from pipeline.json (training stages: the run's training time over all resumptions). Files are written to a
temporary name and moved into place.
"""
import json
import os
import shutil
import sys
from pathlib import Path

from summary import stage_seconds  # one reading of the stage times for both scripts (this folder is on sys.path)

ROOT = Path(__file__).resolve().parents[2]
FILES = ("report.md", "rmse.csv", "rmse.png", "beampattern.csv", "beampattern.png")


def relative(text):
    return text.replace(str(ROOT) + os.sep, "")


def main(pipeline, family, destination):
    pipeline, destination = Path(pipeline), Path(destination)
    state_path = pipeline / "pipeline.json"
    if not state_path.is_file():
        print(f"error: {pipeline} holds no pipeline.json (expected the --out folder of e2e-train pipeline)", file=sys.stderr)
        return 2
    state = json.loads(state_path.read_text())
    validate, export = state.get(f"{family}/validate"), state.get(f"{family}/export")
    if not validate or not validate.get("Done") or not export:
        known = sorted({key.split("/")[0] for key in state})
        print(f"error: family '{family}' has no finished validation in {state_path} (its families: {', '.join(known)})", file=sys.stderr)
        return 2
    report = pipeline / "reports" / family
    registry = json.loads(export["Definition"])["registry"]
    manifest = json.loads((Path(registry) / family / export["Version"] / "manifest.json").read_text())
    stages = stage_seconds(state, family)

    destination.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        source = report / name
        if not source.is_file():
            print(f"error: {source} is missing (the validation stage writes it)", file=sys.stderr)
            return 2
        temporary = destination / f".{name}.tmp"
        if name == "report.md":
            text = relative(source.read_text())
            text += ("\n## How the model was made\n\n```sh\n" + manifest.get("reproducingCommand", "(not recorded)") + "\n```\n\n"
                     + "Minutes per stage on a 2-core machine (`" + relative(str(state_path)) + "`): "
                     + ", ".join(f"{name_} {seconds / 60:.1f}" for name_, seconds in stages)
                     + f"; total {sum(s for _, s in stages) / 60:.1f}.\n")
            temporary.write_text(text)
        else:
            shutil.copyfile(source, temporary)
        os.replace(temporary, destination / name)
    print(f"{family}/{export['Version']}: {len(FILES)} files in {destination}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
