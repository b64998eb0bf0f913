"""Validate recorded HTTP exchanges against Atlassian's official OpenAPI specs (shared/specs).

OpenAPI 3.0 schemas are JSON Schema with a few extras; `nullable` is translated, `$ref`s are
resolved inside the spec document. Platform calls made on /rest/api/2 are checked against the
/rest/api/3 operation of the same path, which has the same shapes for the fields we use.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FILES = {"platform": "jira-platform.swagger-v3.v3.json", "jsm": "jsm-servicedesk.swagger.v3.json"}


VENDORED = Path(__file__).resolve().parent / "specs"


def _find_specs() -> Path:
    """`QUEUE_TUI_SPECS` when set; else the copies kept beside these tests (gzipped, verbatim), so the
    contract tests run on every clean checkout. `test_vendored_specs_are_atlassians` keeps them honest."""
    if os.environ.get("QUEUE_TUI_SPECS"):
        return Path(os.environ["QUEUE_TUI_SPECS"])
    return VENDORED


SPECS = _find_specs()


def shared_specs() -> Path | None:
    """The nearest `shared/specs` above the checkout, where the official files are published."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "specs"
        if all((candidate / f).is_file() for f in FILES.values()):
            return candidate
    return None


def read_spec_text(directory: Path, name: str) -> str:
    plain = directory / FILES[name]
    if plain.is_file():
        return plain.read_text()
    return gzip.decompress((directory / (FILES[name] + ".gz")).read_bytes()).decode()


def _nullable(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _nullable(v) for k, v in node.items()}
        if out.pop("nullable", False) and "type" in out:
            t = out["type"]
            out["type"] = [*t, "null"] if isinstance(t, list) else [t, "null"]
        return out
    if isinstance(node, list):
        return [_nullable(x) for x in node]
    return node


@cache
def _spec(name: str) -> dict[str, Any]:
    return _nullable(json.loads(read_spec_text(SPECS, name)))


@cache
def _registry() -> Registry:
    reg: Registry = Registry()
    for name in FILES:
        reg = reg.with_resource(f"urn:{name}", Resource.from_contents(_spec(name), default_specification=DRAFT7))
    return reg


@cache
def _routes(name: str) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for tmpl in _spec(name)["paths"]:
        rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(tmpl)) + "/?$"
        out.append((re.compile(rx), tmpl))
    # More literal paths first: /issue/createmeta before /issue/{key}.
    out.sort(key=lambda r: r[1].count("{"))
    return out


def operation(method: str, path: str) -> tuple[str, str, dict[str, Any]] | None:
    """(spec name, path template, operation) for a concrete request, or None if not in the specs."""
    name = "jsm" if path.startswith("/rest/servicedeskapi") else "platform"
    lookup = re.sub(r"^/rest/api/2/", "/rest/api/3/", path)
    for rx, tmpl in _routes(name):
        if rx.match(lookup):
            op = _spec(name)["paths"][tmpl].get(method.lower())
            if op is not None:
                return name, tmpl, op
    return None


def _absolute_refs(node: Any, name: str) -> Any:
    """Point an inline schema's local refs ("#/components/...") at the spec document."""
    if isinstance(node, dict):
        return {k: (f"urn:{name}{v}" if k == "$ref" and isinstance(v, str) and v.startswith("#/") else _absolute_refs(v, name))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_absolute_refs(x, name) for x in node]
    return node


def _validate(name: str, schema: dict[str, Any], instance: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(_absolute_refs(schema, name), registry=_registry())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def check_response(method: str, path: str, status: int, body: Any) -> list[str]:
    op = operation(method, path)
    if op is None:
        return [f"{method} {path} is not an operation in the specs"]
    name, tmpl, spec_op = op
    responses = spec_op.get("responses", {})
    resp = responses.get(str(status)) or responses.get("default")
    if resp is None:
        return [f"{method} {tmpl}: status {status} is not documented (documented: {sorted(responses)})"]
    schema = ((resp.get("content") or {}).get("application/json") or {}).get("schema")
    if schema is None or body is None:
        return []
    return [f"{method} {tmpl} -> {status}: {e}" for e in _validate(name, schema, body)]


def check_request(method: str, path: str, query: dict[str, str], body: Any) -> list[str]:
    op = operation(method, path)
    if op is None:
        return [f"{method} {path} is not an operation in the specs"]
    name, tmpl, spec_op = op
    errors = []
    known = {p["name"] for p in spec_op.get("parameters", []) if p.get("in") == "query"}
    for q in query:
        if q not in known:
            errors.append(f"{method} {tmpl}: query parameter '{q}' is not in the spec")
    rb = spec_op.get("requestBody")
    if body is not None:
        if rb is None:
            errors.append(f"{method} {tmpl}: sends a body the spec does not take")
        else:
            schema = ((rb.get("content") or {}).get("application/json") or {}).get("schema")
            if schema is not None:
                errors += [f"{method} {tmpl} body: {e}" for e in _validate(name, schema, body)]
    return errors


def check_schema(name: str, schema_name: str, instance: Any) -> list[str]:
    """Errors of `instance` against one named schema of a spec (e.g. the JSM ErrorResponse)."""
    return _validate(name, {"$ref": f"#/components/schemas/{schema_name}"}, instance)


def experimental(method: str, path: str) -> bool | None:
    """Whether the spec marks the operation `x-experimental`; None when it is not in the specs."""
    op = operation(method, path)
    return None if op is None else bool(op[2].get("x-experimental"))
