"""The soak's self-test: plant each known bug (writes, the rate limit), one at a time, in a scratch
copy of the app, run the quick soak against it, and show the soak fails on it.

`make soak-selftest` first shows the unplanted copy passes the quick soak, then plants each bug
under two seeds (two orders of the random work); `make soak-selftest SELFTEST_ARGS=--quick` (CI)
plants each bug once, under one seed. Each soak is a quick one that stops at the first failed
check. Exit 0 only when every planted bug was caught every time, each by one of the checks meant
to catch it. A plant whose text is no longer in the code fails loudly (the code moved: update the
plant), and a run that did not load the scratch copy counts as not caught.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from soaklib.plants import PLANTS, Plant, PlantError  # noqa: E402


def scratch_copy(into: Path) -> Path:
    """The package as it is in this checkout, copied (without compiled files) under `into`."""
    shutil.copytree(ROOT / "queue_tui", into / "queue_tui", ignore=shutil.ignore_patterns("__pycache__"))
    return into


def run_soak(root: Path, seed: int, extra: list[str]) -> tuple[dict[str, object], str, float]:
    out = root / "verdict.json"
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    began = time.monotonic()
    proc = subprocess.run([sys.executable, str(HERE / "soak.py"), "--quick", "--fail-fast", "--seed", str(seed),
                           "--json", str(out), *extra], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    took = time.monotonic() - began
    verdict = json.loads(out.read_text()) if out.exists() else {"failed": [], "packages": []}
    return verdict, proc.stdout + proc.stderr, took


def try_plant(plant: Plant, seed: int, extra: list[str]) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix="queue-tui-plant-") as tmp:
        root = scratch_copy(Path(tmp))
        plant.apply(root)
        verdict, output, took = run_soak(root, seed, extra)
        packages = [str(p) for p in verdict.get("packages", [])]  # type: ignore[union-attr]
        failed = [str(f) for f in verdict.get("failed", [])]  # type: ignore[union-attr]
        if not packages or any(not p.startswith(str(root)) for p in packages):
            return False, f"the soak did not run the planted copy (it ran {packages or 'nothing'}):\n{output[-1500:]}"
        hits = [f for f in failed if f in plant.caught_by]
        if hits:
            return True, f"caught by {', '.join(hits)} in {took:.0f} s"
        why = f"the soak failed only on {', '.join(failed)}" if failed else "the soak passed"
        return False, f"NOT caught ({why}; expected {', '.join(plant.caught_by)}) in {took:.0f} s\n{output[-3000:]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI: each bug planted once, no unplanted run first")
    ap.add_argument("--seed", type=int, action="append", help="seeds of the soaks (default: 42, and 7 unless --quick)")
    ap.add_argument("--only", help="plant only the bugs whose name contains this")
    ap.add_argument("--no-baseline", dest="baseline", action="store_false", default=None,
                    help="do not first show the soak passes without a plant")
    args = ap.parse_args()
    seeds: list[int] = args.seed or ([42] if args.quick else [42, 7])
    if args.baseline is None:
        args.baseline = not args.quick
    began = time.monotonic()
    plants = [p for p in PLANTS if not args.only or args.only in p.name]
    # Every plant must still apply before any soak runs: a moved line is a broken self-test, not a pass.
    for p in plants:
        try:
            p.check(ROOT)
        except PlantError as exc:
            print(f"soak-selftest: {exc}")
            return 2
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="queue-tui-baseline-") as tmp:
            verdict, output, took = run_soak(scratch_copy(Path(tmp)), seeds[0], [])
        if verdict.get("failed"):
            print(f"soak-selftest: the soak fails without any plant ({verdict.get('failed')}); fix that first\n"
                  + output[-3000:])
            return 2
        print(f"baseline: the unplanted copy passes the quick soak, seed {seeds[0]} ({took:.0f} s)", flush=True)
    caught = 0
    for p in plants:
        every = True
        for seed in seeds:
            ok, text = try_plant(p, seed, [])
            every = every and ok
            print(f"{'caught ' if ok else 'MISSED '} {p.name} (seed {seed}): {text}", flush=True)
        caught += every
    print(f"soak-selftest: {caught} of {len(plants)} planted bugs caught (seeds {', '.join(map(str, seeds))}) "
          f"in {time.monotonic() - began:.0f} s")
    return 0 if caught == len(plants) else 1


if __name__ == "__main__":
    raise SystemExit(main())
