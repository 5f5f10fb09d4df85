"""What the entities show of the engine's snapshot: the rule that lets updates be skipped.

The coordinator builds no snapshot after a reading that leaves the engine's ``revision`` alone,
and asks no entity to look at one that differs from the last only in ``UNSHOWN`` fields. Both
are right only while no entity shows an ``UNSHOWN`` field (tests/test_coordinator.py,
``test_no_entity_shows_an_unshown_field``, holds every entity to it).
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter

from .engine import FixtureSnapshot, Snapshot

UNSHOWN = frozenset({"now", "pump_run_24h_s", "next_wakeup"})
UNSHOWN_FIXTURE = frozenset({"temperature_c", "cold_temperature_c"})
"""The snapshot's fields no entity shows: every field the engine's ``revision`` does not follow
(the time, the pump's 24 h run time, the readings), and the next wake-up."""
_shown = attrgetter(*(f.name for f in fields(Snapshot) if f.name not in {*UNSHOWN, "fixtures"}))
_shown_fixture = attrgetter(
    *(f.name for f in fields(FixtureSnapshot) if f.name not in UNSHOWN_FIXTURE)
)


def shown_changed(old: Snapshot, new: Snapshot) -> bool:
    """Whether anything an entity shows differs between two snapshots."""
    if _shown(old) != _shown(new) or old.fixtures.keys() != new.fixtures.keys():
        return True
    return any(
        _shown_fixture(old.fixtures[name]) != _shown_fixture(view)
        for name, view in new.fixtures.items()
    )
