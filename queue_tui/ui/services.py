"""What screens and flows work with: the gateway, the audit log, the desk found, and what is
built on them on first use (playbooks, the playbook runner, the CS ticket creator, reply drafts).

The app makes one at start; screens and flows reach it through `queue_app(node).services`.
Problems met on first use (a broken playbook file, an unreadable drafts file) go to `warn`, once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from queue_tui.config import Config, cache_dir, config_dir, state_dir
from queue_tui.service.audit import AuditLog
from queue_tui.service.desk import Desk, discover_desk
from queue_tui.service.gateway import Connection, Gateway
from queue_tui.service.snapshot_cache import SnapshotCache

if TYPE_CHECKING:  # built on first use: first paint does not need them
    from queue_tui.core.playbook import Playbook
    from queue_tui.service.cs_create import CsCreator, CsOutcome
    from queue_tui.service.playbook_runner import PlaybookRunner
    from queue_tui.ui.drafts import DraftStore


class Services:
    def __init__(self, conn: Connection, config: Config, clock: Callable[[], datetime], *, desk_label: str = "",
                 gateway_kwargs: dict[str, Any] | None = None, warn: Callable[[str], None] = lambda _m: None) -> None:
        self.conn = conn
        self.config = config
        self.clock = clock
        self.warn = warn
        self.audit = AuditLog(state_dir() / "audit.jsonl", clock)
        self.gateway = Gateway(conn, field_overrides=config.fields, clock=clock, audit=self.audit,
                               **(gateway_kwargs or {}))
        d = config.desk
        self.snapshot_cache = SnapshotCache(cache_dir() / "snapshots", conn.base_url,
                                            f"{d.id}|{d.project}|{','.join(d.queues)}", conn.email if conn.cloud else "")
        self.desk: Desk | None = None
        self.desk_label = desk_label or "Service desk"
        self.last_cs: CsOutcome | None = None  # the last CS ticket flow's outcome
        self._opened = False
        self._playbooks: dict[str, Playbook] | None = None
        self._drafts: DraftStore | None = None
        self._runner: PlaybookRunner | None = None
        self._cs: CsCreator | None = None

    @property
    def desk_id(self) -> str | None:
        return self.desk.id if self.desk else None

    @property
    def desk_project(self) -> str:
        return self.desk.project if self.desk else ""

    async def connect(self) -> Desk:
        """Sign in (once), then find the desk and its queues; JiraError when Jira says no."""
        if not self._opened:
            await self.gateway.open()
            self._opened = True
        d = self.config.desk
        self.desk = await discover_desk(self.gateway, d.id, d.project, d.queues)
        self.desk_label = self.desk.label
        for w in self.desk.warnings:
            self.warn(w)
        return self.desk

    def browse_url(self, key: str) -> str:
        return f"{self.conn.base_url.rstrip('/')}/browse/{key}"

    @property
    def playbooks(self) -> dict[str, Playbook]:
        """Loaded on first use; a broken file is reported once and the others still load."""
        if self._playbooks is None:
            from queue_tui.service.playbooks import load_all, playbook_dirs

            self._playbooks, problems = load_all(playbook_dirs(config_dir()))
            for p in problems:
                self.warn(f"Playbook skipped: {p}")
        return self._playbooks

    @property
    def drafts(self) -> DraftStore:
        if self._drafts is None:
            from queue_tui.ui.drafts import DraftStore

            self._drafts = DraftStore(state_dir() / "drafts")
            if self._drafts.problem:
                self.warn(self._drafts.problem)
        return self._drafts

    def runner(self) -> PlaybookRunner:
        if self._runner is None:
            from queue_tui.core.cs_fields import CsSetup
            from queue_tui.service.playbook_runner import PlaybookRunner

            cfg = self.config
            setup = CsSetup(cfg.calendar(), cfg.due_rules(), cfg.priority_rule())
            self._runner = PlaybookRunner(self.gateway, cfg.roster, cfg.monitor.staff_domains, cfg.channel_partners,
                                          cfg.account_managers, self.clock, cfg.request_type_aliases, cfg.cs.project,
                                          cs_setup=setup, config_where=cfg.where())
        return self._runner

    def cs_creator(self) -> CsCreator:
        if self._cs is None:
            from queue_tui.service.cs_create import CsCreator

            self._cs = CsCreator(self.gateway, self.config.calendar(), self.config.cs.project)
        return self._cs
