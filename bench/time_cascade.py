"""Time whole qualcheck processes on a corpus: default, --encoder, and --encoder with MT900's encoder cascade.

Usage: python bench/time_cascade.py CORPUS --cascade-tree DIR [--rounds 3] [--json OUT]

Each round runs the three commands in turn (alternating, so load on the shared machine falls on all
of them), ``python -m qualcheck CORPUS --isolated --no-cache -q --report json -o FILE`` with
PYTHONPATH set to this checkout for the first two and to DIR for the third: a copy of this checkout's
``qualcheck/`` and ``rules/`` whose MT900 YAML sets ``encoder_cascade`` (the setting is a rule param,
off in the bundled rule, and ``--isolated`` reads no other rules). Wall, CPU (user + system of the
process and its workers) and peak memory come from the kernel's accounting of each finished process;
medians and ratios to the default run are printed. Each run's report is read for its MT900 flags and
the share of sentences the encoder read.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def run_once(corpus: Path, pythonpath: Path, extra: list[str], out: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    cmd = [sys.executable, "-m", "qualcheck", str(corpus.resolve()), "--isolated", "--no-cache", "-q", "--report", "json", "-o", str(out), *extra]
    t0 = time.perf_counter()
    with (out.parent / "stderr.txt").open("w") as err:
        proc = subprocess.Popen(cmd, env=env, cwd=out.parent, stdout=subprocess.DEVNULL, stderr=err)  # not this checkout: -m puts the cwd first on sys.path
        _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: the gate failed, which is a result
        raise SystemExit(f"{' '.join(cmd)}: exit {os.waitstatus_to_exitcode(status)}: {(out.parent / 'stderr.txt').read_text()[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    sents = [s for d in report["documents"] for s in d.get("sentences") or []]
    return {
        "wall": round(wall, 2),
        "cpu": round(ru.ru_utime + ru.ru_stime, 2),  # wait4 reports the process and its reaped workers
        "peak_mib": round(ru.ru_maxrss / 1024, 1),
        "sentences": len(sents),
        "share_encoded": round(sum("encoder-model" in s["signals"] for s in sents) / max(1, len(sents)), 4),
        "mt900_flags": sum(f["code"] == "MT900" for d in report["documents"] for f in d["findings"]),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--cascade-tree", type=Path, required=True, help="a copy of qualcheck/ and rules/ whose MT900 sets encoder_cascade")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    commands = {"default": (HERE, []), "encoder": (HERE, ["--encoder"]), "cascade": (args.cascade_tree, ["--encoder"])}
    runs: dict[str, list] = {k: [] for k in commands}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for name, (path, extra) in commands.items():
                m = run_once(args.corpus, path, extra, Path(tmp) / f"{name}.json")
                runs[name].append(m)
                print(f"round {r + 1} {name}: {m}", flush=True)
    med = {k: {m: statistics.median(x[m] for x in v) for m in ("wall", "cpu", "peak_mib")} for k, v in runs.items()}
    out = {"corpus": str(args.corpus.name), "rounds": args.rounds, "runs": runs, "median": med,
           "ratio_to_default": {k: {m: round(med[k][m] / med["default"][m], 2) for m in ("wall", "cpu")} for k in med}}
    print(json.dumps({"median": med, "ratio_to_default": out["ratio_to_default"]}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
