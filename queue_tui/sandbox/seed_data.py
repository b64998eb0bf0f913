"""The seed's raw material: the team's people, the installers, request types, statuses, epics,
and the everyday tickets of a solar-software support desk, written from the SOP documents.

`SITE_REQUEST_TYPES` is another site's request types for the same work, with other names and
ids (and one extra), so tests can check the app uses the site's own request types.
"""

from __future__ import annotations

from queue_tui.sandbox.state import WAITING_FOR_CUSTOMER, WAITING_FOR_SUPPORT

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


# Another site's request types for the same work: (SOP type it stands for, name, description).
SITE_REQUEST_TYPES = [
    ("General Inquiry", "Ask a question", "How do I...? Where is...? Anything else about using the platform."),
    ("Technical Support", "Something is broken", "Errors, pages that do not load, integrations that fail."),
    ("Technical Support", "Login trouble", "Cannot log in, locked out, password resets, SSO."),
    ("Industry-wide Data Change", "Data fix (all companies)", "Equipment, manufacturers, incentives and utility rates for everyone."),
    ("Company-specific Data Change", "Data fix (one company)", "Your organization's financing products, rules and contracts."),
    ("Project-specific Data Change", "Data fix (one project)", "One customer site: un-archive, legal contact, homeowner details."),
    ("Account Management", "Billing and account", "Invoices, cancellations, subscriptions and trainings."),
    ("Onboarding", "New installer setup", "Getting a new installer onto the platform."),
    ("Feature Request", "Feature idea", "Suggestions to make the product better."),
    ("Non-Platform Request", "Not for support", "Trade shows, CVs, sales pitches and other mail."),
]
SITE_REQUEST_TYPE_FIRST_ID = 31
