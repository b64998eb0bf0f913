"""Accuracy of the text judgements and the request-type suggester on the labelled corpora, beside targets.

Part of `make bench` (quick mode too: it takes well under a second), or alone:
`.venv/bin/python benchmarks/judgement.py [--misses]`. Figures are given for the part of each
corpus the readers were tuned on and for the held-out part; `--misses` lists the tuned part's
mistakes only, so the held-out part stays unseen by whoever tunes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from queue_tui.core.models import Ticket  # noqa: E402
from queue_tui.core.replies import read_approver_reply, read_customer_reply, read_staff_reply  # noqa: E402
from queue_tui.core.request_types import rank_request_types  # noqa: E402
from queue_tui.core.ticket_cues import eb_financing, suggest_channel  # noqa: E402
from tests.corpus import judgement_corpus as jc  # noqa: E402

Report = Callable[[str, str, str, bool], None]
_T = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def _ticket(c: jc.Case) -> Ticket:
    return Ticket("SS-1", "1", c.summary, "Waiting for support", "indeterminate", "Medium", _T, _T, description=c.description)


JUDGEMENTS: tuple[tuple[str, str, str, Callable[[jc.Case], bool]], ...] = (
    ("approval", "approver_replies", "approved", lambda c: read_approver_reply(c.text).yes),
    ("customer confirmed", "customer_replies", "resolved", lambda c: read_customer_reply(c.text).yes),
    ("confirmation asked", "staff_replies", "confirmation_attempt", lambda c: read_staff_reply(c.text).yes),
    ("EB financing", "eb_financing", "eb", lambda c: eb_financing(_ticket(c)).yes),
)
SPLITS = ((False, "tuned"), (True, "held-out"))


def judgement_accuracy(report: Report, misses: bool = False) -> None:
    target = f">= {jc.PRECISION_TARGET:.0%} / >= {jc.RECALL_TARGET:.0%}"
    for name, corpus, yes, says_yes in JUDGEMENTS:
        cases = jc.load(corpus)
        for held, part in SPLITS:
            f = jc.yes_figures(jc.split(cases, held), lambda c, s=says_yes, y=yes: y if s(c) else "no", yes)  # type: ignore[misc]
            report(f"{name}: precision / recall of yes, {part} n={f.n}", target,
                   f"{f.precision:.0%} / {f.recall:.0%}", f.meets_targets)
            if misses and not held:
                for c in f.false_yes:
                    print(f"    false yes: {c.text or c.summary!r}")
                for c in f.missed:
                    print(f"    missed:    {c.text or c.summary!r}")
    cases = jc.load("channels")
    for held, part in SPLITS:
        said = [(c, str(suggest_channel(_ticket(c), c.source).verdict).lower()) for c in jc.split(cases, held)]
        made = [(c, s) for c, s in said if s != "unknown"]
        right = sum(c.label == s for c, s in made)
        known = sum(c.label != "unknown" for c, _ in said)
        share = right / len(made) if made else 1.0
        report(f"channel: suggestions right ({right} found of {known}), {part} n={len(said)}",
               f">= {jc.PRECISION_TARGET:.0%}", f"{share:.0%} of {len(made)} made", share >= jc.PRECISION_TARGET)
        if misses and not held:
            for c, s in made:
                if c.label != s:
                    print(f"    wrong: {c.summary!r} -> {s}")


def suggester_accuracy(report: Report, misses: bool = False) -> None:
    cases = jc.load("request_types")

    def sop_names(c: jc.Case) -> list[str]:
        return [r.name for r in rank_request_types(c.summary, c.description)]

    def other_site(c: jc.Case) -> list[str]:
        ranked = rank_request_types(c.summary, c.description, jc.OTHER_SITE_TYPES, jc.OTHER_SITE_ALIASES)
        return [r.sop or r.name for r in ranked]

    def unmapped(c: jc.Case) -> list[str]:
        ranked = rank_request_types(c.summary, c.description, jc.OTHER_SITE_TYPES)
        return [jc.OTHER_SITE_ALIASES.get(r.name, r.name) for r in ranked]

    for label, rank, targeted in (("SOP names", sop_names, True), ("site, aliases", other_site, True),
                                  ("site, no aliases", unmapped, False)):
        for held, part in SPLITS:
            f = jc.rank_figures(jc.split(cases, held), rank)
            report(f"request type top-1 / top-3 ({label}), {part} n={f.n}",
                   f">= {jc.TOP1_TARGET:.0%} top-1" if targeted else "(reported only)",
                   f"{f.top1:.0%} / {f.top3:.0%}", f.top1 >= jc.TOP1_TARGET or not targeted)
            if misses and not held and label == "SOP names":
                for c, names in f.wrong:
                    print(f"    {c.label}: {c.summary!r} -> {', '.join(names)}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list the mistakes on the tuned part (never the held-out part)")
    args = ap.parse_args()
    failed: list[str] = []

    def report(figure: str, target: str, value: str, ok: bool) -> None:
        print(f"{figure:<62} target {target:<28} value {value:<22} {'PASS' if ok else 'FAIL'}", flush=True)
        if not ok:
            failed.append(figure)

    judgement_accuracy(report, args.misses)
    suggester_accuracy(report, args.misses)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
