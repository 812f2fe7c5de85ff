# Shared by scripts/demo and scripts/test: make sure .venv exists and holds the project.
# Usage: source scripts/_venv.sh [extras]   (extras e.g. "dev")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "sow-sheets needs Python 3.11 or newer; none found on PATH" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PY="$(find_python)"
  echo "creating $VENV with $PY" >&2
  "$PY" -m venv "$VENV"
fi

# Reinstall only when pyproject.toml changed, or when extras are wanted that are not installed.
STAMP="$VENV/.sow-installed"
HASH="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
HAVE="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$HAVE" != "$HASH-$EXTRAS" ] && { [ -n "$EXTRAS" ] || [ "${HAVE%%-*}" != "$HASH" ]; }; then
  echo "installing sow-sheets${EXTRAS:+ [$EXTRAS]} into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  SPEC="$ROOT"
  if [ -n "$EXTRAS" ]; then SPEC="$ROOT[$EXTRAS]"; fi
  # Quiet unless it fails: pip's output goes to a log that is shown only then.
  LOG="$(mktemp)"
  if ! "$VENV/bin/python" -m pip install --quiet -e "$SPEC" >"$LOG" 2>&1; then
    cat "$LOG" >&2
    rm -f "$LOG"
    echo "installing sow-sheets failed (pip's output above)" >&2
    exit 1
  fi
  rm -f "$LOG"
  echo "$HASH-$EXTRAS" >"$STAMP"
fi
