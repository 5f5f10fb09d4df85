"""Arrival planning and learning: when a cycle stops without seeing hot water, what it teaches.

A cycle with a believed sensor stops at the hot front (``arrival.py``) or at the predicted
volume: the learned transit less what flows in the sensor's lead, never below a share of it nor
of the configured pipe volume (docs/engine.md, "Knowing when hot water has arrived"). Without a
sensor it is a timed purge of a known volume. Every onset seen while flowing teaches the transit;
a predicted stop the sensor never confirmed grows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .automatic import AUTOMATIC_REASONS
from .commands import ArrivalBasis, EndReason
from .config import Topology
from .cycle import FixtureCycle, Readiness
from .events import Line, TriggerReason
from .site import Site
from .topology import flow_lpm

SHORTFALL_GROWTH = 1.10
"""The learned transit grows by this after a predicted stop the sensor never confirmed."""
PREDICTED_FLOOR_SHARE = 0.9
"""A predicted stop is never before this share of the configured pipe volume: a transit learned
while the shared trunk was still warm from another fixture's use is too short for a cold one."""
MIN_ONSET_SHARE = 0.5
"""A rise before this share of the configured pipe volume was pumped is a warm parcel passing,
not the hot front: it neither ends the cycle nor teaches the transit."""
VOLUME_LIMIT_SHARE = 3.0
"""A cycle that moved this many times the expected volume (learned transit or configured pipe
volume, the larger) without seeing hot water ends ``timed_out``: the heater is not delivering, or
the sensor cannot tell; pushing more only wastes water and heat."""
MAX_GROWTH_SHARE = 2.5
"""Growth after shortfalls stops at this multiple of the configured pipe volume."""
MIN_PREDICTED_SHARE = 0.5
"""A predicted stop is never earlier than this share of the learned transit."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """How a cycle will know it is done."""

    basis: ArrivalBasis
    stop_volume_l: float | None
    start_c: float | None
    """The believed reading on the fixture's path at the start."""
    silent: bool = False
    warm: bool = False


def plan(site: Site, name: str, reason: TriggerReason, now: float) -> Plan:
    """The arrival basis and stop volume of a cycle for ``name`` starting now."""
    s = site.settings
    path = s.path(name)
    path_fx = s.fixture(path) or s.fixture(name)
    assert path_fx is not None  # noqa: S101 - callers checked the name
    start_c = site.believed(path, Line.HOT, now)
    if not path_fx.has_sensor or site.sensor_failed(path, Line.HOT):
        basis, volume = purge_plan(site, name)
        return Plan(basis=basis, stop_volume_l=volume, start_c=start_c)
    silent = start_c is None
    warm = network_warm(site, path, now)
    learning = site.learned.fixture(path)
    transit = learning.warm_transit_l if warm else learning.transit_l
    lead_l = flow_lpm(s, name) * path_fx.sensor_lead_s / 60.0
    configured = path_fx.configured_volume_l
    floor = PREDICTED_FLOOR_SHARE * configured if configured is not None else None
    stop: float | None = None
    if warm:
        # The front may come as soon as the branch is purged: no volume floor, and only transits
        # learned in the same condition predict it. An automatic re-heat of a lukewarm loop (no
        # cold line to protect) waits for the front itself.
        reheat = reason in AUTOMATIC_REASONS and not protects_cold_line(site, path)
        if transit is not None and not reheat:
            stop = max(transit - lead_l, transit * MIN_PREDICTED_SHARE)
    elif transit is not None:
        stop = max(transit - lead_l, transit * MIN_PREDICTED_SHARE, floor or 0.0)
    elif floor is not None and protects_cold_line(site, path):
        # Nothing learned yet and an appliance on the cold line: approach the front from below
        # (the configured volume) instead of learning it by overshooting.
        stop = floor
    elif silent:
        stop = purge_plan(site, name)[1]
    return Plan(
        basis=ArrivalBasis.SENSOR, stop_volume_l=stop, start_c=start_c, silent=silent, warm=warm
    )


def purge_plan(site: Site, fixture: str) -> tuple[ArrivalBasis, float | None]:
    """A timed purge: the learned transit, else the configured volume, with the margin."""
    path = site.settings.path(fixture)
    margin = 1.0 + site.settings.purge_margin
    transit = site.learned.fixture(path).transit_l
    if transit is not None:
        return ArrivalBasis.LEARNED_PURGE, transit * margin
    for name in (fixture, path):
        fx = site.settings.fixture(name)
        if fx is not None and fx.configured_volume_l is not None:
            return ArrivalBasis.CONFIGURED_PURGE, fx.configured_volume_l * margin
    return ArrivalBasis.NONE, None


def fall_back(site: Site, cycle: FixtureCycle) -> None:
    """The sensor failed mid-cycle: switch to a timed purge."""
    cycle.basis, cycle.stop_volume_l = purge_plan(site, cycle.fixture)


def volume_limit(site: Site, fixture: str) -> float | None:
    """Never move more than ``VOLUME_LIMIT_SHARE`` x the expected volume without hot water."""
    s = site.settings
    path = s.path(fixture)
    transit = site.learned.fixture(path).transit_l
    configured = (f.configured_volume_l for f in (s.fixture(n) for n in (fixture, path)) if f)
    volumes = [v for v in (transit, *configured) if v is not None]
    return VOLUME_LIMIT_SHARE * max(volumes) if volumes else None


def protects_cold_line(site: Site, fixture: str) -> bool:
    """Whether ``fixture``'s valve guards a cold line with a limit (hot water must not pass)."""
    fx = site.settings.fixture(fixture)
    return (
        site.settings.topology is Topology.COLD_LINE
        and fx is not None
        and fx.cold_line_limit_c is not None
    )


def network_warm(site: Site, fixture: str, now: float) -> bool:
    """Whether another fixture's pipe is hot now (a shared trunk may hold hot water)."""
    for other in site.settings.fixtures:
        if other.name == fixture:
            continue
        value = site.believed(other.name, Line.HOT, now)
        if value is not None and value >= site.hot_band(other.name):
            return True
    return False


def early_onset(site: Site, cycle: FixtureCycle) -> bool:
    """A rise before ``MIN_ONSET_SHARE`` of the pipe volume moved: a warm parcel, not the front."""
    path = site.settings.fixture(site.settings.path(cycle.fixture))
    volume = path.configured_volume_l if path is not None else None
    return (
        not cycle.warm_network and volume is not None and cycle.volume_l < MIN_ONSET_SHARE * volume
    )


def learn_transit(site: Site, cycle: FixtureCycle) -> None:
    """The front arrived while flowing: the volume moved so far is a transit sample."""
    cycle.transit_l = cycle.volume_l
    path = site.settings.path(cycle.fixture)
    current = site.learned.fixture(path)
    if cycle.warm_network:
        learning = current.with_warm_sample(cycle.volume_l)
    else:
        learning = current.with_sample(cycle.volume_l)
    site.learn(site.learned.with_fixture(path, learning))


def readiness(site: Site, cycle: FixtureCycle, reason: EndReason, now: float) -> Readiness:
    """The readiness a cycle that ended ``ready`` leaves (and what confirms a predicted stop)."""
    s = site.settings
    name = cycle.fixture
    fx = s.fixture(name)
    assert fx is not None  # noqa: S101 - cycles run for configured fixtures
    return Readiness(
        since=now,
        settle_until=now + s.ready_settle_s,
        hold_until=None if cycle.sensed else now + fx.ready_hold_s,
        predicted=reason is EndReason.PREDICTED and s.path(name) == name and not cycle.warm_network,
        baseline_c=cycle.detector.lowest_c,
        confirm_until=now + s.ready_settle_s,
        stop_volume_l=cycle.volume_l,
        lead_l=flow_lpm(s, name) * fx.sensor_lead_s / 60.0,
    )


def grow_transit(site: Site, fixture: str, ready: Readiness) -> None:
    """A predicted stop the sensor never confirmed: the front comes later than learned."""
    learning = site.learned.fixture(fixture)
    fx = site.settings.fixture(fixture)
    if fx is None or site.sensor_failed(fixture, Line.HOT):
        return
    transit = learning.transit_l
    if transit is None:
        grown = learning.with_sample(ready.stop_volume_l * SHORTFALL_GROWTH + ready.lead_l)
    elif fx.configured_volume_l is not None and (
        transit * SHORTFALL_GROWTH > MAX_GROWTH_SHARE * fx.configured_volume_l
    ):
        return
    else:
        grown = learning.grown(SHORTFALL_GROWTH)
    site.learn(site.learned.with_fixture(fixture, grown))
