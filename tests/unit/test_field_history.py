"""Who set each field last, read from Jira's changelog as Cloud (fieldId) and Data Center (names only) send it."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_tui.service.field_changes import latest_changes
from queue_tui.service.fields import FieldMap

FM = FieldMap(ids={"request_type": "customfield_10010", "organizations": "customfield_10002"})
PRIYA = {"accountId": "557058:priya-nair", "displayName": "Priya Nair", "name": "priya"}
SAM = {"accountId": "557058:sam-okafor", "displayName": "Sam Okafor", "name": "sam"}


def _history(author: dict[str, str], created: str, *items: dict[str, str]) -> dict[str, object]:
    return {"author": author, "created": created, "items": list(items)}


def test_the_latest_change_of_each_field_names_who_made_it_and_when() -> None:
    raw = {"changelog": {"histories": [
        _history(SAM, "2026-11-18T09:00:00.000+0000", {"field": "assignee", "fieldId": "assignee", "toString": "Sam Okafor"}),
        _history(PRIYA, "2026-11-18T10:30:00.000+0100",
                 {"field": "Customer Request Type", "fieldId": "customfield_10010", "toString": "Technical Support"},
                 {"field": "assignee", "fieldId": "assignee", "toString": "Priya Nair"}),
    ]}}
    out = latest_changes(raw, FM)
    assert out is not None
    assert out["assignee"].by is not None and out["assignee"].by.name == "Priya Nair"
    assert out["request_type"].at == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    assert out["request_type"].value == "Technical Support"
    assert "organization" not in out  # never changed: the value the ticket came with


def test_a_site_that_names_fields_without_ids_is_read_by_name() -> None:
    raw = {"changelog": {"histories": [
        _history(PRIYA, "2026-11-18T10:30:00.000+0000", {"field": "Organizations", "toString": "Helios Home Power"}),
        _history(SAM, "2026-11-18T11:00:00.000+0000", {"field": "Something else", "toString": "x"}),
    ]}}
    out = latest_changes(raw, FM)
    assert out is not None and out["organization"].by is not None and out["organization"].by.name == "Priya Nair"


def test_no_changelog_means_jira_did_not_say() -> None:
    assert latest_changes({"key": "SS-1", "fields": {}}, FM) is None
    assert latest_changes({"changelog": {"histories": []}}, FM) == {}
