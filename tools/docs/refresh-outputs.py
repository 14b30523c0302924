#!/usr/bin/env python3
"""Reruns every `$ dotnet run ...` command shown in a fenced block of a docs page and replaces the output under it.

    python3 tools/docs/refresh-outputs.py docs/guide/benchmark.md

A block is a line starting with `$ ` followed by the command's output up to the next `$ ` line, a blank line before one,
or the end of the fence. The page is rewritten atomically, only when every command succeeded.
"""
import os
import subprocess
import sys


def main(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i, inside = [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            inside = not inside
            out.append(line)
            i += 1
            continue
        if inside and line.startswith("$ "):
            command = line[2:]
            print(f"running: {command}", file=sys.stderr)
            result = subprocess.run(command, shell=True, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
            if result.returncode != 0:
                sys.exit(f"failed ({result.returncode}): {command}\n{result.stderr}")
            out.append(line)
            out.extend(result.stdout.rstrip("\n").split("\n"))
            i += 1
            while i < len(lines) and not lines[i].startswith("```") and not lines[i].startswith("$ "):
                if lines[i] == "" and i + 1 < len(lines) and lines[i + 1].startswith("$ "):
                    break
                i += 1
            continue
        out.append(line)
        i += 1
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    os.replace(temporary, path)


if __name__ == "__main__":
    main(sys.argv[1])
