"""Entity properties of issues and comments: list keys, read, write and delete, as the platform
API has them.

A property value is any JSON up to 32,768 characters. PUT answers 201 when it created the
property and 200 when it replaced one; PUT is idempotent (the last write wins), and Jira
offers no compare-and-set, so a claim built on a property must read it back.
"""

from __future__ import annotations

import json
from typing import Any

from queue_tui.sandbox.errors import ApiError, not_found
from queue_tui.sandbox.routing import PLATFORM, Family, Request, Route, route
from queue_tui.sandbox.state import Comment

MAX_PROPERTY_CHARS = 32768


def check_value(body: Any) -> None:
    if body is None:
        raise ApiError(400, ["The property value must be valid JSON."])
    if len(json.dumps(body)) > MAX_PROPERTY_CHARS:
        raise ApiError(400, ["The property value is too long: at most 32768 characters."])


class PropertyRoutes(Family):
    def routes(self) -> list[Route]:
        v = PLATFORM + r"/issue/(?P<key>[^/]+)/properties"
        c = PLATFORM + r"/comment/(?P<cid>\d+)/properties"
        return [
            route("GET", v, self.property_keys),
            route("GET", v + r"/(?P<prop>[^/]+)", self.get_property),
            route("PUT", v + r"/(?P<prop>[^/]+)", self.put_property),
            route("DELETE", v + r"/(?P<prop>[^/]+)", self.delete_property),
            route("GET", c, self.comment_property_keys),
            route("GET", c + r"/(?P<prop>[^/]+)", self.get_comment_property),
            route("PUT", c + r"/(?P<prop>[^/]+)", self.put_comment_property),
            route("DELETE", c + r"/(?P<prop>[^/]+)", self.delete_comment_property),
        ]

    def _comment(self, cid: str) -> Comment:
        hit = self.w.comment(cid)
        if hit is None:
            raise not_found(f"Can not find a comment for the id: {cid}.")
        return hit[1]

    def comment_property_keys(self, req: Request, cid: str) -> tuple[int, Any]:
        c = self._comment(cid)
        return 200, {"keys": [{"key": k, "self": f"{self.r.base}/rest/api/{req.version}/comment/{cid}/properties/{k}"}
                              for k in c.properties]}

    def get_comment_property(self, req: Request, cid: str, prop: str) -> tuple[int, Any]:
        c = self._comment(cid)
        if prop not in c.properties:
            raise not_found(f"The property with key '{prop}' does not exist.")
        return 200, {"key": prop, "value": c.properties[prop]}

    def put_comment_property(self, req: Request, cid: str, prop: str) -> tuple[int, Any]:
        c = self._comment(cid)
        check_value(req.body)
        existed = prop in c.properties
        c.properties[prop] = req.body
        self.w.write_log.append(("PUT", "comment-property", cid))
        return (200 if existed else 201), None

    def delete_comment_property(self, req: Request, cid: str, prop: str) -> tuple[int, Any]:
        c = self._comment(cid)
        if prop not in c.properties:
            raise not_found(f"The property with key '{prop}' does not exist.")
        del c.properties[prop]
        self.w.write_log.append(("DELETE", "comment-property", cid))
        return 204, None

    def property_keys(self, req: Request, key: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        return 200, {"keys": [{"key": k, "self": f"{self.r.base}/rest/api/{req.version}/issue/{i.id}/properties/{k}"}
                              for k in i.properties]}

    def get_property(self, req: Request, key: str, prop: str) -> tuple[int, Any]:
        i = self.issue_or_404(key)
        if prop not in i.properties:
            raise not_found(f"The property with key '{prop}' does not exist.")
        return 200, {"key": prop, "value": i.properties[prop]}

    def put_property(self, req: Request, key: str, prop: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self.issue_or_404(key)
        check_value(req.body)
        existed = prop in i.properties
        i.properties[prop] = req.body
        self.w.write_log.append(("PUT", "property", i.key))
        return (200 if existed else 201), None

    def delete_property(self, req: Request, key: str, prop: str) -> tuple[int, Any]:
        self.need("EDIT_ISSUES")
        i = self.issue_or_404(key)
        if prop not in i.properties:
            raise not_found(f"The property with key '{prop}' does not exist.")
        del i.properties[prop]
        self.w.write_log.append(("DELETE", "property", i.key))
        return 204, None
