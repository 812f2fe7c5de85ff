#!/usr/bin/env bash
# Render every worker tab of WORKBOOK to OUTDIR/<tab>.png with LibreOffice headless.
# Usage: scripts/render_sheet.sh WORKBOOK OUTDIR [--rows N] [--tabs A,B]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/render_sheet.sh WORKBOOK OUTDIR [--rows N] [--tabs A,B]" >&2
  exit 2
fi
source "$(dirname "$0")/_venv.sh" ""  # no extras (not this script's arguments)
exec "$VENV/bin/python" "$ROOT/scripts/render_sheet.py" "$@"
