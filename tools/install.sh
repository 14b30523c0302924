#!/usr/bin/env bash
# Installs the two command lines of E2EDeploy, `e2e` (inference, validation, the benchmark) and `e2e-train` (training,
# export, the pipeline), from this checkout: a framework-dependent Release publish for this machine's runtime under
# PREFIX/share/e2edeploy, and two launchers in PREFIX/bin. Run it again after a pull to update them.
#
#   bash tools/install.sh [PREFIX]        # default PREFIX: ~/.local (then e2e and e2e-train are in ~/.local/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
rid="$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')"
[ -n "$rid" ] || { echo "error: could not read this machine's runtime identifier from 'dotnet --info'" >&2; exit 1; }

install_one() { # name project
  local name="$1" project="$2" target="$prefix/share/e2edeploy/$1" staging="$prefix/share/e2edeploy/.$1-new"
  echo "publishing $name ($project, $rid) ..."
  rm -rf "$staging"
  dotnet publish "$project" -c Release -r "$rid" --self-contained false -o "$staging" -nologo -v quiet
  rm -rf "$target"
  mv "$staging" "$target"
  mkdir -p "$prefix/bin"
  printf '#!/bin/sh\nexec dotnet "%s/%s.dll" "$@"\n' "$target" "$name" > "$prefix/bin/$name.new"
  chmod +x "$prefix/bin/$name.new"
  mv "$prefix/bin/$name.new" "$prefix/bin/$name"
  echo "installed $prefix/bin/$name"
}

install_one e2e inference/E2EDeploy.Cli/E2EDeploy.Cli.csproj
install_one e2e-train orchestration/E2EDeploy.Pipeline/E2EDeploy.Pipeline.csproj
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it with: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
