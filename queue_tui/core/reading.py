"""How the app reads what a person wrote: the words they wrote now, in sentences, with negation and questions.

The judgements of `replies` and `ticket_cues` are built on these: a reply is read without the
history it quotes and without its signature, split into sentences (and sentences into clauses),
and a cue counts only where the writer asserts it: "approved" in "not approved yet" is negated,
"resolved" in "looking forward to getting this resolved" is not a statement of fact, and
"Could you confirm your account ID?" is a question. Pure: text in, values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where quoted history starts: everything from here down was written earlier, usually by us.
_HISTORY = re.compile(
    r"^\s*(?:On\b.{0,160}\bwrote:\s*$"  # On Tue, Nov 18, 2025 at 9:02 AM Support <...> wrote:
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|_{8,}\s*$"
    r"|From:\s.*$"  # Outlook's header block (a forward inside a ticket's description is kept: see keep_forwards)
    r"|Reply above this line)",
    re.IGNORECASE | re.MULTILINE)
_FORWARD = re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}", re.IGNORECASE | re.MULTILINE)
_JIRA_QUOTE = re.compile(r"\{quote\}.*?(?:\{quote\}|$)", re.DOTALL)
_QUOTED_LINE = re.compile(r"^\s*(?:>|bq\.\s)")
_HEADER_LINE = re.compile(r"^\s*(?:Subject|Sent|Date|To|Cc|From):\s", re.IGNORECASE)

# A signature: the sign-off line and the short lines under it.
_SIGN_OFF = re.compile(
    r"^\s*(?:--\s*|—\s*|best(?: regards| wishes)?,?|kind regards,?|regards,?|cheers,?|thanks,|thank you,|"
    r"thx,|many thanks,?|sincerely,?|sent from my \w+.*|get outlook for \w+.*)\s*$", re.IGNORECASE)
_DISCLAIMER = re.compile(r"^\s*(?:this e-?mail and any attachments|confidentiality notice)", re.IGNORECASE)
_SIGNATURE_MAX_LINES = 6

_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "approx.", "st.", "dr.", "mr.", "mrs.", "ms.", "no.", "vs.", "inc.", "co.")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+")
# The conjunction stays with the clause it opens: "approved, though ..." keeps its "though".
_CLAUSE_BREAK = re.compile(r"\s*(?:;|,(?=\s*(?:but|however|though|although|otherwise)\b)"
                           r"|(?=\s(?:but|however|although|though|otherwise)\s)|\s[-–—]\s|:\s)\s*", re.IGNORECASE)

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)
NEGATORS = frozenset({
    "not", "no", "never", "nope", "nothing", "without", "nor", "neither", "cannot", "hardly", "unable",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't",
    "won't", "wouldn't", "can't", "couldn't", "shouldn't", "ain't", "dont", "doesnt", "didnt", "isnt", "arent",
    "havent", "hasnt", "wont", "cant", "couldnt", "wasnt", "yet",
})
# "yet" alone does not negate ("approved yet?" is a question): only "yet to approve" does.
_NEG_WINDOW = 4
# "No objections, go ahead" and "no worries" say yes.
_NOT_NEGATING = re.compile(r"\bno (?:objections?|problems?|worries|issues?|concerns?)\b")
# Words that make what follows a wish, a plan or a condition rather than a statement of fact.
IRREALIS = frozenset({
    "hope", "hopefully", "hoping", "once", "when", "whenever", "until", "till", "unless", "if", "whether",
    "forward", "want", "wants", "wanted", "need", "needs", "wish", "expect", "expects", "should", "would",
    "will", "gonna", "going", "to", "might", "may", "asap",
})
_QUESTION_START = re.compile(
    r"^\s*(?:(?:hi|hello|hey|ok|okay|so|also|and|but|thanks|great|perfect|quick question)\b[^a-z]*)?"
    r"(?:(?:could|can|would|will|do|does|did|is|are|was|were|have|has|should|shall|may)\s+(?:you|we|i|it|they|this|"
    r"that|these|there|the|my|our|your|he|she|someone|anyone|anything)|what|which|where|when|who|whom|whose|why|"
    r"how|any chance|mind)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence as written, and the lower-case text its cues are matched on."""

    text: str
    lower: str
    question: bool

    def clauses(self) -> list[str]:
        return [c for c in _CLAUSE_BREAK.split(self.lower) if c.strip()]


def strip_history(text: str, keep_forwards: bool = False) -> str:
    """The text without the history it quotes: "On ... wrote:", "> lines", Outlook headers, {quote}.

    A ticket's description may be a forwarded message whose body is the request: with
    `keep_forwards` the forwarded part is kept and only its header lines are dropped.
    """
    text = _JIRA_QUOTE.sub("\n", text)
    if keep_forwards and _FORWARD.search(text):
        return "\n".join(line for line in text.splitlines()
                         if not _HEADER_LINE.match(line) and not _FORWARD.match(line))
    m = _HISTORY.search(text)
    if m is not None and text[:m.start()].strip():  # a reply above the history (bottom-posting keeps its text)
        text = text[:m.start()]
    return "\n".join(line for line in text.splitlines() if not _QUOTED_LINE.match(line))


def strip_signature(text: str) -> str:
    """The text without the sign-off and the few short lines under it (name, title, phone)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _DISCLAIMER.match(line):
            return "\n".join(lines[:i])
        if i == 0 or not _SIGN_OFF.match(line):
            continue
        rest = [r for r in lines[i + 1:] if r.strip()]
        if len(rest) <= _SIGNATURE_MAX_LINES and all(len(r) <= 80 for r in rest):
            return "\n".join(lines[:i])
    return text


def own_words(text: str) -> str:
    """What the writer of a reply wrote now: no quoted history, no signature, no Jira mention markup."""
    text = strip_signature(strip_history(text))
    return re.sub(r"\[~[^\]]*\]", " ", text)


def sentences(text: str) -> list[Sentence]:
    """Split into sentences on end punctuation and line breaks, not on "e.g." or "3.5%"."""
    out: list[Sentence] = []
    buf = ""
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[pos:m.start()]
        pos = m.end()
        buf = f"{buf} {piece}" if buf else piece
        if "\n" not in m.group(0) and buf.lower().endswith(_ABBREVIATIONS):
            continue
        _add(out, buf)
        buf = ""
    buf = f"{buf} {text[pos:]}" if buf else text[pos:]
    _add(out, buf)
    return out


def _add(out: list[Sentence], raw: str) -> None:
    s = " ".join(raw.split())
    if not s or not re.search(r"[A-Za-z0-9\U0001F300-\U0001FAFF]", s):
        return
    out.append(Sentence(s, s.lower().replace("’", "'"), s.rstrip().endswith("?") or bool(_QUESTION_START.match(s))))


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def negated(clause: str, start: int) -> bool:
    """Whether the cue at `start` of `clause` is negated: a negator in the few words before it.

    "not approved", "haven't approved", "can't see", "no luck"; "yet" only counts with a negator
    ("not yet", "not ... yet") or as "yet to". A negator after the cue ("approved? no") is left
    to the cue lists, where "no" and "not yet" are cues of their own.
    """
    before = words(_NOT_NEGATING.sub(" ", clause[:start]))[-_NEG_WINDOW:]
    return any(w in NEGATORS and w != "yet" for w in before) or before[-2:] == ["yet", "to"]


def hedged(clause: str, start: int) -> bool:
    """Whether the cue at `start` is a wish, plan or condition ("once it's fixed", "to get this resolved")."""
    before = words(clause[:start])[-_NEG_WINDOW:]
    return any(w in IRREALIS for w in before)


@dataclass(frozen=True, slots=True)
class Hit:
    """A cue found in a sentence: which cue, where, and whether the writer asserted it."""

    cue: str
    sentence: Sentence
    phrase: str
    negated: bool
    hedged: bool
    weight: float = 1.0


def find(patterns: dict[str, tuple[re.Pattern[str], float]], sents: list[Sentence]) -> list[Hit]:
    """Every match of every named pattern, clause by clause, with its negation and hedging."""
    hits: list[Hit] = []
    for s in sents:
        for clause in s.clauses():
            for name, (pat, weight) in patterns.items():
                for m in pat.finditer(clause):
                    hits.append(Hit(name, s, m.group(0).strip(), negated(clause, m.start()), hedged(clause, m.start()),
                                    weight))
    return hits


def cues(spec: dict[str, tuple[str, float]]) -> dict[str, tuple[re.Pattern[str], float]]:
    """Compile a table of named cue regexes (matched on lower-case text, whole words)."""
    return {name: (re.compile(rf"(?<![a-z0-9])(?:{rx})(?![a-z0-9])"), w) for name, (rx, w) in spec.items()}
