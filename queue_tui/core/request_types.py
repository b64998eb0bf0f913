"""Which of the site's request types a ticket is, ranked, with the words that say so.

queue-triage-and-request-types.txt names nine request types; a real service desk has its own
names (and maybe more types). The site's types are mapped to the SOP's nine by name, ignoring
case and punctuation, or by configured aliases (site name -> SOP name). Each SOP type has cue
phrases written from the SOP's definitions and examples (and the routing of
queue-triage-older-version.txt); a site type scores its SOP type's cues plus the words its own
name and description share with the ticket. A site type with no mapping is scored with the cues
of the SOP type its own name and description read like, if one clearly does (`resembles`), so a
desk nobody configured is still ranked sensibly; the agent sees which.
Nothing is written from a guess: the agent picks, the ranking and its words are the help.
Accuracy on labelled tickets is printed by `make bench`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from queue_tui.core.models import RequestType

SOP_TYPES = ("General Inquiry", "Technical Support", "Industry-wide Data Change", "Company-specific Data Change",
             "Project-specific Data Change", "Account Management", "Onboarding", "Feature Request",
             "Non-Platform Request")
FALLBACK = "General Inquiry"  # the SOP: "if the request is vague ... it may first be categorized under General Inquiry"

_W = r"(?:\w+[ -]){0,%d}"


def _cues(spec: Sequence[tuple[str, float]]) -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple((re.compile(rf"(?<![a-z0-9])(?:{rx})(?![a-z0-9])"), w) for rx, w in spec)


CUES: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    "General Inquiry": _cues((
        (r"how (?:do|can|should|would|long) (?:i|we|you|does|do|is)", 2), (r"where (?:do|can|is|in|are(?! we))", 2),
        (r"explain|versus|vs\.?|when (?:to|should (?:i|we)) use|can someone (?:explain|tell)", 2),
        (r"what(?:'s| is| does)? (?:the )?(?:difference|mean|meaning)", 2), (r"what does", 2),
        (r"difference between", 2), (r"is (?:that|this|it) intended", 2), (r"is there a setting", 2),
        (r"question|quick one|wondering|curious", 1), (r"can (?:our|my|we) (?:reps|users|team) use", 2),
        (r"(?:a |set up a )?demo|interested in|looking for (?:\w+ )?software|talk to about|what does it cost", 2),
        (r"pricing", 1),
        (r"walk us through", 1), (r"who can i talk to|who (?:do|should) (?:i|we) (?:talk|speak)", 2),
        (r"referred|where (?:\w+ ){0,4}stand|are they live", 2), (r"do i need to|do we have to", 1),
    )),
    "Technical Support": _cues((
        (r"errors?|bug|broken|crash\w*|glitch\w*|something went wrong", 3),
        (r"not working|doesn't work|does not work|isn't working|stopped (?:\w+ing|working)", 3),
        (r"fail(?:s|ed|ing|ure)?|spinner|spinning|blank|stuck|loops?|looping|freez\w*|times? out|timeout", 2),
        (r"(?:can't|cannot|can not|unable to|couldn't) (?:log ?in|get in|see|access|open|load|submit|save)", 3),
        (r"(?:none of|no longer|don't|doesn't|not) " + (_W % 4) + r"(?:show(?:s|ing)? up|appear\w*|load\w*)", 3),
        (r"(?:nothing happens|doesn't do anything|does nothing|no error)", 2),
        (r"api|endpoint|json|returns? \d{3}|\d{3} error|webhook|payload|format for the request", 2),
        (r"since (?:this morning|yesterday|the update|friday|monday|last week)", 2),
        (r"can't be right|way off|expired right|something is wrong", 2),
        (r"every time|each time|keeps? \w+ing|happened on|happens (?:on|for|when)|started (?:around|at|this|today)", 2), (r"tried (?:chrome|safari|firefox|edge)|cleared? (?:the )?cache", 2),
    )),
    "Industry-wide Data Change": _cues((
        (r"panels?|modules?|inverters?|microinverters?|batter(?:y|ies)|optimi[sz]ers?|racking", 2),
        (r"manufacturers?|spec ?sheet|datasheet|data sheet|equipment (?:list|database)|equipment", 2),
        (r"rec|solaredge|enphase|iq8\w*|franklin|lg|qcells|q cells|powerwall|panasonic|jinko|sunpower|generac|aptos", 2),
        (r"incentives?|rebates?|tax credit|itc|srecs?|srec-ii", 3), (r"discontinued", 2),
        (r"for everyone|all (?:users|installers|companies)", 1), (r"(?:\d+ ?(?:w|va|kw)\b)", 1),
    )),
    "Company-specific Data Change": _cues((
        (r"contract templates?|installation agreement|agreement|contract", 2),
        (r"(?:loan|lease|ppa|financing|finance|financial) products?|\d+ ?(?:yr|year) (?:loan|lease)|loan product", 3),
        (r"for our (?:org|organization|account|company)|(?:on|to) our (?:account|org)|our org", 2),
        (r"enabled?|disabled?|turn (?:on|off)|(?:de-?)?activate", 2),
        (r"(?:enabl|disabl|turn|activat|deactivat)\w* (?:on |off )?(?:\w+ ){0,3}(?:docusign|pv ?watts|cost buildup|"
         r"project sunroof)|(?:docusign|pv ?watts|cost buildup|project sunroof) (?:\w+ ){0,3}(?:enabled|disabled|on|off)", 3),
        (r"degradation", 3),
        (r"channel partners?|downstream org\w*|sell under", 3), (r"(?:incentive )?override", 3),
        (r"product rules?|restrict\w*", 2), (r"dealer|integrated \w+", 1),
        (r"mosaic|sunlight|dividend|goodleap|service finance|sunnova|renew|pace\w*", 1),
        (r"a new channel partner request", 4),
    )),
    "Project-specific Data Change": _cues((
        (r"un-?archive\w*|archived|restore", 3),
        (r"(?!(?:a|an|the|their|our|my|your|every|each|same|this|that|one|new|any|all|whole|of|to|for|save|saves|"
         r"saving|per|on|in|by)\b)[a-z]+ (?:project|job|residence)|project #?\d+|site at|on (?:that|the|this) site", 2),
        (r"homeowner(?:'s)? (?:legal )?(?:name|email|phone|address|number)|legal (?:name|contact)|co-?applicant", 3),
        (r"(?:after|since) (?:the contract is )?sign\w*|contract is signed|locked", 2),
        (r"misspell\w*|typo|address (?:as|is)", 2), (r"move (?:the )?\w+ project", 3),
    )),
    "Account Management": _cues((
        (r"cancel\w*|subscription|billing|invoices?|charged|card on file|credit card|seats?", 3),
        (r"plan|renewal|upgrade|downgrade|(?:monthly|annual) (?:billing|plan|subscription|invoice)|from monthly|"
         r"to annual", 2),
        (r"receipt|refund|paid|accountant|payment for", 2),
        (r"training|train|book a (?:\w+ )?session|one-hour", 3), (r"new (?:sales )?reps?|new hires?", 1),
        (r"account manager|status check|where are we on|pricing review", 2),
        (r"(?:start )?offering (?:everbright|eb) financing|inquir\w* about eb|everbright financing", 2),
    )),
    "Onboarding": _cues((
        (r"onboard\w*|kick-?off", 3), (r"everbright partner onboarding", 4), (r"installer name", 2),
        (r"just signed|signed with|new customer|became a customer|joining the platform|signed up", 3),
        (r"getting started|get started|next steps|account set ?up|welcome", 2),
        (r"set(?:ting)?[ -]?up (?:our|a|the|my) (?:\w+ )?(?:account|users|org)|new to (?:the platform|your \w+|everbright)", 3),
        (r"login details|users? created|logo|configured so", 1),
    )),
    "Feature Request": _cues((
        (r"(?:it'd|it would|would) be (?:\w+ )?(?:great|nice|helpful|useful|good|amazing|awesome)|would love|"
         r"we'd love|love to see", 3),
        (r"we'd like (?:a|an|the ability|to be able)|(?:a|an) (?:[\w-]+ ){0,2}field (?:on|in|for)", 2),
        (r"suggestions?|feature|idea|enhancement|any plans|any chance|please consider|wish", 3),
        (r"(?:the )?(?:ability|option) to|allow us to|let us|add (?:a|an) (?:way|filter|button|option|field|report)", 3),
        (r"please add a way|could you add (?:the|a|an) (?:option|ability|filter|way)", 2),
        (r"mobile app|dark mode|export|csv|bulk|notifications?|reorder|templates? and reuse|offline", 1),
    )),
    "Non-Platform Request": _cues((
        (r"resume|cv|applying|application (?:for|:)|position|opening|hiring|job (?:application|opening|posting|offer)", 3),
        (r"booth|exhibit\w*|trade ?shows?|conference|expo|invited|invitation|register today|early-bird|sponsor\w*", 3),
        (r"leads|seo|google|traffic|agency|marketing|ads|b2b|free (?:audit|trial|leads)|reply yes", 2),
        (r"dear sir|madam|catalog(?:ue)?|factory|wholesale|partnership opportunity|co-marketing|book more meetings", 3),
        (r"out of (?:the )?office|automatic reply|auto-?reply|limited access to email", 4),
        (r"15 minute call|quick call|free for a", 2),
        (r"we are an? (?:\w+ ){0,3}(?:manufacturer|agency|company|supplier|distributor)|offering|factory prices", 2),
        (r"with our (?:crm|agency|service|platform|software|app)|we help|worth a (?:quick )?(?:chat|call)|boost your|"
         r"grow your|more deals", 3),
    )),
}
_SUMMARY_WEIGHT = 1.5
_RESEMBLE_AT = 3.0
_OWN_WORD_WEIGHT = 1.0
_STOP = frozenset("""a an and any are as at be by can do for from how i in is it its of on or our please that the this
to we what with you your yours my me not no new change changes question questions request requests
something other else anything about""".split())


@dataclass(frozen=True, slots=True)
class Ranked:
    """One request type's place in the ranking, and why."""

    name: str  # the site's name for it (the SOP's when no site list was given)
    sop: str | None  # the SOP type it stands for (same name or configured alias), None when none
    score: float
    words: tuple[str, ...]  # what in the ticket matched
    type_id: str = ""
    resembles: str | None = None  # without a mapping: the SOP type its own name and description read like

    @property
    def reason(self) -> str:
        if not self.words:
            return "nothing specific recognised: General Inquiry until it is clearer" \
                if FALLBACK in (self.sop, self.resembles) else "nothing in the ticket points here"
        like = f" (reads like the SOP's {self.resembles})" if self.resembles else ""
        return "mentions " + ", ".join(f"'{w}'" for w in self.words[:3]) + like


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


_BY_KEY = {_key(n): n for n in SOP_TYPES}


def sop_type_of(site_name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The SOP type a site's request type stands for: by alias first, then by the same name."""
    for site, sop in (aliases or {}).items():
        if _key(site) == _key(site_name):
            return _BY_KEY.get(_key(sop))
    return _BY_KEY.get(_key(site_name))


def resembles(rt: RequestType) -> str | None:
    """The SOP type a site's request type reads like by its name and description, None when unclear."""
    scores = sorted(((score, name) for name, (score, _) in _sop_scores(rt.name.lower(), rt.description.lower()).items()),
                    reverse=True)
    (best, name), (second, _) = scores[0], scores[1]
    return name if best >= _RESEMBLE_AT and best > second else None


def _stem(w: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _content_words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def _sop_scores(summary: str, description: str) -> dict[str, tuple[float, list[str]]]:
    out: dict[str, tuple[float, list[str]]] = {}
    for name, table in CUES.items():
        score, found = 0.0, []
        for pat, weight in table:
            best = 0.0
            for part, factor in ((summary, _SUMMARY_WEIGHT), (description, 1.0)):
                m = pat.search(part)
                if m is not None:
                    best = max(best, weight * factor)
                    if m.group(0).strip() not in found:
                        found.append(m.group(0).strip())
            score += best
        out[name] = (score, found)
    return out


def rank_request_types(summary: str, description: str = "", site_types: Sequence[RequestType] = (),
                       aliases: Mapping[str, str] | None = None) -> list[Ranked]:
    """Every request type, best first. Without `site_types`, the SOP's nine by their SOP names."""
    summary, description = summary.lower(), description.lower()
    sop = _sop_scores(summary, description)
    types = list(site_types) or [RequestType("", n) for n in SOP_TYPES]
    ticket_words = _content_words(f"{summary} {description}")
    ranked: list[Ranked] = []
    for rt in types:
        mapped = sop_type_of(rt.name, aliases)
        like = None if mapped or not site_types else resembles(rt)
        score, found = sop.get(mapped or like or "", (0.0, []))
        if site_types:  # the site's own words for the type count too
            shared = sorted(ticket_words & _content_words(f"{rt.name} {rt.description}"))
            score += _OWN_WORD_WEIGHT * len(shared)
            found = found + [w for w in shared if not any(w in f for f in found)]
        ranked.append(Ranked(rt.name, mapped, score, tuple(found), rt.id, like))
    order = {n: i for i, n in enumerate(SOP_TYPES)}
    # Ties go to the fallback type, then the SOP's order: a vague ticket starts as General Inquiry.
    ranked.sort(key=lambda r: (-r.score, (r.sop or r.resembles) != FALLBACK, order.get(r.sop or r.resembles or "", len(order)),
                               r.name))
    return ranked
