"""Where a playbook stands on a ticket, as Jira keeps it: one property per step, the record of
earlier versions still read beneath, and a server that leaves properties out of the issue asked
for them one by one."""

from __future__ import annotations

from queue_tui.sandbox import Sandbox
from queue_tui.service.gateway import Gateway
from queue_tui.service.step_progress import properties_of, read_progress, save_step, step_property


def _a_key(sandbox: Sandbox) -> str:
    return next(k for k in sandbox.world.issues if k.startswith("SS-"))


async def test_each_step_is_its_own_property_and_the_old_record_is_read_beneath(sandbox: Sandbox,
                                                                               gateway: Gateway) -> None:
    key = _a_key(sandbox)
    with sandbox.world.lock:  # what an earlier version of the app left on the ticket
        sandbox.world.issues[key].properties["queue-tui.progress"] = {
            "channel-partner": {"case": {"state": "ticked", "by": "Priya Nair"},
                                "reply_1": {"state": "ticked", "by": "Priya Nair"}}}
    await save_step(gateway, key, "channel-partner", "reply_1", {"state": "done", "by": "Alex Rivera"})
    await save_step(gateway, key, "odd id", "step.with.dots", {"state": "ticked", "by": "Alex Rivera"})
    progress = await read_progress(gateway, key)
    assert progress["channel-partner"] == {"case": {"state": "ticked", "by": "Priya Nair"},
                                           "reply_1": {"state": "done", "by": "Alex Rivera"}}
    assert progress["odd id"] == {"step.with.dots": {"state": "ticked", "by": "Alex Rivera"}}
    props = sandbox.world.issues[key].properties
    assert step_property("channel-partner", "reply_1") == "queue-tui.progress.channel-partner.reply_1" in props


async def test_a_server_that_leaves_properties_out_of_the_issue_is_asked_for_each(sandbox: Sandbox,
                                                                                  gateway: Gateway) -> None:
    key = _a_key(sandbox)
    await save_step(gateway, key, "triage", "assignee", {"state": "done", "by": "Alex Rivera"})
    with sandbox.world.lock:
        sandbox.world.issues[key].properties["someone.else"] = {"x": 1}
    mark = sandbox.journal.mark()
    props = await properties_of(gateway, key, {"key": key, "fields": {}})  # an issue read without `properties`
    assert list(props) == ["queue-tui.progress.triage.assignee"]
    assert len(sandbox.journal.requests("GET", f"*/issue/{key}/properties*", since=mark)) == 2  # the keys, then the one
