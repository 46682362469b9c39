# Shared by scripts/quickstart and scripts/test: find Python 3.11+, make ./.venv, install shebao into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "shebao needs Python 3.11 or newer (python3.11 not found)" >&2
  return 1
}

ensure_venv() {  # $1: "" for the product, "dev" for the product and its test tools
  # two statements: `local a=… b=$a` would expand $a before a is set
  local extras="${1:-}"
  local stamp="$ROOT/.venv/.installed${extras:+-$extras}"
  if [ ! -x "$ROOT/.venv/bin/python" ]; then
    "$(find_python)" -m venv "$ROOT/.venv"
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    "$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    "$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT${extras:+[$extras]}" 2>&1 | grep -v "is ignored" || true
    "$ROOT/.venv/bin/python" -c "import shebao, django" # fail here if the install failed
    touch "$stamp"
  fi
}
