#!/usr/bin/env bash
# Create .venv and install helhed from the lock file. Usage: scripts/bootstrap.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -m uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
groups=(--no-dev)
[ "${1:-}" = "--dev" ] && groups=()
# --inexact keeps uv itself, which lives in the same environment.
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/python -m uv sync --frozen --inexact --quiet "${groups[@]}"
