"""Seed data a support agent would recognise, built from the scenarios of the SOP documents.

`seed_world` is deterministic for a given seed and clock time: the same tickets, people and
times every run, placed relative to "now" so that some are fresh, some near breach, some
breached and some paused. `seed_scale` adds N synthetic tickets for benchmarks.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta

from queue_tui.sandbox import automation, history
from queue_tui.sandbox.files import make_attachment
from queue_tui.sandbox.history import AUTOMATION
from queue_tui.sandbox.seed_data import (
    CHANNEL_PARTNERS,
    CS_EPICS,
    CS_STATUSES,
    DEV_STATUSES,
    EVERYDAY,
    FIRST_NAMES,
    JUNK,
    LAST_NAMES,
    ORGS,
    PRIORITY_INSTALLERS,
    REQUEST_TYPES,
    SITE_REQUEST_TYPE_FIRST_ID,
    SITE_REQUEST_TYPES,
    SS_STATUSES,
    STAFF,
    STAFF_DOMAIN,
)
from queue_tui.sandbox.state import (
    WAITING_FOR_CUSTOMER,
    WAITING_FOR_SUPPORT,
    Issue,
    Organization,
    Project,
    Queue,
    RequestType,
    Status,
    User,
    World,
)

__all__ = ["EVERYDAY", "ORGS", "seed_scale", "seed_world", "sop_request_type"]


def sop_request_type(w: World, sop_name: str | None, text: str = "") -> RequestType | None:
    """The site's request type for work the SOP calls `sop_name` (the same name on our desk)."""
    if not sop_name:
        return None
    same = w.request_type_by_name(sop_name)
    if same is not None:
        return same
    names = [site for sop, site, _d in SITE_REQUEST_TYPES if sop == sop_name]
    if len(names) > 1 and not ("log in" in text.lower() or "login" in text.lower()):
        names = names[:1]
    return w.request_type_by_name(names[-1]) if names else None


def _file_name(summary: str, description: str) -> str:
    """What a customer would have attached to this ticket."""
    low = (summary + " " + description).lower()
    for words, name in ((("panel", "microinverter", "module"), "datasheet.pdf"), (("contract",), "contract-template.pdf"),
                        (("users", "list"), "new-users.csv"), (("payload", "api"), "request-payload.json"),
                        (("incentive", "program"), "program-update.pdf")):
        if any(w in low for w in words):
            return name
    return "screenshot.png"


def _triaged_by(w: World, issue: Issue, colleague: str, when: datetime) -> None:
    """The changelog of a colleague's triage: they took the ticket and set its request type."""
    untouched = copy.copy(issue)
    untouched.assignee, untouched.request_type = None, None
    history.record(w, history.snapshot(w, untouched), issue, colleague, when)


def _user(w: World, account_id: str, name: str, display: str, email: str, staff: bool) -> str:
    w.users[account_id] = User(account_id, name, display, email, staff)
    return account_id


def seed_world(w: World, seed: int = 7, me: str = "557058:alex-rivera", request_type_names: str = "sop",
               priority_automation: str | None = "High") -> None:
    """Fill an empty world with the default service desk, CS project and tickets.

    `request_type_names`: "sop" gives the desk the SOP's nine request types; "site" gives it
    another site's ten (`seed_data.SITE_REQUEST_TYPES`), other names and ids. The team's
    automation sets `priority_automation` (a name of the site's priority scheme, added to it
    when new) on tickets of priority installers; None switches that rule off.
    """
    rnd = random.Random(seed)
    now = w.clock.now().replace(microsecond=0)
    _base(w, now, request_type_names, priority_automation)
    w.me = me
    staff = {display: aid for aid, _n, display, _e in STAFF}
    org_id = {o.name: o.id for o in w.organizations.values()}
    customers = _customers(w, rnd)

    def ss(summary: str, description: str, rtype: str | None, reporter: str, org: str | None,
           age: timedelta, status: str = WAITING_FOR_SUPPORT, assignee: str | None = None,
           **extra: object) -> Issue:
        created = now - age
        rt = sop_request_type(w, rtype, summary)
        issue = Issue(
            id=w.next_id(), key=w.next_key("SS"), project="SS", issue_type="Service Request",
            summary=summary, description=description, status=WAITING_FOR_SUPPORT,
            priority="Medium", reporter=reporter, assignee=assignee, created=created, updated=created,
            request_type=rt.id if rt else None,
            organizations=[org_id[org]] if org else [], channel=["Email"],
        )
        files = extra.pop("attachments", [])
        for k, v in extra.items():
            setattr(issue, k, v)
        for name in files if isinstance(files, list) else []:
            text = f"{name}\n\nAttached to: {summary}\nFrom: {w.users[reporter].display_name}\n\n{description}"
            issue.attachments.append(make_attachment(w, name, reporter, created, text))
        automation.priority_installer(w, issue)
        w.add_issue(issue)
        if assignee and assignee != me:
            _triaged_by(w, issue, assignee, created + min(age / 3, timedelta(minutes=10)))
        if status != WAITING_FOR_SUPPORT:
            w.set_status(issue, status, created + age / 2)
        return issue

    # Everyday tickets: ages spread so the queue shows every SLA stage.
    ages = [timedelta(minutes=m) for m in (3, 8, 15, 25, 40, 55, 70, 84, 95, 100, 104, 108, 112, 116, 118,
                                           125, 135, 150, 180, 240, 300, 360, 420, 500, 600, 720)]
    org_names = [o for o in ORGS if o != "Non-platform Emails"]
    for n, (rtype, summary, desc) in enumerate(EVERYDAY):
        cust = customers[n % len(customers)]
        org = org_names[n % len(org_names)]
        age = ages[n % len(ages)]
        assignee = None
        if n % 4 == 1:
            assignee = staff["Sam Okafor"]
        elif n % 4 == 2:
            assignee = staff["Priya Nair"]
        elif n % 7 == 3:
            assignee = me
        status = WAITING_FOR_CUSTOMER if n % 9 == 5 else WAITING_FOR_SUPPORT
        issue = ss(summary, desc, rtype if n % 6 else None, cust, org, age, status, assignee,
                   attachments=([_file_name(summary, desc)] if "attached" in desc else []),
                   labels=(["EB"] if "financ" in desc.lower() else []))
        if status == WAITING_FOR_CUSTOMER and assignee:
            w.add_comment(issue, assignee, "Thanks for reaching out, could you send a screenshot?", True,
                          issue.created + timedelta(minutes=10))
            w.set_status(issue, WAITING_FOR_CUSTOMER, issue.created + timedelta(minutes=10))
        elif assignee and n % 3 == 0:
            w.add_comment(issue, assignee, "Looking into this now.", False, issue.created + timedelta(minutes=5))

    # More volume so the queue feels real: 20 more across every request type.
    for n in range(20):
        rtype = REQUEST_TYPES[n % 8][0]
        cust = customers[(n * 3) % len(customers)]
        org = org_names[(n * 5) % len(org_names)]
        age = timedelta(minutes=rnd.randint(2, 900))
        subj = rnd.choice(["Follow-up on", "Question about", "Problem with", "Request:"]) + " " + rnd.choice(
            ["proposal", "contract", "financing options", "equipment list", "user access", "site design"])
        ss(f"{subj} ({org})", f"{subj}. Details from {org}.", rtype, cust, org, age,
           assignee=rnd.choice([None, None, staff["Sam Okafor"], staff["Priya Nair"], me]))

    # About to breach: two minutes and seven minutes left on first response.
    ss("Site survey photos not uploading", "Uploads stop at 99% for every photo since this morning.", "Technical Support",
       customers[10], "Coastal Sun Co", timedelta(minutes=118))
    ss("Need the new utility rate for PG&E", "PG&E published new rates, please update.", "Industry-wide Data Change",
       customers[11], "Granite State Solar", timedelta(minutes=113))

    # Priority installer tickets (top tier).
    ss("Contract template missing new state disclosures", "Please add the Colorado disclosures to our contract.",
       "Company-specific Data Change", customers[1], "Helios Home Power", timedelta(minutes=100))
    ss("Users cannot log in", "None of our users can log in since 9am.", "Technical Support", customers[2],
       "Summit Solar Group", timedelta(minutes=30))
    ss("Financing options not showing", "Our Sunlight options disappeared from proposals. EverBright financing.",
       "Technical Support", customers[3], "Sunny Day Solar", timedelta(minutes=140), labels=[])

    # Messy tickets for triage: a staff member as reporter (forwarded), staff as participant,
    # no organization, EverBright financing without the EB label, no channel.
    ss("Fwd: Customer can't see loan products", "---------- Forwarded message ---------\nFrom: Dana Brooks <dana.brooks@bluesky-renewables.com>\n"
       "Our EverBright loan products are gone from the proposal tool. Please help.\n",
       None, staff["Sam Okafor"], None, timedelta(minutes=20), channel=[],
       participants=[staff["Rachel Kim"], customers[4]])
    ss("EverBright financing approval stuck", "Our EverBright financing application has been pending for 3 days.",
       None, customers[5], None, timedelta(minutes=12), channel=[], participants=[staff["Marcus Hale"]])

    # Channel partner org ticket (organization should be the channel manager's).
    ss("HW Solar cannot see Mosaic anymore", "We moved under Green Light Solar and lost Mosaic financing.",
       "General Inquiry", customers[6], "HW Solar", timedelta(minutes=65))

    # Non-platform junk.
    for subj, desc, email, display in JUNK:
        cust = _user(w, f"qm:junk:{email}", email.split("@")[0], display, email, False)
        ss(subj, desc, None, cust, None, timedelta(minutes=rnd.randint(5, 90)))

    # EverBright partner onboarding: reporter is a staff forwarder, org missing, from the form.
    onboarding = ss(
        "EverBright Partner Onboarding",
        "A new partner onboarding form was submitted.\n\n"
        "Installer name: Redwood Power Systems\nInstaller contact email: ops@redwoodpower.com\n"
        "States: CA, OR\nProducts: EverBright Loan 25yr, EverBright Lease\n",
        None, staff["Priya Nair"], None, timedelta(minutes=50), channel=["Email"],
        attachments=["partner-onboarding-form.pdf", "redwood-power-logo.png"])
    onboarding.participants = [staff["Rachel Kim"]]
    # The approver answered by opening a new ticket instead of replying in the onboarding one.
    ss("RE: EverBright Partner Onboarding - Redwood Power Systems approved",
       "Approved to push live for Redwood Power Systems.\n\nDavid", None, staff["David Ellis"], None,
       timedelta(minutes=4))

    # Channel partner requests from the JotForm.
    for org, contact, email, manager in (("Coastal Sun Co", "Rosa Ito", "rosa@coastalsun.co", "Green Light Solar"),
                                         ("Northwind Solar", "Pete Evans", "pete@northwindsolar.com", "Bright Path Energy")):
        cust = _user(w, f"qm:cp:{email}", email.split("@")[0], contact, email, False)
        ss(f"A New Channel Partner Request for {org}",
           "| Field | Value |\n|---|---|\n"
           f"| 1. Contact | {contact} ({email}) |\n| 2. Company Name | {manager} |\n"
           f"| 3. Channel partner | {org} |\n| 4. Financing options | Concert, Sunlight |\n",
           "Company-specific Data Change", cust, None, timedelta(minutes=rnd.randint(20, 100)),
           attachments=["channel-partner-form.pdf", f"{org.lower().replace(' ', '-')}-w9.pdf"])

    # Tickets with follow-up history, for the closing rules.
    t = ss("Proposal numbers look off", "The payment estimate differs from the lender's.", "Technical Support",
           customers[7], "Apex Roofing & Solar", timedelta(days=3), assignee=me)
    w.add_comment(t, me, "We fixed the rounding issue. Could you confirm it looks right now?", True, t.created + timedelta(hours=2))
    w.set_status(t, WAITING_FOR_CUSTOMER, t.created + timedelta(hours=2))
    t = ss("Need login for new hire", "Please add Kate to our account.", "Account Management", customers[8],
           "Evergreen Installers", timedelta(days=5), assignee=me)
    w.add_comment(t, me, "Could you send Kate's email address?", True, t.created + timedelta(hours=1))
    w.add_comment(t, me, "Following up: could you send Kate's email address?", True, t.created + timedelta(days=2))
    w.add_comment(t, me, "Following up again: we still need Kate's email address.", True, t.created + timedelta(days=4))
    w.set_status(t, WAITING_FOR_CUSTOMER, t.created + timedelta(hours=1))
    t = ss("Battery sizing is wrong", "The battery sizing tool ignores backup loads.", "Technical Support",
           customers[9], "Lakeside Electric", timedelta(days=2), assignee=staff["Sam Okafor"])
    w.add_comment(t, customers[9], "Thanks, that fixed it!", True, t.created + timedelta(days=1))
    bug = _dev_bug(w, now - timedelta(days=1), "Battery sizing ignores backup loads", "Low")
    w.add_link("Relates", t.key, bug.key, bug.created)

    _cs_tickets(w, now, staff, customers)


def _base(w: World, now: datetime, request_type_names: str = "sop", priority_automation: str | None = "High") -> None:
    for aid, name, display, local in STAFF:
        _user(w, aid, name, display, f"{local}@{STAFF_DOMAIN}", True)
    _user(w, "qm:anonymous", "anonymous", "Anonymous", f"anonymous@{STAFF_DOMAIN}", False)
    w.users[AUTOMATION] = User(AUTOMATION, "automation", "Automation for Jira", "", staff=False, app=True)
    for n, name in enumerate(ORGS, start=1):
        w.organizations[n] = Organization(n, name, now - timedelta(days=400 - n))
    by_name = {o.name: o.id for o in w.organizations.values()}
    w.priority_installers = {by_name[n] for n in PRIORITY_INSTALLERS}
    w.priority_automation = priority_automation
    if priority_automation and priority_automation not in w.priorities:
        w.priorities = {priority_automation: "10000", **w.priorities}
    w.channel_managers = {by_name[p]: by_name[m] for p, m in CHANNEL_PARTNERS.items()}
    ams = ["557058:rachel-kim", "557058:marcus-hale"]
    for n, o in enumerate(sorted(w.organizations.values(), key=lambda o: o.id)):
        w.account_managers[o.id] = ams[n % 2]
    for n, (name, cat) in enumerate(SS_STATUSES + CS_STATUSES + DEV_STATUSES, start=1):
        w.statuses.setdefault(name, _status(str(10000 + n), name, cat))
    w.projects["SS"] = Project("10001", "SS", "Software Support", "service_desk",
                               {"Service Request": "10100"}, [s for s, _ in SS_STATUSES])
    w.projects["CS"] = Project(
        "10002", "CS", "Customer Success", "software",
        {"Doc": "10201", "Onboarding": "10202", "Int Fin": "10203", "Config Finance": "10204",
         "Task": "10205", "Epic": "10206"},
        [s for s, _ in CS_STATUSES],
        {name: 12000 + n for n, name in enumerate(
            [o for o in ORGS if o not in ("Non-platform Emails", "Redwood Power Systems", "Northwind Solar")] + ["other"])},
    )
    w.projects["DEV"] = Project("10003", "DEV", "Development", "software", {"Bug": "10301", "Story": "10302"},
                                [s for s, _ in DEV_STATUSES] + ["In Progress", "Done"])
    if request_type_names == "site":
        for n, (_sop, name, desc) in enumerate(SITE_REQUEST_TYPES, start=SITE_REQUEST_TYPE_FIRST_ID):
            w.request_types[str(n)] = RequestType(str(n), name, desc, desc, "10100", "1", ["1"])
    elif request_type_names == "sop":
        for n, (name, desc) in enumerate(REQUEST_TYPES, start=1):
            w.request_types[str(n)] = RequestType(str(n), name, desc, desc, "10100", "1", ["1"])
    else:
        raise ValueError("request_type_names must be 'sop' or 'site'")
    w.link_types = [
        {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
        {"id": "10001", "name": "Cloners", "inward": "is cloned by", "outward": "clones"},
        {"id": "10002", "name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates"},
        {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
    ]
    base = "project = SS AND resolution = Unresolved"
    priority_clause = (f'priority = "{priority_automation}"' if priority_automation else
                       "organizations in (" + ", ".join(f'"{n}"' for n in PRIORITY_INSTALLERS) + ")")
    fields = ["issuekey", "summary", "status", "assignee", "reporter", "created"]
    w.queues = [
        Queue("1", "All open", f"{base} ORDER BY created DESC", fields),
        Queue("2", "Unassigned issues", f"{base} AND assignee is EMPTY ORDER BY created DESC", fields),
        Queue("3", "Assigned to me", f"{base} AND assignee = currentUser() ORDER BY created DESC", fields),
        Queue("4", "Waiting on support", f'{base} AND status = "{WAITING_FOR_SUPPORT}" ORDER BY created DESC', fields),
        Queue("5", "Priority installers", f'{base} AND {priority_clause} ORDER BY created DESC', fields),
    ]
    # CS epics.
    for epic in CS_EPICS:
        key = w.next_key("CS")
        w.add_issue(Issue(w.next_id(), key, "CS", "Epic", epic, f"Epic: {epic}", "In Progress", "Medium",
                          "557058:tomas-berg", None, now - timedelta(days=300), now - timedelta(days=300)))


def _status(sid: str, name: str, cat: str) -> Status:
    return Status(sid, name, cat)


def _customers(w: World, rnd: random.Random) -> list[str]:
    out = []
    org_names = [o for o in ORGS if o != "Non-platform Emails"]
    for n in range(20):
        first, last = FIRST_NAMES[n], LAST_NAMES[n % len(LAST_NAMES)]
        org = org_names[n % len(org_names)]
        domain = org.lower().replace(" & ", "").replace(" ", "") + ".com"
        email = f"{first.lower()}.{last.lower()}@{domain}"
        aid = _user(w, f"qm:{n:04d}:{first.lower()}", f"{first.lower()}{last.lower()}", f"{first} {last}", email, False)
        org_obj = w.org_by_name(org)
        if org_obj is not None:
            w.org_members.setdefault(org_obj.id, []).append(aid)
        out.append(aid)
    rnd.shuffle(out)
    return out


def _dev_bug(w: World, created: datetime, summary: str, priority: str) -> Issue:
    return w.add_issue(Issue(w.next_id(), w.next_key("DEV"), "DEV", "Bug", summary, summary,
                             "Backlog", priority, "557058:sam-okafor", None, created, created))


def _epic_key(w: World, name: str) -> str:
    return next(i.key for i in w.issues.values() if i.project == "CS" and i.issue_type == "Epic" and i.summary == name)


def _cs_tickets(w: World, now: datetime, staff: dict[str, str], customers: list[str]) -> None:
    """Open CS tickets, so the duplicate check has something to find."""
    rows = [
        ("Chris - Sighten Solar - Add Service Finance Products", "Config Finance", "Sighten Solar", "To Do", "Installer Configurations"),
        ("Maya - Blue Sky Renewables - Update contract template", "Doc", "Blue Sky Renewables", "In Progress", "Installer Configurations"),
        ("Luis - Helios Home Power - Enable Mosaic", "Int Fin", "Helios Home Power", "QA", "Mosaic Configurations"),
        ("Vera - Apex Roofing & Solar - New user onboarding", "Onboarding", "Apex Roofing & Solar", "On Hold", "Installer Onboardings"),
    ]
    for n, (summary, itype, comp, status, epic) in enumerate(rows):
        created = now - timedelta(days=2 + n)
        issue = Issue(w.next_id(), w.next_key("CS"), "CS", itype, summary, summary, "To Do",
                      "High" if comp == "Helios Home Power" else "Medium", staff["Sam Okafor"],
                      staff["Tomas Berg" if n % 2 else "Lena Fischer"], created, created,
                      components=[comp], parent=_epic_key(w, epic), qa_assignee=staff["Cherish Sharma"])
        w.add_issue(issue)
        w.set_status(issue, status, created + timedelta(hours=3))


def seed_scale(w: World, n: int, seed: int = 11, request_type_names: str = "sop",
               priority_automation: str | None = "High") -> None:
    """N synthetic open tickets with varied ages, for benchmarks."""
    rnd = random.Random(seed)
    now = w.clock.now().replace(microsecond=0)
    if not w.projects:
        _base(w, now, request_type_names, priority_automation)
        w.me = STAFF[0][0]
    customers = _customers(w, rnd)
    orgs = [o.id for o in w.organizations.values()]
    rt_ids = list(w.request_types)
    for k in range(n):
        created = now - timedelta(seconds=rnd.randint(60, 6 * 3600))
        rt = rt_ids[(rnd.randint(1, 9) - 1) % len(rt_ids)]
        org = rnd.choice(orgs)
        w.add_issue(Issue(
            id=w.next_id(), key=w.next_key("SS"), project="SS",
            issue_type="Service Request", summary=f"Synthetic request {k + 1}",
            description="Generated for scale tests.", status=WAITING_FOR_SUPPORT,
            priority=(w.priority_automation or "Medium") if org in w.priority_installers else "Medium",
            reporter=rnd.choice(customers), assignee=rnd.choice([None, None, STAFF[1][0], STAFF[2][0]]),
            created=created, updated=created, request_type=rt, organizations=[org], channel=["Email"],
        ))
