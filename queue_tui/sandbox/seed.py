"""Seed data a support agent would recognise, built from the scenarios of the SOP documents.

`seed_world` is deterministic for a given seed and clock time: the same tickets, people and
times every run, placed relative to "now" so that some are fresh, some near breach, some
breached and some paused. `seed_scale` adds N synthetic tickets for benchmarks.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

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

STAFF_DOMAIN = "goeverbright.com"

# (account id, username, display name, email local part)
STAFF = [
    ("557058:alex-rivera", "arivera", "Alex Rivera", "alex.rivera"),
    ("557058:sam-okafor", "sokafor", "Sam Okafor", "sam.okafor"),
    ("557058:priya-nair", "pnair", "Priya Nair", "priya.nair"),
    ("557058:morgan-lee", "mlee", "Morgan Lee", "morgan.lee"),  # support supervisor
    ("557058:jordan-chriss", "jchriss", "Jordan Chriss", "jordan.chriss"),  # sales lead
    ("557058:david-ellis", "dellis", "David Ellis", "david.ellis"),  # partnerships approver
    ("557058:cherish-sharma", "csharma", "Cherish Sharma", "cherish.sharma"),  # QA
    ("557058:tomas-berg", "tberg", "Tomas Berg", "tomas.berg"),  # configuration
    ("557058:lena-fischer", "lfischer", "Lena Fischer", "lena.fischer"),  # configuration
    ("557058:kira-gaza", "kgaza", "Kira Gaza", "kira.gaza"),
    ("557058:bhargav-gor", "bgor", "Bhargav Gor", "bhargav.gor"),
    ("557058:rachel-kim", "rkim", "Rachel Kim", "rachel.kim"),  # account manager
    ("557058:marcus-hale", "mhale", "Marcus Hale", "marcus.hale"),  # account manager
    ("557058:onboarding", "onboarding", "EverBright Onboarding", "onboarding"),
]

ORGS = [
    "Helios Home Power", "Summit Solar Group", "Sunny Day Solar", "HW Solar", "Green Light Solar",
    "Sighten Solar", "Bright Path Energy", "Apex Roofing & Solar", "Evergreen Installers",
    "Blue Sky Renewables", "Northwind Solar", "Coastal Sun Co", "Lakeside Electric", "Mesa Solar",
    "Redwood Power Systems", "Granite State Solar", "Non-platform Emails",
]
PRIORITY_INSTALLERS = ["Helios Home Power", "Summit Solar Group", "Sunny Day Solar"]
CHANNEL_PARTNERS = {"HW Solar": "Green Light Solar", "Mesa Solar": "Bright Path Energy"}

REQUEST_TYPES = [
    ("General Inquiry", "Questions about navigation, features and usage, and anything not yet categorised."),
    ("Technical Support", "The software is not working as it should, or a technical question such as an API request."),
    ("Industry-wide Data Change", "Data changes that affect every business: equipment, manufacturers, incentives, SRECs."),
    ("Company-specific Data Change", "Data changes for the reporter's organization: financial products, rules, contracts."),
    ("Project-specific Data Change", "Data changes on a specific customer site: un-archive, legal contact updates."),
    ("Account Management", "Billing, cancellation, subscription changes, trainings, status checks."),
    ("Onboarding", "New installers joining the platform."),
    ("Feature Request", "Enhancements and suggestions to improve the product."),
    ("Non-Platform Request", "Trade shows, resumes, vendor pitches and other mail not about the platform."),
]

SS_STATUSES = [
    (WAITING_FOR_SUPPORT, "new"), (WAITING_FOR_CUSTOMER, "indeterminate"), ("In Progress", "indeterminate"),
    ("Pending", "indeterminate"), ("Resolved", "done"), ("Closed", "done"),
]
CS_STATUSES = [("To Do", "new"), ("In Progress", "indeterminate"), ("On Hold", "indeterminate"),
               ("QA", "indeterminate"), ("UAT", "indeterminate"), ("Done", "done")]
DEV_STATUSES = [("Backlog", "new"), ("Selected for Development", "indeterminate")]

CS_EPICS = [
    "Installer Configurations", "Installer Onboardings", "Public Data Configurations", "Internal",
    "Benji/ Renovate", "BrightOak Configurations", "Dividend Configurations", "Mosaic Configurations",
    "Loanpal Configurations", "Renew Financial Configurations", "Sunlight Configurations",
    "SolKraft/HeartBeat", "Stable Solar Configurations", "Swell Configurations",
    "PACEFunding Configurations", "Green Think Energy (GTE) Configurations",
    "Configuration Partner/Product Onboarding",
]

FIRST_NAMES = ["Chris", "Dana", "Eli", "Fatima", "Grace", "Hiro", "Ines", "Jamal", "Kate", "Luis",
               "Maya", "Nate", "Olga", "Pete", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera"]
LAST_NAMES = ["Adams", "Brooks", "Chen", "Diaz", "Evans", "Flores", "Gupta", "Hughes", "Ito", "Jones"]

# (request type, summary, description) for the everyday tickets, several per type.
EVERYDAY = [
    ("General Inquiry", "How do I add a second designer to a project?", "We have two designers on one project, where do I add the second one?"),
    ("General Inquiry", "Where can I find the proposal history?", "A customer asked for an older proposal, where is the history kept?"),
    ("General Inquiry", "Question about your service", "Hi, I had a question, can someone call me?"),
    ("General Inquiry", "Interested in the platform for our sales team", "We are a new installer and want to know pricing and a demo for our sales team."),
    ("Technical Support", "Proposal PDF fails to generate", "Every time I click Generate Proposal I get an error 500. Chrome, cleared cache already."),
    ("Technical Support", "API returns 400 when creating a site", "Our integration posts to /api/v1/site and gets 400 since this morning. Payload attached."),
    ("Technical Support", "Shade report not loading", "The shade report spins forever on every project since yesterday."),
    ("Technical Support", "Error when signing contract in DocuSign", "Customer gets an error when signing, envelope never arrives."),
    ("Industry-wide Data Change", "Please add the REC Alpha Pure 410W panel", "New module from REC, spec sheet attached. Please add to the equipment list."),
    ("Industry-wide Data Change", "Update incentive for Massachusetts SMART program", "The SMART incentive block changed on the 1st, link to the program attached."),
    ("Industry-wide Data Change", "Add Enphase IQ8X microinverter", "Please add the IQ8X, datasheet attached."),
    ("Company-specific Data Change", "Add Service Finance products to our account", "Please enable the new Service Finance loan products for our org."),
    ("Company-specific Data Change", "Update our contract template", "New contract template attached, please replace the current one."),
    ("Company-specific Data Change", "Enable PV Watts for our team", "Can you turn on PV Watts for all our users?"),
    ("Company-specific Data Change", "Deactivate Mosaic financing", "We no longer offer Mosaic, please deactivate it on our account."),
    ("Company-specific Data Change", "Invite a new downstream org", "Please invite Coastal Sun Co as our downstream installer."),
    ("Project-specific Data Change", "Please unarchive site 123 Main St", "We archived the wrong site by mistake, please unarchive 123 Main St."),
    ("Project-specific Data Change", "Update legal contact on a project", "The homeowner's legal name is misspelled on the loan docs."),
    ("Account Management", "Cancel our subscription", "We are closing the business at the end of the month, please cancel."),
    ("Account Management", "Update billing card", "Our card on file expired, how do we update it?"),
    ("Account Management", "Training for new sales reps", "We hired 4 new reps, can we schedule a training session?"),
    ("Onboarding", "New installer account setup", "We signed up last week and need our account set up with our logo and users."),
    ("Onboarding", "Onboarding: add our users", "Please add the attached list of users to our new account."),
    ("Feature Request", "Allow bulk export of proposals", "It would be great to export all proposals to CSV at once."),
    ("Feature Request", "Dark mode for the design tool", "Our designers work late, a dark mode would help."),
    ("Feature Request", "Custom fields on customer sites", "We want to store our CRM id on each site."),
]

JUNK = [
    ("Meet us at RE+ 2026, booth 4411!", "Join us at the largest solar trade show of the year. Book a meeting with our team.", "events@tradeshowpros.com", "Trade Show Pros"),
    ("Resume - Senior Solar Designer", "Please find attached my resume for any open designer position.", "j.applicant@mailbox.org", "Jamie Applicant"),
    ("Boost your leads 300% with our SEO package", "We help solar companies rank #1 on Google. Reply for a free audit.", "growth@leadrocket.io", "Lead Rocket"),
    ("Partnership opportunity: cheap panels from overseas", "We are a manufacturer offering panels at factory prices. Catalog attached.", "sales@panelfactory.cn", "Panel Factory"),
]


def _user(w: World, account_id: str, name: str, display: str, email: str, staff: bool) -> str:
    w.users[account_id] = User(account_id, name, display, email, staff)
    return account_id


def seed_world(w: World, seed: int = 7, me: str = "557058:alex-rivera") -> None:
    """Fill an empty world with the default service desk, CS project and tickets."""
    rnd = random.Random(seed)
    now = w.clock.now().replace(microsecond=0)
    _base(w, now)
    w.me = me
    staff = {display: aid for aid, _n, display, _e in STAFF}
    org_id = {o.name: o.id for o in w.organizations.values()}
    customers = _customers(w, rnd)

    def ss(summary: str, description: str, rtype: str | None, reporter: str, org: str | None,
           age: timedelta, status: str = WAITING_FOR_SUPPORT, assignee: str | None = None,
           **extra: object) -> Issue:
        created = now - age
        rt = w.request_type_by_name(rtype) if rtype else None
        issue = Issue(
            id=w.next_id(), key=w.next_key("SS"), project="SS", issue_type="Service Request",
            summary=summary, description=description, status=WAITING_FOR_SUPPORT,
            priority="High" if org in PRIORITY_INSTALLERS else "Medium", reporter=reporter,
            assignee=assignee, created=created, updated=created,
            request_type=rt.id if rt else None,
            organizations=[org_id[org]] if org else [], channel=["Email"],
        )
        for k, v in extra.items():
            setattr(issue, k, v)
        w.add_issue(issue)
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
                   attachments=(["spec-sheet.pdf"] if "attached" in desc else []),
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
        None, staff["Priya Nair"], None, timedelta(minutes=50), channel=["Email"])
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
           attachments=["channel-partner-form.pdf"])

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
    w.add_link("Relates", t.key, bug.key)

    _cs_tickets(w, now, staff, customers)


def _base(w: World, now: datetime) -> None:
    for aid, name, display, local in STAFF:
        _user(w, aid, name, display, f"{local}@{STAFF_DOMAIN}", True)
    _user(w, "qm:anonymous", "anonymous", "Anonymous", f"anonymous@{STAFF_DOMAIN}", False)
    for n, name in enumerate(ORGS, start=1):
        w.organizations[n] = Organization(n, name, now - timedelta(days=400 - n))
    by_name = {o.name: o.id for o in w.organizations.values()}
    w.priority_installers = {by_name[n] for n in PRIORITY_INSTALLERS}
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
    for n, (name, desc) in enumerate(REQUEST_TYPES, start=1):
        w.request_types[str(n)] = RequestType(str(n), name, desc, desc, "10100", "1", ["1"])
    w.link_types = [
        {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
        {"id": "10001", "name": "Cloners", "inward": "is cloned by", "outward": "clones"},
        {"id": "10002", "name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates"},
        {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
    ]
    base = "project = SS AND resolution = Unresolved"
    fields = ["issuekey", "summary", "status", "assignee", "reporter", "created"]
    w.queues = [
        Queue("1", "All open", f"{base} ORDER BY created DESC", fields),
        Queue("2", "Unassigned issues", f"{base} AND assignee is EMPTY ORDER BY created DESC", fields),
        Queue("3", "Assigned to me", f"{base} AND assignee = currentUser() ORDER BY created DESC", fields),
        Queue("4", "Waiting on support", f'{base} AND status = "{WAITING_FOR_SUPPORT}" ORDER BY created DESC', fields),
        Queue("5", "Priority installers", f'{base} AND priority = High ORDER BY created DESC', fields),
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
        out.append(_user(w, f"qm:{n:04d}:{first.lower()}", f"{first.lower()}{last.lower()}",
                         f"{first} {last}", email, False))
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


def seed_scale(w: World, n: int, seed: int = 11) -> None:
    """N synthetic open tickets with varied ages, for benchmarks."""
    rnd = random.Random(seed)
    now = w.clock.now().replace(microsecond=0)
    if not w.projects:
        _base(w, now)
        w.me = STAFF[0][0]
    customers = _customers(w, rnd)
    orgs = [o.id for o in w.organizations.values()]
    for k in range(n):
        created = now - timedelta(seconds=rnd.randint(60, 6 * 3600))
        rt = str(rnd.randint(1, 9))
        org = rnd.choice(orgs)
        w.add_issue(Issue(
            id=w.next_id(), key=w.next_key("SS"), project="SS",
            issue_type="Service Request", summary=f"Synthetic request {k + 1}",
            description="Generated for scale tests.", status=WAITING_FOR_SUPPORT,
            priority="High" if org in w.priority_installers else "Medium",
            reporter=rnd.choice(customers), assignee=rnd.choice([None, None, STAFF[1][0], STAFF[2][0]]),
            created=created, updated=created, request_type=rt, organizations=[org], channel=["Email"],
        ))
