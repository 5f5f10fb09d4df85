"""Soak: simulated days of a real home (simulator home B) behind stand-in entities in a real hass.

The simulator's pump, valves and pipe sensors stand behind ``input_boolean``/``sensor`` states
(commands land and report with the hardware's latency), its people draw water and press the
remote (here: the "Heat now" button, the path a remote binding takes too). Time is driven by
freezer, in 1 s steps while anything moves and up to 60 s while the home rests.

Checked at every step: the engine's own safety rules on the commanded state, no dead-heading in
the simulated plumbing, no cycle longer than its maximum run time, the pump's daily cap; memory
of Home Assistant and the integration stays flat (tracemalloc); after unload nothing of the
integration remains. ``ZCW_SOAK_DAYS`` sets the length (CI: 1 day; full: ``ZCW_SOAK_DAYS=30``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
import dataclasses
from datetime import timedelta
from functools import partial
import gc
import logging
import os
import sys
import tracemalloc
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, EVENT_STATE_CHANGED, STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import storage
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.zero_cold_water.const import (
    CONF_COLD_SENSOR,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_SENSOR,
    CONF_TARGET,
    CONF_TOPOLOGY,
    CONF_VALVE,
    CONF_VOLUME,
    DEFAULT_OPTIONS,
    DOMAIN,
    EVENT_CYCLE,
    SUBENTRY_FIXTURE,
)
from custom_components.zero_cold_water.engine.learning import (
    LOG_KEEP_S,
    MAX_DRAW_RECORDS,
    MAX_PREHEAT_RECORDS,
)
from custom_components.zero_cold_water.engine.prediction import SLOTS
import simulator
from simulator.control import (
    ActuatorReport,
    HomeInfo,
    Observation,
    SensorReport,
    TriggerPressed,
    Want,
)
from tests.conftest import integration_timers, settle

SOAK_DAYS = float(os.environ.get("ZCW_SOAK_DAYS", "1"))
IDLE_STEP_S = 60.0
MEMORY_GROWTH_LIMIT_B = 50_000
"""Growth of the integration's own traced memory from the first quarter day to the end, less the
learned data's own growth (the usage profile fills its slots as the weeks go by, up to its
bounds): flat, the recent cycles and faults filling their deques."""
TOTAL_GROWTH_LIMIT_B = 200_000
"""The same for Home Assistant's and the integration's together (flat: about 60 kB)."""


class Mailbox:
    """A ``simulator.control.Strategy`` that relays HA's commands and keeps the hardware's reports."""

    name = "home-assistant"

    def __init__(self) -> None:
        """Empty."""
        self.outbox: list[Want] = []
        self.inbox: list[Observation] = []
        self.next: float | None = None

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Nothing to do yet."""
        return ()

    def observe(self, obs: Observation) -> Sequence[Want]:
        """Keep the report, hand over queued commands."""
        self.inbox.append(obs)
        return self._flush()

    def wakeup(self, now: float) -> Sequence[Want]:
        """Hand over the queued commands."""
        self.next = None
        return self._flush()

    def next_wakeup(self) -> float | None:
        """Only when HA has queued a command (``SimulatedHome.advance`` asks)."""
        return self.next

    def _flush(self) -> Sequence[Want]:
        out, self.outbox = self.outbox, []
        return out


class SimulatedHome:
    """Simulator home B as stand-in entities of a real hass."""

    def __init__(self, hass: HomeAssistant, days: float) -> None:
        """Build the simulation and the stand-ins at rest."""
        self.hass = hass
        self.home = simulator.load_home("B")
        self.mailbox = Mailbox()
        draws = simulator.generate_draws(self.home, days, 1)
        self.sim = simulator.Simulation(self.home, self.mailbox, draws, seed=1)
        self.fixtures = [f.name for f in self.home.fixtures]
        self.actuators = {"pump": "input_boolean.pump"} | {
            f"valve:{f}": f"input_boolean.{f}_valve" for f in self.fixtures
        }
        self.by_entity = {e: a for a, e in self.actuators.items()}
        self.commanded = dict.fromkeys(self.actuators, False)
        self.reported = dict.fromkeys(self.actuators, False)
        for service, on in (("turn_on", True), ("turn_off", False)):
            hass.services.async_register("input_boolean", service, partial(self._command, on=on))
        for entity_id in self.actuators.values():
            hass.states.async_set(entity_id, STATE_OFF)
        for fixture in self.fixtures:
            self._sensor(fixture, self.home.room_c)
        self._sensor("cold:kitchen", self.home.room_c)

    def _sensor(self, name: str, celsius: float) -> None:
        entity_id = f"sensor.{name.replace('cold:', 'cold_')}_pipe"
        self.hass.states.async_set(
            entity_id,
            f"{celsius:.1f}",
            {"device_class": "temperature", "unit_of_measurement": "°C"},
        )

    async def _command(self, call: ServiceCall, *, on: bool) -> None:
        ids = call.data[ATTR_ENTITY_ID]
        for entity_id in [ids] if isinstance(ids, str) else ids:
            actuator = self.by_entity[entity_id]
            self.commanded[actuator] = on
            self.mailbox.outbox.append(Want(actuator=actuator, on=on))

    def entry(self) -> MockConfigEntry:
        """The installation as a user would configure it for this home."""
        subentries = []
        for spec in self.home.fixtures:
            data: dict[str, Any] = {
                CONF_SENSOR: f"sensor.{spec.name}_pipe",
                CONF_VALVE: f"input_boolean.{spec.name}_valve",
                CONF_TARGET: spec.target_c,
                CONF_VOLUME: round(self.home.hot_volume_l(spec.name), 2),
            }
            if spec.cold_sensor is not None:
                data[CONF_COLD_SENSOR] = f"sensor.cold_{spec.name}_pipe"
            subentries.append(
                {
                    "data": data,
                    "subentry_id": f"fixture_{spec.name}",
                    "subentry_type": SUBENTRY_FIXTURE,
                    "title": spec.name.title(),
                    "unique_id": None,
                }
            )
        assert self.home.pump is not None
        return MockConfigEntry(
            domain=DOMAIN,
            title="Home",
            data={
                CONF_TOPOLOGY: self.home.topology,
                CONF_PUMP: "input_boolean.pump",
                CONF_PUMP_FLOW: self.home.pump.flow_lpm,
            },
            options=dict(DEFAULT_OPTIONS),
            version=1,
            minor_version=2,
            entry_id="soak",
            subentries_data=subentries,
        )

    async def advance(self, to: float) -> None:
        """Run the simulation to ``to`` and show what the hardware reported."""
        if self.mailbox.outbox:  # commands from HA: hand them over now
            self.mailbox.next = self.sim.now
            # No public "wake me now" in the strategy protocol.
            self.sim._reschedule_wake()
        self.sim.run_until(to)
        inbox, self.mailbox.inbox = self.mailbox.inbox, []
        for obs in inbox:
            if isinstance(obs, SensorReport):
                self._sensor(obs.sensor, obs.celsius)
            elif isinstance(obs, ActuatorReport):
                self.reported[obs.actuator] = obs.on
                self.hass.states.async_set(
                    self.actuators[obs.actuator], STATE_ON if obs.on else STATE_OFF
                )
            elif isinstance(obs, TriggerPressed):
                await self.hass.services.async_call(
                    "button", "press", {"entity_id": f"button.{obs.fixture}_heat_now"}
                )

    def busy(self) -> bool:
        """Whether anything moves (water, actuators, commands on their way or unconfirmed)."""
        sim = self.sim
        return bool(
            self.commanded != self.reported
            or sim.pump_on()
            or any(sim.valve_open(f) for f in self.fixtures)
            or sim.open_draws
            or self.mailbox.outbox
            or any(self.hass.states.is_state(e, STATE_ON) for e in self.actuators.values())
        )

    def next_event(self) -> float:
        """The next draw or remote press after now."""
        now = self.sim.now
        upcoming = [
            t
            for d in self.sim.draws
            for t in (d.start, d.trigger_at)
            if t is not None and t > now + 1e-6
        ]
        return min(upcoming, default=now + IDLE_STEP_S)


def _integration_memory() -> tracemalloc.Snapshot:
    """What Home Assistant's and the integration's code allocated and is still alive.

    Collected first: a state change leaves reference cycles (``Context.origin_event``) that the
    garbage collector frees at its own pace, so without a collection the figure jumps about.
    """
    gc.collect()
    return tracemalloc.take_snapshot().filter_traces(
        [
            tracemalloc.Filter(True, "*/custom_components/zero_cold_water/*"),
            tracemalloc.Filter(True, "*/homeassistant/*"),
        ]
    )


def _forget_store_writes() -> int:
    """Clear the record of the test harness's store writes; return how many there were.

    ``hass_storage`` (pytest-homeassistant-custom-component's ``mock_storage``) patches
    ``Store._async_write_data`` with an autospec mock, and a mock keeps every call's arguments:
    every saved dict, and with it every ``LearnedData.to_dict()``, stayed alive (about 20 kB a
    day, traced as the integration's memory). Home Assistant's real ``Store`` keeps nothing of
    a written dict.
    """
    write: Any = storage.Store._async_write_data
    count = int(write.call_count)
    write.reset_mock()
    return count


def _deep_size(value: object, seen: set[int] | None = None) -> int:
    """Bytes held by ``value`` and all it refers to (containers, slotted dataclasses)."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, type):
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(_deep_size(k, seen) + _deep_size(v, seen) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset | deque):
        size += sum(_deep_size(item, seen) for item in value)
    elif dataclasses.is_dataclass(value):
        size += sum(_deep_size(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    return size


def _learned_size(coordinator: Any, hass_storage: dict[str, Any]) -> tuple[int, int]:
    """The learned data: the engine's (our code's memory), the stored copy the harness keeps.

    It grows with what is learned (usage profile slots, recent draws and pre-heats) up to its
    bounds, which is learning, not a leak: the memory check leaves it out and reports it.
    """
    stored = hass_storage.get(coordinator.store.key)
    return _deep_size(coordinator.controller.learned), _deep_size(stored)


def _size(snapshot: tracemalloc.Snapshot, only: str = "*") -> int:
    kept = snapshot.filter_traces([tracemalloc.Filter(True, only)])
    return sum(stat.size for stat in kept.statistics("filename"))


async def test_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    record_property: Any,
    caplog: pytest.LogCaptureFixture,
    hass_storage: dict[str, Any],
) -> None:
    days = SOAK_DAYS
    # Captured debug records keep their arguments alive (the mock store logs every saved dict):
    # they would count as the integration's memory.
    caplog.set_level(logging.WARNING)
    caplog.set_level(logging.WARNING, logger="pytest_homeassistant_custom_component.common")
    # freezer's time jumps look like slow callbacks to asyncio's debug mode: a logged traceback
    # at every step would cost more than the step.
    hass.loop.slow_callback_duration = float("inf")
    home = SimulatedHome(hass, days)
    await settle(hass)
    entry = home.entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    coordinator = entry.runtime_data.coordinator
    settings = coordinator.controller.settings
    # Figures, not events: kept Event objects would count as Home Assistant's memory.
    outcomes: set[str] = set()
    run_times: list[float] = [0.0]
    cycle_count = 0

    @callback
    def _cycle(event: Event[Any]) -> None:
        nonlocal cycle_count
        cycle_count += 1
        outcomes.add(str(event.data["outcome"]))
        run_times[0] = max(run_times[0], float(event.data["pump_run_s"] or 0.0))

    unsub_cycles = hass.bus.async_listen(EVENT_CYCLE, _cycle)
    violations: list[str] = []

    @callback
    def _check(event: Event[Any]) -> None:
        """The observer on the state machine: the engine's rules after every state change."""
        if coordinator.controller is not None and not coordinator.controller.snapshot().shut_down:
            violations.extend(
                f"{home.sim.now:.0f}s {event.data['entity_id']}: {found}"
                for found in coordinator.controller.safety_violations()
            )

    unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, _check)
    end = days * 86400.0
    quarter = min(end, 6 * 3600.0)
    tracemalloc.start()
    baseline: tracemalloc.Snapshot | None = None
    learned_first = (0, 0)
    steps = 0
    store_writes = 0
    while home.sim.now < end - 1e-6:
        now = home.sim.now
        step = 1.0 if home.busy() else min(IDLE_STEP_S, max(1.0, home.next_event() - now))
        to = min(now + step, end)
        freezer.tick(timedelta(seconds=to - now))
        await home.advance(to)
        async_fire_time_changed(hass)
        await settle(hass)
        steps += 1
        store_writes += _forget_store_writes()
        if home.sim.pump_on() and not any(home.sim.valve_open(f) for f in home.fixtures):
            violations.append(f"{to:.0f}s: pump running with every valve closed")
        if baseline is None and to >= quarter:
            baseline = _integration_memory()
            learned_first = _learned_size(coordinator, hass_storage)
    final = _integration_memory()
    learned_last = _learned_size(coordinator, hass_storage)
    tracemalloc.stop()
    first = _size(baseline or final)
    last = _size(final)
    top = [str(stat) for stat in final.compare_to(baseline or final, "lineno")[:3]]
    unsub()
    unsub_cycles()

    assert violations == []
    assert home.sim.deadhead_s == 0.0
    assert cycle_count, "the people never asked for hot water"
    assert run_times[0] <= settings.max_run_s + 2.0
    # The learned data was saved as the cycles went (the harness's record of it was dropped).
    assert store_writes >= 1
    assert coordinator.learned.totals.pump_run_s <= days * settings.daily_pump_cap_s + 1.0
    growth = last - first
    own = "*/custom_components/zero_cold_water/*"
    own_growth = _size(final, own) - _size(baseline or final, own)
    if baseline is None:
        learned_first = learned_last
    learned_growth = learned_last[0] - learned_first[0]
    stored_growth = learned_last[1] - learned_first[1]
    record_property("soak_days", days)
    record_property("soak_steps", steps)
    record_property("soak_cycles", cycle_count)
    record_property("soak_memory_growth_bytes", growth)
    record_property("soak_integration_memory_growth_bytes", own_growth)
    print(  # noqa: T201 - the soak's figures, shown with -s
        f"\nsoak: {days:g} days, {steps} steps, {cycle_count} cycles, "
        f"{store_writes} store writes, outcomes {sorted(outcomes)}, longest pump run {run_times[0]:.0f} s, "
        f"HA+integration traced memory {first} -> {last} B (growth {growth} B), "
        f"of which the integration's own code {own_growth} B; learned data "
        f"{learned_first[0]} -> {learned_last[0]} B (stored copy {learned_first[1]} -> "
        f"{learned_last[1]} B); largest growth: {top}"
    )
    record_property("soak_learned_data_growth_bytes", learned_growth)
    # The learned data is left out of the leak check below, so its own bounds are checked here:
    # a profile slot per fixture and quarter hour of the week at most, draw and pre-heat records
    # of the last LOG_KEEP_S only and never more than their caps.
    learned = coordinator.controller.learned
    for weights in (*learned.usage.weights.values(), *learned.usage.offsets.values()):
        assert len(weights) <= SLOTS
    assert len(learned.draws) <= MAX_DRAW_RECORDS
    assert len(learned.preheats) <= MAX_PREHEAT_RECORDS
    oldest = dt_util.utcnow().timestamp() - LOG_KEEP_S
    assert all(record.at >= oldest for record in (*learned.draws, *learned.preheats))
    assert own_growth - learned_growth < MEMORY_GROWTH_LIMIT_B
    assert growth - learned_growth - stored_growth < TOTAL_GROWTH_LIMIT_B

    # After unload nothing of the integration remains: no listener, no timer, no task.
    listeners = {
        k: v for k, v in hass.bus.async_listeners().items() if k != "homeassistant_final_write"
    }
    assert await hass.config_entries.async_unload(entry.entry_id)
    await settle(hass)
    assert integration_timers(hass) == []
    assert coordinator.store._delay_handle is None
    assert not entry._background_tasks
    after = {
        k: v for k, v in hass.bus.async_listeners().items() if k != "homeassistant_final_write"
    }
    assert all(after.get(k, 0) <= v for k, v in listeners.items())
    for _ in range(10):  # the last commands land and report
        freezer.tick(timedelta(seconds=5))
        await home.advance(home.sim.now + 5)
        async_fire_time_changed(hass)
        await settle(hass)
    assert not home.sim.pump_on()
    assert not any(home.sim.valve_open(f) for f in home.fixtures)
