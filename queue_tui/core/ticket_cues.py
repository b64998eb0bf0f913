"""What a ticket's own text suggests: EverBright financing (the "EB" label) and the channel it came through.

queue-triage-and-request-types.txt: "If related to EverBright financing, add "EB" to the label
field", and "Check the channel field and make sure phone, email, or chat is selected". Both are
suggestions with evidence for the agent to confirm, never facts to write on a guess.

EverBright is also the platform's name, the staff's email domain and the name on webinars and
events, so the word alone proves nothing: a financing word must belong to EverBright ("EB loan",
"EverBright 25-year lease", "financed through EverBright"), not to another financier or the platform
("the EverBright platform ... Mosaic loans"), and an event ("EverBright financing webinar") is not
a financing request.

For the SOP engine:
    eb_financing(ticket) -> Judgement   verdict `Financing`; `.yes` when related to EB financing, `.asks` when
        the ticket names EverBright without saying it is its financing (the agent answers that)
    suggest_channel(ticket, source="") -> Judgement   verdict `Channel` (UNKNOWN when nothing tells);
        `source` is Jira Service Management's request channel where the service layer knows it
        ("email", "portal", "jira", "api"), "" otherwise.
"""

from __future__ import annotations

import re

from queue_tui.core.judgement import Channel, Financing, Judgement
from queue_tui.core.models import Ticket
from queue_tui.core.reading import Sentence, sentences, strip_history

_BRAND = re.compile(r"(?<![a-z0-9@.])(?:go)?ever-?\s?bright\b|(?<![A-Za-z0-9])(?-i:EB)(?![A-Za-z0-9])", re.IGNORECASE)
_FINANCE = re.compile(
    r"\b(?:loans?|leases?|ppas?|financ\w*|credit(?: app\w*)?|prequal\w*|pre-qual\w*|funds?|funding|funded|lends?|milestone|"
    r"m[123] payment|dealer fee|escalator|buyout|stip(?:ulation)?s?|rate sheet|rates?|terms?|integrated \w+|"
    r"products?)\b", re.IGNORECASE)
# Only modifiers may stand between the brand and its financing word ("EverBright 25-year solar loan"): a verb
# or another name there means the financing is not EverBright's ("Can EverBright export our loan ...").
_MODIFIERS = re.compile(r"^(?:['’]s)?[\s:,()-]*(?:(?:\d+(?:\.\d+)?%?|\d+-?(?:year|yr)s?|years?|yrs?|solar|home|residential|battery|"
                        r"standard|fixed|new|current|integrated)[\s:,()-]*)*$", re.IGNORECASE)
_EVENT = re.compile(r"\b(?:webinars?|summit|booth|trade ?shows?|conference|expo|register|registration|seats are|"
                    r"invite|invitation|sponsor\w*|exhibit\w*|resume|cv)\b", re.IGNORECASE)
_FINANCED_BY = re.compile(r"\b(?:financ\w*|funded|loans?|leases?|applications?|applied|apps?)\s+(?:through|by|with|via|from|to)"
                          r"\s+(?:the\s+)?$",
                          re.IGNORECASE)
# Any naming of EverBright (not the staff's goEverBright domain or signature): the agent is asked, never skipped.
_NAMED = re.compile(r"(?<![a-z0-9@.])ever-?\s?bright\b|(?<![A-Za-z0-9])(?-i:EB)(?![A-Za-z0-9])", re.IGNORECASE)
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
_ONBOARDING_FORM = re.compile(r"^\s*EverBright Partner Onboarding\s*$", re.IGNORECASE)


def eb_financing(t: Ticket) -> Judgement:
    """Whether the ticket is related to EverBright financing, with the sentence that says so."""
    if _ONBOARDING_FORM.match(t.summary):
        return Judgement(Financing.EB, t.summary, reason="an EverBright Partner Onboarding form: its integrated products")
    text = _EMAIL_OR_URL.sub(" ", f"{t.summary}\n{strip_history(t.description, keep_forwards=True)}")
    for s in sentences(text):
        if _EVENT.search(s.text):
            continue
        phrase = _eb_phrase(s)
        if phrase:
            return Judgement(Financing.EB, s.text, reason=f"mentions '{phrase}'")
    named = next((s for s in sentences(text) if _NAMED.search(s.text)), None)
    if named is not None:
        return Judgement(Financing.MENTIONED, named.text,
                         reason="names EverBright, not clearly its financing: is it related to EverBright financing?")
    return Judgement(Financing.NOT_EB, reason="EverBright is not named")


def _eb_phrase(s: Sentence) -> str:
    """The words that tie a financing word to EverBright in this sentence, "" when none do."""
    for brand in _BRAND.finditer(s.text):
        after = s.text[brand.end():]
        fin = _FINANCE.search(after)
        if fin is not None and _MODIFIERS.match(after[:fin.start()]):
            return s.text[brand.start():brand.end() + fin.end()]
        by = _FINANCED_BY.search(s.text[:brand.start()])
        if by is not None:
            return s.text[by.start():brand.end()]
    return ""


# -- channel -----------------------------------------------------------------------------------
_CHANNEL_CUES: dict[Channel, tuple[tuple[re.Pattern[str], float, str], ...]] = {
    Channel.EMAIL: (
        (re.compile(r"^\s*(?:From|Sent|Date):\s", re.I | re.M), 3, "an email header"),
        (re.compile(r"^\s*On\b.{0,160}\bwrote:\s*$", re.I | re.M), 3, "a quoted email"),
        (re.compile(r"forwarded message|^\s*(?:re|fw|fwd):", re.I | re.M), 3, "a forwarded or replied email"),
        (re.compile(r"sent from my \w+|get outlook for|this e-?mail and any attachments", re.I), 3, "an email footer"),
        (re.compile(r"^\s*(?:best(?: regards)?|kind regards|regards|cheers|thanks|thank you|sincerely),?\s*$|^\s*--\s*\w+",
                    re.I | re.M), 1, "a sign-off"),
        (re.compile(r"^\s*(?:hi|hello|dear|hey)\b[^\n]{0,30},\s*$", re.I | re.M), 1, "a greeting line"),
    ),
    Channel.PHONE: (
        (re.compile(r"\b(?:called|calling|call from|phone call|by phone|over the phone|phone conversation|phoned|"
                    r"voicemail|voice mail|rang|inbound call|support line|callback number|call(?:ed)? in|"
                    r"(?:per|on|during|after) (?:a |the |our )?call|call with|call back|missed call)\b", re.I),
         3, "a call"),
    ),
    Channel.CHAT: (
        (re.compile(r"\b(?:chat|chatted|transcript|live chat|chat widget)\b", re.I), 3, "a chat"),
        (re.compile(r"^\s*(?:\[\d{1,2}:\d{2}\]\s*)?(?:visitor|agent|customer)\s*:", re.I | re.M), 2, "a chat transcript"),
    ),
}
_SOURCE = {"email": Channel.EMAIL}
_SUGGEST_AT = 2.0


def suggest_channel(t: Ticket, source: str = "") -> Judgement:
    """The channel the ticket's source and text point to; UNKNOWN when nothing clearly does."""
    text = f"{t.summary}\n{t.description}"
    scores: dict[Channel, float] = {}
    evidence: dict[Channel, tuple[float, str, str]] = {}
    if source.lower() in _SOURCE:
        ch = _SOURCE[source.lower()]
        scores[ch] = 3
        evidence[ch] = (3, "", f"Jira says the request came by {source.lower()}")
    for ch, table in _CHANNEL_CUES.items():
        for pat, weight, what in table:
            m = pat.search(text)
            if m is None:
                continue
            scores[ch] = scores.get(ch, 0) + weight
            if weight > evidence.get(ch, (0, "", ""))[0]:
                evidence[ch] = (weight, _line_of(text, m.start()), f"{what}: '{m.group(0).strip()}'")
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < _SUGGEST_AT or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return Judgement(Channel.UNKNOWN, reason="nothing in the ticket tells the channel: pick it")
    ch = ranked[0][0]
    _, line, why = evidence[ch]
    return Judgement(ch, line, reason=why)


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)].strip()
