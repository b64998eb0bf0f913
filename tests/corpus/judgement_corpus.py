"""The labelled corpora of tests/corpus/judgement/ and the figures measured on them.

Shared by the accuracy tests (`make test`) and the benchmark (`make bench`), so both measure
the same thing against the same targets. Each corpus keeps a held-out quarter (`held = true`)
that the readers were never tuned on; figures are given for the tuned part and the held-out part.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from queue_tui.core.models import RequestType

DIR = Path(__file__).parent / "judgement"

# A false yes is what harms (products go live, a ticket closes): precision first.
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.80
TOP1_TARGET = 0.80


@dataclass(frozen=True)
class Case:
    label: str
    text: str
    summary: str
    description: str
    source: str
    held: bool


def load(name: str) -> list[Case]:
    data = tomllib.loads((DIR / f"{name}.toml").read_text(encoding="utf-8"))
    return [Case(c["label"], c.get("text", ""), c.get("summary", ""), c.get("description", ""),
                 c.get("source", ""), bool(c.get("held", False))) for c in data["case"]]


def split(cases: Sequence[Case], held: bool) -> list[Case]:
    return [c for c in cases if c.held == held]


@dataclass(frozen=True)
class YesFigures:
    """Precision and recall of the "yes" verdict, with the cases behind them."""

    tp: int
    fp: int
    fn: int
    n: int
    accuracy: float
    false_yes: tuple[Case, ...]
    missed: tuple[Case, ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def meets_targets(self) -> bool:
        return self.precision >= PRECISION_TARGET and self.recall >= RECALL_TARGET


def yes_figures(cases: Sequence[Case], predict: Callable[[Case], str], yes: str,
                same: Callable[[str, str], bool] = lambda p, label: p == label) -> YesFigures:
    tp = fp = fn = right = 0
    false_yes: list[Case] = []
    missed: list[Case] = []
    for c in cases:
        p = predict(c)
        right += same(p, c.label)
        said, truth = same(p, yes), c.label == yes
        if said and truth:
            tp += 1
        elif said:
            fp += 1
            false_yes.append(c)
        elif truth:
            fn += 1
            missed.append(c)
    return YesFigures(tp, fp, fn, len(cases), right / len(cases) if cases else 1.0, tuple(false_yes), tuple(missed))


@dataclass(frozen=True)
class RankFigures:
    top1: float
    top3: float
    n: int
    wrong: tuple[tuple[Case, tuple[str, ...]], ...]


def rank_figures(cases: Sequence[Case], rank: Callable[[Case], Sequence[str]]) -> RankFigures:
    """Top-1 and top-3 accuracy of a ranking of SOP request-type names."""
    one = three = 0
    wrong: list[tuple[Case, tuple[str, ...]]] = []
    for c in cases:
        names = tuple(rank(c))
        one += bool(names) and names[0] == c.label
        three += c.label in names[:3]
        if not names or names[0] != c.label:
            wrong.append((c, names[:3]))
    n = len(cases)
    return RankFigures(one / n if n else 1.0, three / n if n else 1.0, n, tuple(wrong))


# Request types as a site other than ours names them, mapped to the SOP's nine by aliases: the
# suggester must rank the site's own types, whatever they are called.
OTHER_SITE_TYPES = (
    RequestType("101", "Ask a question", "How do I...? Questions about using the software, and anything else."),
    RequestType("102", "Report a problem", "Something in the platform is broken or shows an error."),
    RequestType("103", "Equipment & incentives update", "New or changed panels, inverters, batteries, manufacturers, rebates."),
    RequestType("104", "Change our company setup", "Financing products, contract templates, product rules, features for your company."),
    RequestType("105", "Change a project", "Un-archive a project or correct a homeowner's details on one site."),
    RequestType("106", "Billing & account", "Invoices, subscription, cancellation, training for your team."),
    RequestType("107", "New customer setup", "Getting a new installer onto the platform."),
    RequestType("108", "Suggest an improvement", "Ideas and feature requests."),
    RequestType("109", "Not about the platform", "Sales pitches, job applications, events."),
    RequestType("110", "Password reset", "Locked out or forgot your password."),
)
OTHER_SITE_ALIASES = {
    "Ask a question": "General Inquiry", "Report a problem": "Technical Support",
    "Equipment & incentives update": "Industry-wide Data Change", "Change our company setup": "Company-specific Data Change",
    "Change a project": "Project-specific Data Change", "Billing & account": "Account Management",
    "New customer setup": "Onboarding", "Suggest an improvement": "Feature Request",
    "Not about the platform": "Non-Platform Request",
}
