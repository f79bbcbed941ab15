"""Where one qualcheck run spends its CPU: every rule's seconds, and the profile grouped by module and package.

Usage:
    python bench/profile_run.py [--top 25] [--save FILE.prof] -- QUALCHECK ARGS ...
    e.g. python bench/profile_run.py -- ../shared/eval/clean/bbc --jobs 1 --no-cache --report json -o /dev/null

The run is the CLI itself, in this process, under cProfile (so ``--jobs 1``: worker processes are
not profiled). Printed: the engine's seconds per rule (all of them, not only the eight ``--verbose``
names; an engine's first load counts in the first rule that asks for it), then the profile's own
time summed by area (a qualcheck module, or a third-party package), then the functions with the
most cumulative time. cProfile slows pure-Python code more than C code, so read the shares, not the
seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections import defaultdict


def _area(filename: str) -> str:
    if "/qualcheck/" in filename:
        return "qualcheck/" + filename.rsplit("/qualcheck/", 1)[1]
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename.startswith("<") or filename == "~":
        return "builtins"
    return "stdlib/" + filename.rsplit("/", 1)[-1]


def _print_rules(timings: dict[str, float]) -> None:
    rules = sorted(((k, v) for k, v in timings.items() if k not in ("read", "check", "workers")), key=lambda kv: -kv[1])
    print("\nseconds per rule (engine timings, first loads included):")
    for code, seconds in rules:
        print(f"  {code:8} {seconds:7.2f}")
    print(f"  sum of rules {sum(v for _, v in rules):.2f}; read {timings.get('read', 0):.2f}, check {timings.get('check', 0):.2f}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ours, theirs = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else ([], argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--top", type=int, default=25, help="rows of each table")
    ap.add_argument("--save", help="also write the raw profile here (for pstats or snakeviz)")
    ap.add_argument("--cpu", action="store_true",
                    help="no profiler: time each rule by the main thread's CPU clock (grammar threads and waiting excluded)")
    args = ap.parse_args(ours)

    from qualcheck import cli

    timings: dict[str, float] = {}
    original = cli._timing_lines

    def keep(result, documents):
        timings.update(result.timings)
        return original(result, documents)

    cli._timing_lines = keep
    if args.cpu:
        import time as _time

        from qualcheck import engine

        engine.time = type("_Clock", (), {"perf_counter": staticmethod(_time.thread_time)})
        started = _time.process_time()
        try:
            cli.main(["--verbose", *theirs], standalone_mode=False)
        except SystemExit:
            pass
        _print_rules(timings)
        print(f"process CPU {_time.process_time() - started:.2f} s (main thread and grammar threads)")
        return 0
    profile = cProfile.Profile()
    profile.enable()
    try:
        cli.main(["--verbose", *theirs], standalone_mode=False)
    except SystemExit:
        pass
    finally:
        profile.disable()
    if args.save:
        profile.dump_stats(args.save)
    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())
    print(f"\nprofiled {total:.1f} s of own time")
    _print_rules(timings)
    areas: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        areas[_area(filename)] += tottime
    print("\nown time by area:")
    for area, seconds in sorted(areas.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {seconds:7.2f}  {100 * seconds / total:5.1f}%  {area}")
    print("\nmost cumulative time:")
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
