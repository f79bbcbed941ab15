"""How long does the CI gate take for one new article in a corpus of 1,069 BBC articles plus the seeds?

Builds the corpus in a work folder, warms the corpus store with one full run, adds one new article,
then times, alternating, whole processes of:

  gate:  qualcheck CORPUS --changed-from new.txt --fail-under 70     (warm store)
  full:  qualcheck CORPUS --no-cache                                  (every document checked)

and prints the median wall time, user+sys CPU and peak memory of each, and the ratio gate/full.
Aim (issue 13): the gate <= 5 s and <= 0.1x the full run.

Usage: python bench/bench_gate_one.py ../shared/eval [--runs 3] [--work DIR] [--skip-full]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW = """Johnson and Zelensky discuss Russian troops on Ukraine's border

British President Boris Johnson spoke with Ukrainian President Volodymyr Zelensky on Wednesday about the Russian troops massed near Ukraine's border.

Johnson said the West would respond with sanctions if Moscow attacked, and promised more defensive weapons for Kyiv.

Russian President Vladimir Putin said on Tuesday that the United States and NATO had ignored Russia's main security demands.
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + sys), peak resident MiB and exit code of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--skip-full", action="store_true", help="time only the gate (the full run takes minutes)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="qualcheck-gate-one-"))
    corpus = work / "corpus"
    if not corpus.exists():
        shutil.copytree(args.eval_dir / "clean" / "bbc", corpus / "bbc")
        shutil.copytree(ROOT / "seeds", corpus / "seeds", ignore=shutil.ignore_patterns("*.yaml"))
    env = {**os.environ, "QUALCHECK_STORE": str(work / "store.db")}
    qualcheck = [sys.executable, "-m", "qualcheck"]
    print(f"work folder {work}; warming the store with one full run...", flush=True)
    wall, cpu, mem, code = timed(qualcheck + ["corpus", "-q", "--isolated"], work, env)
    print(f"warm-up full run with the store: {wall:.1f} s wall, exit {code}", flush=True)
    (corpus / "new").mkdir(exist_ok=True)
    (corpus / "new" / "johnson.txt").write_text(NEW, encoding="utf-8")
    (work / "new.txt").write_text("corpus/new/johnson.txt\n", encoding="utf-8")
    gate = qualcheck + ["corpus", "--changed-from", "new.txt", "--fail-under", "70", "-q", "--isolated"]
    full = qualcheck + ["corpus", "--no-cache", "-q", "--isolated"]
    rows: dict[str, list[tuple[float, float, float, int]]] = {"gate": [], "full": []}
    timed(gate, work, env)  # the first gate run checks the new article and stores it; count the next ones
    (corpus / "new" / "johnson.txt").write_text(NEW.replace("Wednesday", "Thursday"), encoding="utf-8")
    for i in range(args.runs):
        # an edit before each counted gate run, so the new article is really checked every time
        (corpus / "new" / "johnson.txt").write_text(NEW + f"\nUpdated {i}.\n", encoding="utf-8")
        rows["gate"].append(timed(gate, work, env))
        if not args.skip_full:
            rows["full"].append(timed(full, work, env))
    for name, runs in rows.items():
        if runs:
            print(f"{name}: wall {statistics.median(r[0] for r in runs):.2f} s, cpu {statistics.median(r[1] for r in runs):.2f} s, "
                  f"peak {statistics.median(r[2] for r in runs):.0f} MiB, exit codes {sorted({r[3] for r in runs})}  ({len(runs)} runs)")
    if rows["full"]:
        ratios = [g[0] / f[0] for g, f in zip(rows["gate"], rows["full"])]
        print(f"gate / full wall, pair by pair: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
