"""The per-fixture state machine: the documented table is the code's, impossible moves raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from custom_components.zero_cold_water.engine import (
    ArrivalBasis,
    Controller,
    CycleFinished,
    FixtureState,
    Outcome,
    Start,
    TemperatureReading,
    TriggerReason,
)
from custom_components.zero_cold_water.engine.arrival import ArrivalDetector
from custom_components.zero_cold_water.engine.cycle import FixtureCycle
from custom_components.zero_cold_water.engine.fixtures import (
    TRANSITIONS,
    Fixtures,
    ImpossibleTransitionError,
    Trigger,
)
from custom_components.zero_cold_water.engine.snapshot import LastCycle

from .helpers import cold_line, of_type

DOCS = Path(__file__).parents[2] / "docs" / "engine.md"


def documented() -> dict[tuple[FixtureState, Trigger], tuple[FixtureState, ...]]:
    """The transition table as docs/engine.md shows it."""
    text = DOCS.read_text(encoding="utf-8")
    rows = text.split("<!-- transitions -->")[1].split("<!-- /transitions -->")[0].strip()
    header, _, *body = rows.splitlines()
    triggers = [Trigger(c.strip().strip("`")) for c in header.strip("|").split("|")[1:]]
    table: dict[tuple[FixtureState, Trigger], tuple[FixtureState, ...]] = {}
    for row in body:
        state, *cells = (c.strip() for c in row.strip("|").split("|"))
        for trigger, cell in zip(triggers, cells, strict=True):
            if cell:
                targets = tuple(FixtureState(t.strip()) for t in cell.split("/"))
                table[FixtureState(state.strip("`")), trigger] = targets
    return table


def state(fixtures: Fixtures) -> FixtureState:
    """Fixture ``a``'s state (read afresh: each transition changes it)."""
    return fixtures["a"].state


def test_the_documented_table_is_the_code() -> None:
    assert documented() == TRANSITIONS


def test_every_state_is_reachable_from_idle() -> None:
    reached = {FixtureState.IDLE}
    while True:
        more = {t for (s, _), ts in TRANSITIONS.items() if s in reached for t in ts} - reached
        if not more:
            break
        reached |= more
    assert reached == set(FixtureState)


def last(outcome: Outcome) -> LastCycle:
    """A last cycle with ``outcome`` and real figures (the engine's answer to a hot pipe)."""
    controller = Controller(cold_line("a"))
    controller.handle(TemperatureReading(fixture="a", celsius=60.0, at=0.0), 0.0)
    (finished,) = of_type(controller.handle(Start(fixtures=("a",)), 0.0), CycleFinished)
    return LastCycle(outcome=outcome, figures=finished.figures)


def test_an_impossible_transition_raises_and_changes_nothing() -> None:
    fixtures = Fixtures(("a",))
    fixtures.queue("a", Start(fixtures=("a",)))
    with pytest.raises(ImpossibleTransitionError, match="already_hot is impossible in queued"):
        fixtures.already_hot("a", last(Outcome.ALREADY_HOT))
    assert state(fixtures) is FixtureState.QUEUED
    assert fixtures["a"].last is None


def test_a_cancelled_wait_returns_to_the_state_the_fixture_rests_in() -> None:
    fixtures = Fixtures(("a",))
    fixtures.start(
        FixtureCycle(
            fixture="a",
            trigger=TriggerReason.REMOTE,
            started_at=0.0,
            deadline=60.0,
            basis=ArrivalBasis.SENSOR,
            detector=ArrivalDetector(target_c=40.0, onset_rise_c=1.0, onset_min_slope_c_per_s=0.02),
            valve="a",
        )
    )
    assert state(fixtures) is FixtureState.WAITING_FOR_VALVE
    fixtures.finish("a", last(Outcome.FAULT), None)
    assert state(fixtures) is FixtureState.FAULT
    fixtures.queue("a", Start(fixtures=("a",)))
    assert state(fixtures) is FixtureState.QUEUED
    fixtures.unqueue("a")
    assert state(fixtures) is FixtureState.FAULT
    fixtures.already_hot("a", last(Outcome.ALREADY_HOT))
    assert state(fixtures) is FixtureState.IDLE
