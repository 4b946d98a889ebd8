#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment in .venv with everything the example, the
# tests and the benchmarks' core need. torch is pinned: a bare "torch" would pull a multi-GB CUDA
# build; 2.13.0 installs the CPU build where one is available locally.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import stance, torch, transformers, datasets, pytest, ray" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
  .venv/bin/python -m pip install --quiet -e ".[base,test,ray]"
  touch .venv/.installed
fi
