"""The README stays true to the code."""

from __future__ import annotations


def test_the_readme_config_reference_is_generated_from_the_model() -> None:
    from pathlib import Path

    from queue_tui.config_doc import reference

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("<!-- config-reference:start -->\n") + len("<!-- config-reference:start -->\n")
    end = readme.index("\n<!-- config-reference:end -->")
    assert readme[start:end] == reference(), "regenerate with: python -m queue_tui.config_doc"
