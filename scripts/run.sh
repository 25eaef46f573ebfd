#!/usr/bin/env bash
# Set up and start helhed on its embedded default (SQLite under var/), with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export HELHED_PROFILE=${HELHED_PROFILE:-embedded}
mkdir -p var
.venv/bin/helhed migrate --noinput -v 0
.venv/bin/helhed demo --if-empty --citizens "${HELHED_DEMO_CITIZENS:-5000}" --seed "${HELHED_DEMO_SEED:-1}"
.venv/bin/helhed demo_logins
exec .venv/bin/helhed serve --host "${HELHED_HOST:-127.0.0.1}" --port "${HELHED_PORT:-8000}"
