"""Fixtures the corpus tests share: the tiny servers a test starts, stopped after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus.tiny_server import TinyServer


@pytest.fixture
def servers() -> Iterator[list[TinyServer]]:
    made: list[TinyServer] = []
    yield made
    for s in made:
        s.stop()
