"""Custom field discovery: find the ids of the fields the app uses by name or schema.

Teams differ in custom field ids; nobody should have to look them up. `discover` matches each
logical field by its JSM schema type first, then by the names teams commonly give it. Config
may override any id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# logical name -> (custom schema types, accepted names)
WANTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "request_type": (("com.atlassian.servicedesk:vp-origin",), ("request type", "customer request type")),
    "organizations": (("com.atlassian.servicedesk:sd-customer-organizations",), ("organizations", "organization")),
    "participants": (("com.atlassian.servicedesk:sd-request-participants",), ("request participants",)),
    "sla_first_response": ((), ("time to first response",)),
    "sla_resolution": ((), ("time to resolution",)),
    "channel": ((), ("channel", "channels")),
    "needs_config": ((), ("needs configuration?", "needs configuration", "needs config")),
    "config_date": ((), ("configuration date", "configuration due date", "config date")),
    "qa_date": ((), ("qa due date", "qa date")),
    "qa_assignee": ((), ("qa assignee",)),
    "epic_link": (("com.pyxis.greenhopper.jira:gh-epic-link",), ("epic link",)),
}


@dataclass
class FieldMap:
    ids: dict[str, str] = field(default_factory=dict)  # logical -> field id
    types: dict[str, str] = field(default_factory=dict)  # field id -> schema type (date, datetime, ...)
    names: dict[str, str] = field(default_factory=dict)  # field id -> display name

    def get(self, logical: str) -> str | None:
        return self.ids.get(logical)

    def sla_ids(self) -> list[str]:
        return [i for i in (self.ids.get("sla_first_response"), self.ids.get("sla_resolution")) if i]

    def date_kind(self, field_id: str) -> str:
        """'date' or 'datetime': the form a date is written in for this field."""
        return "datetime" if self.types.get(field_id) == "datetime" else "date"

    def missing(self) -> list[str]:
        return [k for k in WANTED if k not in self.ids]


def discover(raw_fields: list[dict[str, Any]], overrides: dict[str, str] | None = None) -> FieldMap:
    fm = FieldMap()
    sla_fields: list[dict[str, Any]] = []
    for f in raw_fields:
        fid = str(f.get("id", ""))
        schema = f.get("schema") or {}
        fm.types[fid] = str(schema.get("type", ""))
        fm.names[fid] = str(f.get("name", fid))
        if schema.get("custom") == "com.atlassian.servicedesk:sd-sla-field":
            sla_fields.append(f)
    for logical, (customs, names) in WANTED.items():
        hit = next((f for f in raw_fields if (f.get("schema") or {}).get("custom") in customs), None) if customs else None
        if hit is None:
            hit = next((f for f in raw_fields if str(f.get("name", "")).strip().lower() in names
                        and str(f.get("id", "")).startswith("customfield_")), None)
        if hit is not None:
            fm.ids[logical] = str(hit["id"])
    # SLA fields named otherwise still count: the first by name order stands for first response.
    if "sla_first_response" not in fm.ids and sla_fields:
        fm.ids["sla_first_response"] = str(sla_fields[0]["id"])
    for logical, fid in (overrides or {}).items():
        fm.ids[logical] = fid
    return fm
