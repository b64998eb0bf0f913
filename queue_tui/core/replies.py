"""What a reply says: the approver's go-live answer, a customer's verdict on their issue, and what our reply asked.

Each reader takes the text of one comment and returns a `Judgement` with the sentence that
decided it. The reply is read as a person would: quoted history and signatures are left out,
negation ("not approved yet", "still not resolved") and wishes ("looking forward to getting this
resolved") never read as yes, and a question for data ("Could you confirm your account ID?") is
not a request to confirm a fix. Precision comes first: anything unclear is a no, and the agent
decides. Accuracy against labelled replies is printed by `make bench`.

For the SOP engine (conditions that read text):
    approval(comments, approver, since, approval_tickets=())  everbright-partner-onboarding.txt step 5:
        the approver's latest answer after `since` (the moment support asked), as a Judgement whose
        verdict is an `Approval`; `.yes` only for an unconditional approval.
    read_approver_reply(text, author, at)      one comment or an approval ticket's text
    read_customer_reply(text, author, at)      verdict `CustomerReply`; `.yes` = resolved
    read_staff_reply(text, author, at)         verdict `StaffReply`; `.yes` = confirmation attempt
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from queue_tui.core.judgement import Approval, CustomerReply, Judgement, StaffReply
from queue_tui.core.models import Comment, Person, Ticket
from queue_tui.core.reading import Hit, cues, find, own_words, sentences

# -- the approver ------------------------------------------------------------------------------
_APPROVER = cues({
    "approve": (r"(?:approv(?:ed|e|ing)|a?ppro?v(?:ed|d)|aprov\w*|my approval|approval (?:is )?(?:granted|given))", 3),
    "go": (r"(?:go ahead|go for it|good to go|green ?light|good to launch|(?:ok|okay|fine|clear|cleared) to "
           r"(?:push|launch|go live|go)|all set on my end|(?:you|we) can push|push (?:it |them |the products )?live|"
           r"lgtm|looks good(?: to me)?|yes|yep|yeah|yup|sí|👍|✅|no objections?|(?:i'm|i am|we're|we are) (?:fine|ok|okay|happy|good) "
           r"with)", 2),
    "wait": (r"(?:hold off|hold on|(?:pls|please) hold|hold|wait(?:ing)?(?: on)?|pending|not yet|not ready|"
             r"still (?:reviewing|waiting|checking|looking)|let me (?:check|confirm|verify|talk|ask)|get back to you|"
             r"circle back|let you know|will advise|holding|give me (?:a|an|until|another|some|more)|"
             r"(?:want|need|have) to (?:double[- ]?)?(?:check|confirm|verify|talk|review)|before we push|until i|"
             r"not until|not (?:\w+ ){0,2}yet)", 2),
    "refuse": (r"(?:declin\w*|denied|deny|reject\w*|not moving forward|won't be (?:launching|offering|moving)|"
               r"terminated|withdr[ae]w\w*|a no from|(?:cancel|close) (?:the cs ticket|this out|it out)|"
               r"remove the products|(?:do not|don't|not) (?:push|enable|launch|go live)|pass on (?:this|it|them)|"
               r"cancel (?:the|this|their) \w+|"
               r"(?:can't|cannot|unable to|won't) approve|^no[.!]*$|^no,|^nope)", 3),
    "condition": (r"(?:only|but|once|as soon as|as long as|provided|on the condition|condition\w*|if|after|unless|"
                  r"except|not before|until|before (?:push\w*|go-?live|launch\w*)|make sure|double check|though|although|"
                  r"assuming|first|for now|"
                  r"on (?:monday|tuesday|wednesday|thursday|friday)|hold the|keep \w+ off|stays? off)", 2),
})
# "let me know if you need anything" is politeness, not a condition.
_POLITE_IF = re.compile(r"\b(?:know|see|wondering) if\b|\bif (?:you need|anything|there's anything|needed)\b")


def read_approver_reply(text: str, author: Person | None = None, at: datetime | None = None) -> Judgement:
    """The approver's answer to "are we approved to push live?"; approved only without a condition."""
    sents = sentences(_drop_subject(own_words(text)))
    hits = [h for h in find(_APPROVER, sents) if not (h.cue == "condition" and _POLITE_IF.search(h.sentence.lower))]
    positive = [h for h in hits if h.cue in ("approve", "go") and not h.negated and not h.hedged]
    negative = [h for h in hits if h.cue in ("approve", "go") and h.negated]
    waits = [h for h in hits if h.cue == "wait"]
    conditions = [h for h in hits if h.cue == "condition"]
    wait_sentences = {id(h.sentence) for h in waits}
    refusals = [h for h in hits if h.cue == "refuse" and id(h.sentence) not in wait_sentences]

    def verdict(v: Approval, h: Hit | None, reason: str) -> Judgement:
        return Judgement(v, h.sentence.text if h else "", author, at, reason)

    if refusals:
        return verdict(Approval.REFUSED, refusals[0], f"refuses: '{refusals[0].phrase}'")
    if positive and (negative or waits or conditions):
        why = (conditions or waits or negative)[:2]
        return verdict(Approval.CONDITIONAL if conditions or waits else Approval.NOT_YET, why[0],
                       f"'{positive[0].phrase}' with " + " and ".join(f"'{h.phrase}'" for h in why)
                       + ": read it before going live")
    if positive:
        return verdict(Approval.APPROVED, positive[0], f"approves: '{positive[0].phrase}'")
    if negative or waits:
        h = (negative or waits)[0]
        return verdict(Approval.NOT_YET, h, f"not yet: '{'not ' if h.negated else ''}{h.phrase}'")
    question = next((s for s in sents if s.question), None)
    if question is not None:
        return Judgement(Approval.NOT_YET, question.text, author, at, "asks a question instead of approving")
    return Judgement(Approval.UNCLEAR, sents[0].text if sents else "", author, at, "no approval found in the reply")


def _drop_subject(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not re.match(r"\s*subject:", line, re.I))


def approval(comments: Iterable[Comment], approver: Person, since: datetime | None = None,
             approval_tickets: Sequence[Ticket] = ()) -> Judgement:
    """The approver's latest answer given after `since`, in a comment or in a separate approval ticket.

    Times are compared as datetimes (aware ones: the same instant in any UTC offset). A later
    answer replaces an earlier one ("hold off" then "approved" is approved; the reverse is not).
    """
    answers: list[tuple[datetime, Judgement]] = []
    for c in comments:
        if c.author is not None and _same_person(c.author, approver) and (since is None or c.created >= since):
            answers.append((c.created, read_approver_reply(c.body, c.author, c.created)))
    for t in approval_tickets:  # his, by its reporter: anyone can open a ticket whose subject says approved
        if t.reporter is not None and _same_person(t.reporter, approver) and (since is None or t.created >= since):
            answers.append((t.created, read_approver_reply(f"{t.summary}\n{t.description}", t.reporter, t.created)))
    if not answers:
        return Judgement(Approval.NO_REPLY, reason="no answer from the approver yet")
    return max(answers, key=lambda a: a[0])[1]


def _same_person(a: Person, b: Person) -> bool:
    return a.id == b.id or (bool(a.email) and a.email.lower() == b.email.lower())


# -- the customer ------------------------------------------------------------------------------
_CUSTOMER = cues({
    "fixed": (r"(?:fixed|that (?:worked|did it)|did the trick|it works|works (?:now|again|fine|great|perfectly)|"
              r"(?:it's|it is|everything is|everything's|is|are) working|working (?:now|again|fine|as expected|great)|"
              r"resolved|solved|all good|all set|(?:looks?|looking) (?:right|good|correct|great|fine)(?: now)?|"
              r"sort(?:ed|ing) (?:it |this |that )?out|sorted|(?:you can|feel free to|go ahead and|ok to) close|"
              r"(?:can|could) (?:now )?(?:see|edit|log ?in|access|sign|submit|select|find)|able to|"
              r"showing (?:now|up now|correctly|the correct)|(?:is|are) (?:correct|right|fine|showing) now|"
              r"loads? (?:fine|now|correctly)|(?:no|zero) (?:more|further) (?:errors?|issues?|problems?)|"
              r"we're good|we are good|good now|generates now|(?:on|in) new proposals now|like a charm|works?(?: \w+){0,3} now|"
              r"confirmed working|working (?:properly|correctly)|"
              r"(?:shows?|showing|appears?|appearing)(?: up)? (?:correctly|properly|fine|now)|"
              r"(?:issue|error|problem|bug)s? (?:is |are |has |have )?(?:gone|disappeared|went away|cleared)|"
              r"(?:not|no longer) (?:getting|seeing) (?:the |that |this |an? |any )?(?:\w+ )?(?:errors?|issues?|problems?))", 2),
    "broken": (r"(?:still (?:not|broken|missing|seeing|the same|happening|there|getting|get|can't|cannot|doesn't|"
               r"don't|isn't|aren't|won't|no|shows?|showing|failing|wrong|an? (?:issue|error|problem)|having)|"
               r"same (?:thing|error|issue|problem)|persists?|no luck|no change|no dice|"
               r"(?:broken|failing|happening|back) again|not (?:working|fixed|resolved|solved)|nope|"
               r"didn't (?:work|help|fix|solve|change)|did not (?:work|help|fix|solve|change)|"
               r"(?:doesn't|does not|won't|will not) work|unfortunately|error (?:is )?still|can someone call|still \w+ing|"
               r"(?:still )?unable to|(?:doesn't|does not|didn't|did not|hasn't|has not) (?:seem to )?(?:have )?"
               r"(?:changed|helped|worked|fixed|solved|resolved|made a difference))", 3),
    # An error that is reported, unless negated ("not getting the error anymore").
    "error": (r"(?:getting|get|got|seeing|see|shows?|throws?|still) (?:an? |the |this |that )?(?:\w+ )?errors?", 3),
    "more": (r"(?:one more thing|another question|quick question|while i have you|(?:could|can|would) you also|"
             r"i also need|also,? (?:can|could|how|where|is)|(?:can|could) we (?:also |get|have))", 2),
    "thanks": (r"(?:thank\w*|thx|ty|tnx|appreciated?|gracias|merci|danke|got it|sounds good|received|noted|"
               r"ok(?:ay)?|great|will do|have a (?:good|great|nice))", 1),
})


def read_customer_reply(text: str, author: Person | None = None, at: datetime | None = None) -> Judgement:
    """A customer's reply: resolved only when they say it is fixed and ask nothing new."""
    sents = sentences(own_words(text))
    hits = find(_CUSTOMER, sents)
    # "not fixed" is broken; "not getting the error" is not.
    broken = [h for h in hits if h.cue == "broken" or (h.cue == "fixed" and h.negated)
              or (h.cue == "error" and not h.negated)]
    fixed = [h for h in hits if h.cue == "fixed" and not h.negated and not h.hedged]
    more = [h for h in hits if h.cue == "more"]
    question = next((s for s in sents if s.question), None)
    if broken:
        h = broken[0]
        return Judgement(CustomerReply.NOT_RESOLVED, h.sentence.text, author, at,
                         f"says it is not resolved: '{'not ' if h.negated and h.cue == 'fixed' else ''}{h.phrase}'")
    asks = more[0].sentence if more else question
    if fixed and asks is not None:
        return Judgement(CustomerReply.NEW_QUESTION, asks.text, author, at,
                         f"'{fixed[0].phrase}', and asks something new")
    if fixed:
        return Judgement(CustomerReply.RESOLVED, fixed[0].sentence.text, author, at, f"says '{fixed[0].phrase}'")
    if asks is not None:
        return Judgement(CustomerReply.NEW_QUESTION, asks.text, author, at, "asks a question")
    thanks = next((h for h in hits if h.cue == "thanks"), None)
    if thanks is not None:
        return Judgement(CustomerReply.THANKS_ONLY, thanks.sentence.text, author, at,
                         "thanks us without saying whether it is resolved")
    return Judgement(CustomerReply.UNCLEAR, sents[0].text if sents else "", author, at, "no verdict in the reply")


# -- our replies -------------------------------------------------------------------------------
_STAFF = cues({
    # We changed something, or believe it is fixed.
    "done": (r"(?:(?:has|have) been|(?:is|are) now|now) (?:updated|corrected|fixed|resolved|enabled|added|set|"
             r"turned on|live|unarchived|restored|changed|configured|deployed|removed|switched on)|"
             r"(?:we|i)(?:'ve| have)?(?: went ahead and)? (?:re-?)?(?:updated|corrected|fixed|resolved|enabled|added|"
             r"unarchived|restored|changed|configured|removed|turned on|applied|swapped|replaced|uploaded|activated|"
             r"deactivated|disabled|reset|switched)|deployed a fix|fix is (?:live|in|out)|"
             r"(?:has|have) been (?:swapped|replaced|uploaded|activated|deactivated|disabled|reset|re-?enabled)|"
             r"(?:should|will) (?:be (?:fixed|resolved|working)|work|load|show)(?: now)?|(?:should|will) now \w+|"
             r"(?:is|are) live|all set|(?:i|we) believe (?:this|it|the issue) is (?:resolved|fixed)|"
             r"looks like (?:the|this|it) .{0,20}(?:resolved|fixed)", 2),
    # Asking the customer to check.
    "ask": (r"(?:confirm\w*|verify|check (?:that|if|whether)|let (?:us|me) know|give it a try|try (?:it|again|\w+ing)|"
            r"test|see if|tell us if)", 1),
    # ... whether it works: the object of the check.
    "works": (r"(?:works?|working|fix(?:ed)?|resolved?s?|looks? (?:right|good|correct|ok)|"
              r"(?:showing|shows?) (?:correctly|up)|correct(?:ly)?|complete|able to|"
              r"(?:can|could) (?:now )?(?:see|edit|select|log ?in|access|find)|see (?:it|them)|loads?|"
              r"everything looks|anything (?:is |looks )?(?:still )?(?:off|wrong)|looks? off|appears?|show up|visible|"
              r"(?:error|issue|problem) is gone|gone)", 1),
    "close": (r"(?:(?:can|may) we close|(?:ok|okay) to close|(?:we'll|we will|i'll|i will)(?: go ahead and)? close|"
              r"close (?:this|it) out|close the ticket)", 1),
    "info": (r"(?:send|share|attach|provide|upload|forward|gather|walk us through|tell us (?:the|which|what|how)|"
             r"need (?:the|a|your|it)|we(?:'ll| will)? need|what(?:'s| is)? |which|screenshots?|account id|"
             r"project id|spec sheet|email address|homeowner's name|details|list of)", 2),
    "chase": (r"(?:following up|follow-up|checking in|check in|circling back|circle back|haven't heard|"
              r"have not heard|not heard back|reminder|bumping|reaching out again|still waiting on|still need|"
              r"any update on|once more|hi again|we asked for|previous (?:message|email|note)|check(?:ing)? back|any luck|"
              r"(?:haven't|have not|not yet) (?:received|gotten|got|seen))", 2),
})
_OURS = re.compile(r"(?:\bwill|'ll|\bshall|going to)\s*$")


def read_staff_reply(text: str, author: Person | None = None, at: datetime | None = None) -> Judgement:
    """Our reply: a confirmation attempt only when it asks the customer to check that it is fixed."""
    sents = sentences(own_words(text))
    hits = [h for h in find(_STAFF, sents) if not (h.cue == "ask" and _by_us(h))]
    by_sentence: dict[int, set[str]] = {}
    for h in hits:
        by_sentence.setdefault(id(h.sentence), set()).add(h.cue)
    info = [h for h in hits if h.cue == "info"]
    done = [h for h in hits if h.cue == "done"]
    checks = [s for s in sents if "works" in by_sentence.get(id(s), set())
              and ("ask" in by_sentence.get(id(s), set()) or s.question)]
    closing = [h for h in hits if h.cue == "close"]
    asks_back = [h for h in hits if h.cue == "ask"]
    confirms = checks or ([h.sentence for h in closing + asks_back] if done else [])
    if confirms and not info:
        s = confirms[0]
        why = f"after '{done[0].phrase}', " if done else ""
        return Judgement(StaffReply.CONFIRMATION_ATTEMPT, s.text, author, at, f"{why}asks the customer to confirm")
    chase = next((h for h in hits if h.cue == "chase"), None)
    if chase is not None:
        return Judgement(StaffReply.FOLLOW_UP, chase.sentence.text, author, at, f"follows up: '{chase.phrase}'")
    asking = info[0].sentence if info else next((s for s in sents if s.question), None)
    if asking is not None:
        return Judgement(StaffReply.PROBING_QUESTION, asking.text, author, at, "asks for details")
    return Judgement(StaffReply.GENERAL_RESPONSE, sents[0].text if sents else "", author, at,
                     "tells the customer where things stand")


def _by_us(h: Hit) -> bool:
    """'we will confirm once it is live' is a promise of ours, not a request to the customer."""
    lower = h.sentence.lower
    at = lower.find(h.phrase)
    return at > 0 and bool(_OURS.search(lower[:at]))

