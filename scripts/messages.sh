#!/usr/bin/env bash
# Refresh the English catalogue from the marked Danish strings and compile it.
# Needs GNU gettext (apt-get install gettext) only here: the compiled django.mo is committed,
# so a machine without gettext still serves English. Translate every new or fuzzy entry in
# src/helhed/locale/en/LC_MESSAGES/django.po before compiling; helhed/web/tests/test_i18n.py
# fails on an empty or fuzzy entry and on a .mo that lacks a .po entry.
set -euo pipefail
cd "$(dirname "$0")/../src/helhed"
../../.venv/bin/helhed makemessages -l en --ignore=.venv --add-location=file --no-obsolete
../../.venv/bin/helhed compilemessages -l en --ignore=.venv
