#!/usr/bin/env bash
# Debian packages qualcheck's engines and browser tests use. At run time a missing one degrades its
# checks with a notice, never a crash; but set-up installs them all (root or sudo, Debian) and fails
# loudly, naming the packages, when apt-get cannot.
set -uo pipefail
# One package a line, with the check that needs it.
PACKAGES=(
  liblink-grammar5              # grammar (GR103): offline sentence parsing, loaded by ctypes
  link-grammar-dictionaries-en  # grammar (GR103): link-grammar's English dictionary
  libenchant-2-2                # grammar (GR101): spelling through pyenchant
  hunspell-en-gb                # grammar (GR101): en_GB, so British spelling in news is not flagged
  hunspell-en-us                # grammar (GR101): the en_US Hunspell dictionary; translation (MT101, MT900): names vs common words
  hunspell-en-au                # grammar (GR101): --language en-AU
  hunspell-en-ca                # grammar (GR101): --language en-CA
  hunspell-en-za                # grammar (GR101): --language en-ZA
  chromium                      # HTML report: the real-browser tests (tests/browser) and bench/bench_html.py
  chromium-driver               # HTML report: WebDriver for chromium, driven by selenium in tests/browser
  fonts-liberation              # HTML report: fonts for readable browser screenshots (tests/artifacts)
)
[ "$#" -gt 0 ] && PACKAGES=("$@")
if [ "${#PACKAGES[@]}" -eq 0 ]; then
  exit 0
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
if ! command -v apt-get >/dev/null; then
  echo "system-deps: no apt-get here; please install: ${missing[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
if ! $SUDO apt-get update -qq >/dev/null 2>&1; then
  echo "system-deps: apt-get update failed; trying the install with the package lists already here" >&2
fi
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "system-deps: could not install ${missing[*]} (see apt-get's message above)" >&2
  exit 1
fi
exit 0
