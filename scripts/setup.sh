#!/usr/bin/env bash
# Install qualcheck and everything it needs into .venv (system packages too), then run it on seeds/.
# Usage: bash scripts/setup.sh            (install + run on seeds/, writes reports/qualcheck.html)
#        bash scripts/setup.sh --no-run   (install only; used by .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import qualcheck" || { echo "setup: qualcheck did not install" >&2; exit 1; }

if [ "${1:-}" != "--no-run" ]; then
  .venv/bin/qualcheck seeds/ --report html
fi
