"""Arrival planning and learning: when a cycle stops without seeing hot water, what it teaches.

A cycle with a believed sensor stops at the hot front (``arrival.py``) or at the predicted
volume: the learned transit less what flows in the sensor's lead, never below a share of it nor
of the configured pipe volume (docs/engine.md, "Knowing when hot water has arrived"). Without a
sensor it is a timed purge of a known volume. Every onset seen while flowing teaches the transit.
A predicted stop is provisional until the sensor confirms the front came (``cycles.py``); one
it never confirms teaches nothing, but the next cycle does not trust the prediction: it waits
for the front, or, where a cold line must be protected, approaches it from below (``probe_l``,
10 % further each time, up to ``MAX_GROWTH_SHARE`` of the configured volume; then it waits too).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .automatic import AUTOMATIC_REASONS
from .commands import ArrivalBasis
from .config import Topology
from .cycle import FixtureCycle, Readiness
from .events import Line, TriggerReason
from .site import Site
from .topology import flow_lpm

SHORTFALL_GROWTH = 1.10
"""Approaching the front from below, each stop goes this much further than the last."""
PREDICTED_FLOOR_SHARE = 0.9
"""A predicted stop is never before this share of the configured pipe volume: a transit learned
while the shared trunk was still warm from another fixture's use is too short for a cold one."""
MIN_ONSET_SHARE = 0.5
"""A rise before this share of the expected pipe volume (configured, else learned) was pumped
is a warm parcel passing, not the hot front: it neither ends the cycle nor teaches the transit
(unless it is a big one: ``EARLY_FRONT_RISE``)."""
EARLY_FRONT_RISE = 3.0
"""An early rise of this many times ``onset_rise_c`` is hot water all the same (a tap opened, a
trunk still hot): it ends the cycle, but teaches no transit."""
VOLUME_LIMIT_SHARE = 3.0
"""A cycle that moved this many times the expected volume (learned transit or configured pipe
volume, the larger) without seeing hot water ends ``timed_out``: the heater is not delivering, or
the sensor cannot tell; pushing more only wastes water and heat."""
MAX_GROWTH_SHARE = 2.5
"""Approaching from below stops at this multiple of the configured pipe volume."""
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
    probe: bool = False
    """The stop approaches the front from below."""


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
    probe = False
    if learning.shortfalls and not warm:
        # The last predicted stop was not confirmed: approach the front from where it stopped,
        # further each time; at the end of the approach, wait for the front itself.
        end = probe_end(site, path)
        if learning.probe_l is not None and end is not None and learning.probe_l < end:
            stop, probe = learning.probe_l, True
    elif warm:
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
        stop, probe = floor, True
    elif silent:
        stop = purge_plan(site, name)[1]
    return Plan(
        basis=ArrivalBasis.SENSOR,
        stop_volume_l=stop,
        start_c=start_c,
        silent=silent,
        warm=warm,
        probe=probe,
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
    """A rise before ``MIN_ONSET_SHARE`` of the pipe volume moved: not the front at its place."""
    s = site.settings
    path = s.path(cycle.fixture)
    fx = s.fixture(path)
    volume = fx.configured_volume_l if fx is not None else None
    if volume is None and s.topology is Topology.RETURN_LINE:
        volume = site.learned.fixture(path).transit_l
    return (
        not cycle.warm_network and volume is not None and cycle.volume_l < MIN_ONSET_SHARE * volume
    )


def early_front(site: Site, cycle: FixtureCycle) -> bool:
    """An early rise big enough to be hot water all the same (``EARLY_FRONT_RISE``)."""
    detector = cycle.detector
    base = detector.lowest_c
    return (
        base is not None
        and detector.peak_c is not None
        and detector.peak_c - base >= EARLY_FRONT_RISE * site.settings.onset_rise_c
    )


def learn_transit(site: Site, fixture: str, litres: float, *, warm: bool) -> None:
    """A front seen while flowing: the volume moved to it is a transit sample."""
    path = site.settings.path(fixture)
    current = site.learned.fixture(path)
    learning = current.with_warm_sample(litres) if warm else current.with_sample(litres)
    site.learn(site.learned.with_fixture(path, learning))


def readiness(site: Site, cycle: FixtureCycle, now: float, *, onset: bool = False) -> Readiness:
    """The readiness a cycle that ended ``ready`` leaves (or is thought to, while confirming).

    A predicted stop is confirmed by a rise over the cycle's lowest reading; an onset stop (a
    rise already) by a further rise over the reading it stopped on: one bump may be noise.
    """
    s = site.settings
    name = cycle.fixture
    fx = s.fixture(name)
    assert fx is not None  # noqa: S101 - cycles run for configured fixtures
    detector = cycle.detector
    return Readiness(
        since=now,
        settle_until=now + s.ready_settle_s,
        hold_until=None if cycle.sensed else now + fx.ready_hold_s,
        baseline_c=detector.peak_c if onset else detector.lowest_c,
        confirm_until=now + s.ready_settle_s,
        stop_volume_l=cycle.volume_l,
        lead_l=flow_lpm(s, name) * fx.sensor_lead_s / 60.0,
        probe=cycle.probe,
        warm=cycle.warm_network,
        onset=onset,
        transit_l=cycle.transit_l if onset else None,
    )


def confirmed(site: Site, fixture: str, ready: Readiness) -> None:
    """The sensor showed the front after a lag-beating stop: trust grows.

    An onset's transit is learned; a probe's stop (plus the sensor's lead) was the transit.
    """
    if ready.transit_l is not None:
        learn_transit(site, fixture, ready.transit_l, warm=ready.warm)
    path = site.settings.path(fixture)
    learning = site.learned.fixture(path)
    if ready.probe and not ready.onset:
        learning = learning.with_sample(ready.stop_volume_l + ready.lead_l)
    site.learn(site.learned.with_fixture(path, learning.with_confirmation()))


def probe_end(site: Site, path: str) -> float | None:
    """How far an approach from below goes (None: no pipe volume known to measure it by).

    ``MAX_GROWTH_SHARE`` of the pipe volume: the configured one, else the learned transit.
    """
    fx = site.settings.fixture(path)
    volume = fx.configured_volume_l if fx is not None else None
    if volume is None:
        volume = site.learned.fixture(path).transit_l
    return None if volume is None else MAX_GROWTH_SHARE * volume


def unconfirmed(site: Site, fixture: str, ready: Readiness) -> bool:
    """A lag-beating stop the sensor never confirmed; True when that counts as a failure.

    After a predicted stop the next cycle goes ``SHORTFALL_GROWTH`` further. Approaching the front from below with
    nothing learned yet, that is the way there, not a failure; a stop on what was learned failed
    (the front may just come later, or the heater did not fire).
    """
    path = site.settings.path(fixture)
    learning = site.learned.fixture(path)
    if ready.onset:
        # a rise that went no further: a warm parcel or noise, not the front
        site.learn(site.learned.with_fixture(path, learning.with_failure()))
        return True
    if ready.warm:
        # a trunk left hot by another fixture predicted it: those samples came too early
        site.learn(site.learned.with_fixture(path, replace(learning, warm_samples=())))
        return False
    end = probe_end(site, path)
    probe = None if end is None else min(ready.stop_volume_l * SHORTFALL_GROWTH, end)
    learning_phase = ready.probe and learning.transit_l is None
    failed = not (learning_phase and probe is not None and end is not None and probe < end)
    site.learn(site.learned.with_fixture(path, learning.with_shortfall(probe, failed=failed)))
    return failed


def no_heat(site: Site, fixture: str) -> int:
    """A cycle that saw no rise at all; the failures in a row since the last hot water."""
    path = site.settings.path(fixture)
    learning = site.learned.fixture(path).with_failure()
    site.learn(site.learned.with_fixture(path, learning))
    return learning.failures
