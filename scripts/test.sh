#!/usr/bin/env bash
# The whole test suite: lint, types, migrations, then pytest on SQLite and on PostgreSQL.
# PostgreSQL is reached at HELHED_TEST_POSTGRES_URL (default: the local server, user postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
scripts/ensure-chromium.sh
export HELHED_PROFILE=test DJANGO_SETTINGS_MODULE=helhed.settings.test
mkdir -p test-artifacts

echo "== ruff"
.venv/bin/ruff check src benchmarks
echo "== mypy (strict on core and sharing)"
.venv/bin/mypy src/helhed
echo "== migrations are complete"
.venv/bin/helhed makemigrations --check --dry-run

echo "== pytest on SQLite"
.venv/bin/pytest "$@"

PG_URL=${HELHED_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/helhed}
echo "== pytest on PostgreSQL ($PG_URL)"
HELHED_DATABASE_URL=$PG_URL .venv/bin/pytest "$@"
