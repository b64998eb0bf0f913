"""What the shipped playbooks need from the configuration, and what the site answers itself."""

from __future__ import annotations

from queue_tui.core.models import Person, RequestType
from queue_tui.core.readiness import needs
from queue_tui.service.playbooks import PACK, load_all

BOOKS, _ = load_all([PACK])
ANON = Person("qm:anonymous", "Anonymous", "anonymous@example.com")
SOP_DESK = [RequestType(str(n), name) for n, name in enumerate(
    ("General Inquiry", "Technical Support", "Company-specific Data Change", "Non-Platform Request"))]
SITE_DESK = [RequestType("31", "Not for support", "Trade shows, CVs, sales pitches and other mail."),
             RequestType("32", "Data fix (one company)", "Your organization's financing products, rules and contracts.")]


def _by_what(**kw: object) -> dict[str, object]:
    args = {"roster": {}, "account_managers": {}, "site_types": SOP_DESK, "aliases": {}, "anonymous": None} | kw
    return {n.what: n for n in needs(BOOKS, **args)}  # type: ignore[arg-type]


def test_with_credentials_alone_each_role_says_which_steps_need_it_and_where_to_set_it() -> None:
    found = _by_what()
    approver = found["role approver"]
    assert not approver.works and approver.setting == "roster"
    assert any(u.startswith("everbright-onboarding:") for u in approver.used_by)
    assert 'add approver = "Name or email" under [roster] in the file' == approver.how("in the file")
    assert found["role config_assignee"].used_by[0] == "the CS ticket's assignee (c)"
    assert not found["account managers"].works


def test_the_non_platform_reporter_falls_back_to_the_desks_anonymous_customer() -> None:
    assert not _by_what()["role anonymous_reporter"].works
    found = _by_what(anonymous=ANON)["role anonymous_reporter"]
    assert found.works and not found.met and "Anonymous" in found.fallback
    assert _by_what(roster={"anonymous_reporter": "Nobody Special"}, anonymous=ANON)["role anonymous_reporter"].met


def test_a_request_type_the_desk_names_otherwise_uses_the_one_that_reads_like_it_and_names_the_alias() -> None:
    assert _by_what()["request type Non-Platform Request"].met
    need = _by_what(site_types=SITE_DESK)["request type Non-Platform Request"]
    assert not need.met and need.example == '"Not for support" = "Non-Platform Request"'
    assert need.works and need.fallback == 'this desk\'s "Not for support", which reads like it'
    assert not _by_what(site_types=SITE_DESK[1:])["request type Non-Platform Request"].works
    assert "non-platform: matched by request type" in need.used_by
    assert _by_what(site_types=SITE_DESK, aliases={"Not for support": "Non-Platform Request"})[
        "request type Non-Platform Request"].met
