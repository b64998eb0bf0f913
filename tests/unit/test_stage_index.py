"""The glance line's index reads the same counts and breach horizon as counting every row's stage,
at any time, while polls add, change and remove tickets and the agent's writes replace them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_tui.core.glance import breach_horizon, count_stages
from queue_tui.core.models import Person, SlaClock, Ticket
from queue_tui.core.stage_index import StageIndex, breach_instant

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ANA = Person("u1", "Ana")
SECOND = timedelta(seconds=1)


def clock(rng: random.Random, name: str) -> SlaClock:
    """A running, paused, completed or breach-time-less clock, its breach within ±3 h, on whole
    seconds half the time so that `now` lands exactly on a boundary often."""
    left = timedelta(seconds=rng.choice([rng.randint(-3 * 3600, 3 * 3600), rng.uniform(-10800, 10800)]))
    kind = rng.choices(["running", "paused", "completed", "no breach time"], [6, 2, 1, 1])[0]
    paused, completed = kind == "paused", kind == "completed"
    breach_at = None if paused or kind == "no breach time" else NOW + left
    return SlaClock(name, 7_200_000, int(left.total_seconds() * 1000), breach_at, paused, left < timedelta(0),
                    completed, NOW)


def ticket(rng: random.Random, n: int) -> Ticket:
    slas = tuple(clock(rng, f"Goal {i}") for i in range(rng.choice([0, 0, 1, 1, 1, 2, 3])))
    done = rng.random() < 0.1
    return Ticket(f"SS-{n}", str(n), "s", "Done" if done else "Waiting for support", "done" if done else "new",
                  "Medium", NOW - timedelta(minutes=rng.uniform(0, 300)), NOW,
                  assignee=ANA if rng.random() < 0.5 else None, slas=slas)


def check(index: StageIndex, tickets: dict[str, Ticket], now: datetime) -> None:
    assert index.counts(now) == count_stages(tickets.values(), now), now - NOW
    assert index.horizon(now) == breach_horizon(tickets.values(), now), now - NOW


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32))
def test_the_index_counts_what_the_rows_stages_count_through_polls_writes_and_time(seed: int) -> None:
    rng = random.Random(seed)
    tickets = {t.key: t for t in (ticket(rng, n) for n in range(rng.randint(0, 60)))}
    index = StageIndex()
    index.reset(tickets.values())
    now = NOW
    next_key = 1000
    for _ in range(25):
        what = rng.random()
        if what < 0.4:  # a poll: some added, some changed, some gone
            for k in rng.sample(sorted(tickets), min(len(tickets), rng.randint(0, 4))):
                del tickets[k]
                index.drop(k)
            for k in rng.sample(sorted(tickets), min(len(tickets), rng.randint(0, 4))):
                tickets[k] = ticket(rng, int(k.split("-")[1]))
                index.put(tickets[k])
            for _ in range(rng.randint(0, 3)):
                t = tickets[f"SS-{next_key}"] = ticket(rng, next_key)
                next_key += 1
                index.put(t)
        elif what < 0.5 and tickets:  # the agent takes a ticket
            k = rng.choice(sorted(tickets))
            tickets[k] = t = Ticket(**{**{f: getattr(tickets[k], f) for f in Ticket.__dataclass_fields__},
                                       "assignee": ANA})
            index.put(t)
        # Time moves on by seconds, by minutes, or to exactly a stage or slot boundary of some ticket.
        instants = [at for t in tickets.values() if isinstance(at := breach_instant(t), datetime)]
        if instants and rng.random() < 0.3:
            edge = rng.choice([timedelta(0), timedelta(minutes=30), timedelta(hours=1),
                               timedelta(minutes=10 * rng.randint(1, 12))])
            now = rng.choice(instants) - edge + rng.choice([-SECOND / 10**6, timedelta(0), SECOND / 10**6])
        else:
            now += timedelta(seconds=rng.choice([1, 7, 60, 601, 1800]))
        check(index, tickets, now)
        assert len(index) == len(tickets)


def test_a_ticket_put_twice_is_counted_once_and_a_dropped_one_not_at_all() -> None:
    rng = random.Random(3)
    t = next(t for t in (ticket(rng, n) for n in range(100)) if isinstance(breach_instant(t), datetime))
    index = StageIndex()
    index.put(t)
    index.put(t)
    assert index.counts(NOW).total == 1
    index.drop(t.key)
    index.drop(t.key)
    assert index.counts(NOW) == count_stages([], NOW) and index.horizon(NOW) == [0] * 12
