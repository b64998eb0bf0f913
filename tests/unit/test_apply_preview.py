"""The preview of apply-all (G) shows what is about to be written as it will read."""


def test_the_preview_of_apply_all_shows_a_comment_to_be_posted_whole() -> None:
    """queue-triage-and-request-types.txt: edits after sending never reach the customer, so the
    agent proofreads first: the comment G is about to post reads whole, line by line, in its preview."""
    from queue_tui.core import ops
    from queue_tui.core.plan import ApplyList
    from queue_tui.core.playbook import CommentSpec, Step
    from queue_tui.core.step_plan import StepPlan, StepStatus
    from queue_tui.ui.widgets.step_text import preview_text

    first = "@David Ellis: Apex Roofing & Solar asks for EverBright financing on their account. " * 3
    body = f"{first.strip()}\n\nThe onboarding form is attached to SS-38; its CS ticket is CS-23, on hold until you approve."
    step = Step("ask", "Ask the approver", "", CommentSpec(body))
    p = StepPlan(step, StepStatus.TODO, "", "internal comment on SS-38", ops.PostComment("SS-38", body, False, "m"))
    shown = preview_text("SS-38", ApplyList((p,))).plain
    assert first.strip() in shown and "its CS ticket is CS-23, on hold until you approve." in shown
    assert "…" not in shown
