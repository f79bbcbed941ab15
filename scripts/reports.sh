#!/usr/bin/env bash
# Regenerate the example reports in reports/ from seeds/ (deterministic: diff them after a change).
set -euo pipefail
cd "$(dirname "$0")/.."
QC=.venv/bin/qualcheck
for fmt in html json sarif junit; do
  ext=$fmt; [ "$fmt" = junit ] && ext=junit.xml
  out=reports/seeds.$ext; [ "$fmt" = html ] && out=reports/qualcheck.html
  "$QC" seeds/ --report "$fmt" -o "$out" -q || [ $? -eq 1 ]
done
"$QC" seeds/ -q > reports/seeds.txt || [ $? -eq 1 ]
ls -l reports/
