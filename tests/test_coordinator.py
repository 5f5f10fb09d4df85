"""The HA shell: state conversion, service calls, failures, wake-ups, storage, faults."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, ServiceCall, State, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.zero_cold_water import actuators
from custom_components.zero_cold_water.const import (
    CONF_JUNCTION_VALVE,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_TOPOLOGY,
    DOMAIN,
    Topology,
)
from custom_components.zero_cold_water.engine import (
    ActuatorReading,
    Fault,
    FaultKind,
    FixtureSnapshot,
    FixtureState,
    InstallationState,
    Mode,
    Snapshot,
    Start,
    Tick,
    Totals,
)
from custom_components.zero_cold_water.shown import UNSHOWN, UNSHOWN_FIXTURE, shown_changed
from custom_components.zero_cold_water.states import actuator_reading, celsius

from .conftest import (
    ENTRY_ID,
    PUMP,
    SENSORS,
    VALVES,
    make_entry,
    set_temperature,
    settle,
    setup_entry,
)
from .faults.hardware import Behaviour, FakeHardware

pytestmark = pytest.mark.usefixtures("hardware")


@pytest.mark.parametrize(
    ("state", "unit", "expected"),
    [
        ("20.5", "°C", 20.5),
        ("104", "°F", 40.0),
        ("313.15", "K", 40.0),
        ("unavailable", "°C", None),
        ("unknown", "°C", None),
        ("hot", "°C", None),
    ],
)
def test_celsius(state: str, unit: str, expected: float | None) -> None:
    value = celsius(State("sensor.x", state, {"unit_of_measurement": unit}))
    assert value == (pytest.approx(expected) if expected is not None else None)
    assert celsius(None) is None


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("on", ActuatorReading.ON),
        ("open", ActuatorReading.ON),
        ("closing", ActuatorReading.ON),
        ("off", ActuatorReading.OFF),
        ("closed", ActuatorReading.OFF),
        ("opening", ActuatorReading.OFF),
        ("unavailable", ActuatorReading.UNAVAILABLE),
        ("jammed", ActuatorReading.UNAVAILABLE),
    ],
)
def test_actuator_reading(state: str, expected: ActuatorReading) -> None:
    assert actuator_reading(State("valve.x", state)) is expected
    assert actuator_reading(None) is ActuatorReading.UNAVAILABLE


async def test_fahrenheit_sensor_reaches_the_engine_in_celsius(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    set_temperature(hass, SENSORS[0], 104.0, "°F")
    await settle(hass)
    snapshot = entry.runtime_data.coordinator.data
    assert snapshot.fixtures["fixture_kitchen"].temperature_c == pytest.approx(40.0)


async def test_valve_domain_uses_open_and_close(hass: HomeAssistant) -> None:
    """A junction valve from the valve domain (return line): open_valve / close_valve."""
    hass.states.async_set("valve.junction", "closed")
    entry = make_entry(
        Topology.RETURN_LINE,
        data={
            CONF_TOPOLOGY: "return_line",
            CONF_PUMP: PUMP,
            CONF_PUMP_FLOW: 6.0,
            CONF_JUNCTION_VALVE: "valve.junction",
        },
    )
    # The valve integration loaded first, so the stand-in services stay in place.
    assert await async_setup_component(hass, "valve", {})
    opened = async_mock_service(hass, "valve", "open_valve")
    closed = async_mock_service(hass, "valve", "close_valve")
    await setup_entry(hass, entry)
    assert [c.data["entity_id"] for c in closed] == ["valve.junction"]  # start-up: safe
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    assert [c.data["entity_id"] for c in opened] == ["valve.junction"]
    # The engine waits for the junction valve to report open before it starts the pump.
    assert hass.states.get(PUMP).state == STATE_OFF
    hass.states.async_set("valve.junction", "open")
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    assert [c.data["entity_id"] for c in closed] == ["valve.junction"] * 2
    assert hass.states.get(PUMP).state == STATE_OFF


async def test_failed_call_makes_the_actuator_unavailable(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """A pump whose service does not exist: warned once, refused, reported as a fault."""
    hass.states.async_set("switch.dead_pump", STATE_OFF)
    entry = make_entry(
        data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: "switch.dead_pump", CONF_PUMP_FLOW: 6}
    )
    await setup_entry(hass, entry)
    assert caplog.text.count("switch.turn_off for switch.dead_pump failed") == 1
    assert hass.states.get("sensor.home_state").state == "fault"
    assert hass.states.get("binary_sensor.home_problem").state == STATE_ON


async def test_slow_call_times_out(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(actuators, "SERVICE_TIMEOUT_S", 0.01)

    async def hang(_call: ServiceCall) -> None:
        await asyncio.sleep(1)

    hass.services.async_register("switch", "turn_off", hang)
    hass.states.async_set("switch.slow_pump", STATE_OFF)
    entry = make_entry(
        data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: "switch.slow_pump", CONF_PUMP_FLOW: 6}
    )
    await setup_entry(hass, entry)
    assert "switch.turn_off for switch.slow_pump failed: timeout" in caplog.text


async def test_wakeup_ends_a_cycle_at_its_maximum_run_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_entry(hass, make_entry())
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    freezer.tick(timedelta(seconds=301))
    async_fire_time_changed(hass)
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF
    assert hass.states.get(VALVES[0]).state == STATE_OFF
    assert (
        hass.states.get("event.home_cycle").attributes["event_type"] == "no_heat"
    )  # the pipe never warmed
    assert entry.runtime_data.coordinator.recent_cycles[-1].outcome.value == "no_heat"


async def test_valve_fault_raises_an_issue_that_clears(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, issue_registry: ir.IssueRegistry
) -> None:
    """A valve that never reports open: fault, repair issue; a good cycle later clears it."""
    await setup_entry(hass, make_entry())
    fake = FakeHardware(hass)  # the pump and valves from here on
    fake[VALVES[0]].behaviour = Behaviour.NEVER  # takes the call, never opens
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
    )
    await settle(hass)
    freezer.tick(timedelta(seconds=61))
    async_fire_time_changed(hass)
    await settle(hass)
    issue = issue_registry.async_get_issue(DOMAIN, f"fault_{ENTRY_ID}")
    assert issue is not None
    assert issue.translation_key == "fault_valve_not_confirmed"
    assert issue.translation_placeholders == {"installation": "Home", "device": VALVES[0]}
    assert hass.states.get("binary_sensor.home_problem").state == STATE_ON

    fake[VALVES[0]].behaviour = Behaviour.OK
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await settle(hass)
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
    )
    await settle(hass)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get("binary_sensor.home_problem").state == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, f"fault_{ENTRY_ID}") is None


async def test_fault_detail_names(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    assert coordinator.issues.device_label("pump") == PUMP
    assert coordinator.issues.device_label("fixture_basin") == VALVES[1]
    assert coordinator.issues.device_label("somewhere") == "somewhere"
    assert coordinator.fixture_name("somewhere") == "somewhere"


async def test_learned_data_and_mode_survive_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    entry = await setup_entry(hass, make_entry())
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
    )
    await settle(hass)
    for celsius_ in (21.0, 25.0, 33.0, 41.0):
        freezer.tick(timedelta(seconds=4))
        async_fire_time_changed(hass)
        set_temperature(hass, SENSORS[0], celsius_)
        await settle(hass)
    await hass.services.async_call(
        "select", "select_option", {"entity_id": "select.home_mode", "option": "off"}, blocking=True
    )
    await settle(hass)
    totals = {
        key: hass.states.get(f"sensor.home_{key}").state
        for key in ("cycles", "pump_run_time", "water_moved", "heat_moved")
    }
    assert totals["cycles"] == "1"
    transit = hass.states.get("sensor.kitchen_sink_learned_pipe_volume").state
    assert transit not in ("unknown", "unavailable")

    await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    assert {key: hass.states.get(f"sensor.home_{key}").state for key in totals} == totals
    assert hass.states.get("sensor.kitchen_sink_learned_pipe_volume").state == transit
    assert entry.runtime_data.coordinator.mode is Mode.OFF
    assert hass_storage[f"{DOMAIN}.{ENTRY_ID}"]["data"]["mode"] == "off"


@pytest.mark.parametrize(
    "stored",
    [
        {"mode": "party", "learned": {"version": 99}},
        {"mode": "on_demand", "learned": "garbage"},
    ],
)
async def test_bad_stored_data_is_discarded(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    stored: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass_storage[f"{DOMAIN}.{ENTRY_ID}"] = {
        "version": 1,
        "key": f"{DOMAIN}.{ENTRY_ID}",
        "data": stored,
    }
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    assert coordinator.mode is Mode.ON_DEMAND
    assert coordinator.learned.totals.cycles == 0
    assert "stored learned data discarded" in caplog.text


async def test_unavailable_sensor_reaches_the_engine(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    hass.states.async_set(SENSORS[1], STATE_UNAVAILABLE)
    await settle(hass)
    fixture = entry.runtime_data.coordinator.data.fixtures["fixture_basin"]
    assert fixture.temperature_c is None
    assert not fixture.sensor_ok


async def test_after_unload_nothing_reaches_the_engine(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    orphan = coordinator.wait_for("fixture_basin")  # no cycle runs for it
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert orphan.cancelled()
    handled = await coordinator.async_handle(Tick())
    assert (handled.started, handled.refused, handled.finished) == ([], [], [])
    await coordinator.async_stop()  # twice is harmless


async def test_events_queued_behind_the_shutdown_are_dropped(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    landed = asyncio.Event()

    async def slow_off(_call: ServiceCall) -> None:
        await landed.wait()

    hass.services.async_register("input_boolean", "turn_off", slow_off)
    stop = asyncio.ensure_future(coordinator.async_stop())
    await asyncio.sleep(0)  # the shutdown holds the engine, its calls in flight
    start = asyncio.ensure_future(coordinator.async_handle(Start(fixtures=("fixture_kitchen",))))
    await asyncio.sleep(0)  # the start waits its turn behind the shutdown
    landed.set()
    await stop
    handled = await start
    assert (handled.started, handled.refused) == ([], [])
    assert hass.states.get(VALVES[0]).state == STATE_OFF


@pytest.mark.parametrize(("sensor", "line"), [(SENSORS[1], "hot"), ("sensor.ro_inlet", "cold")])
async def test_implausible_sensor_raises_an_issue_that_clears(
    hass: HomeAssistant, issue_registry: ir.IssueRegistry, sensor: str, line: str
) -> None:
    await setup_entry(hass, make_entry())
    set_temperature(hass, sensor, -127.0)  # the classic DS18B20 error value
    await settle(hass)
    issue_id = f"sensor_{ENTRY_ID}_fixture_basin_{line}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "fault_sensor_implausible"
    assert issue.translation_placeholders == {"installation": "Home", "device": sensor}
    set_temperature(hass, sensor, 24.0)
    await settle(hass)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_sensor_issue_of_an_unknown_fixture_goes(
    hass: HomeAssistant, issue_registry: ir.IssueRegistry
) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    coordinator.issues.raise_issue(Fault(kind=FaultKind.SENSOR_LOST, detail="gone:hot"))
    issue_id = f"sensor_{ENTRY_ID}_gone_hot"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    await coordinator.async_handle(Tick())
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_idle_reading_is_taken_in_its_callback_and_writes_nothing(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe reading that changes nothing shown: the engine gets it, no task, no state write."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    ours = {e.entity_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)}
    written = async_capture_events(hass, EVENT_STATE_CHANGED)
    tasks = _count_tasks(entry, monkeypatch)
    set_temperature(hass, SENSORS[0], 21.5)  # no draw: < 3 K over 20 C
    await settle(hass)
    assert coordinator.data.fixtures["fixture_kitchen"].temperature_c == 21.5
    assert tasks == []  # handled in the listener's callback
    assert [e.data["entity_id"] for e in written if e.data["entity_id"] in ours] == []


def _count_tasks(entry: MockConfigEntry, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tasks the installation starts from now on (its worker's)."""
    started: list[str] = []
    original = entry.async_create_task

    def counted(*args: Any, **kwargs: Any) -> Any:
        started.append(str(args[2] if len(args) > 2 else kwargs.get("name")))
        return original(*args, **kwargs)

    monkeypatch.setattr(entry, "async_create_task", counted)
    return started


def _in_flight(hass: HomeAssistant, service: str) -> tuple[asyncio.Event, asyncio.Event]:
    """``input_boolean.<service>`` from now on takes the device's state only once ``landed`` is
    set; ``called`` is set when a call is in flight."""
    called, landed = asyncio.Event(), asyncio.Event()

    async def slow(call: ServiceCall) -> None:
        called.set()
        await landed.wait()
        hass.states.async_set(
            call.data["entity_id"], STATE_ON if service == "turn_on" else STATE_OFF
        )

    hass.services.async_register("input_boolean", service, slow)
    return called, landed


async def test_quiet_reading_builds_no_snapshot_until_one_is_read(hass: HomeAssistant) -> None:
    """The engine's revision did not move: no snapshot; ``data`` is rebuilt when read."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    controller = coordinator.controller
    assert controller is not None
    taken: list[float] = []
    original = controller.snapshot

    def counted() -> Snapshot:
        snapshot = original()
        taken.append(snapshot.now)
        return snapshot

    controller.snapshot = counted  # type: ignore[method-assign]
    revision = controller.revision
    set_temperature(hass, SENSORS[0], 21.0)
    set_temperature(hass, SENSORS[1], 21.5)
    await settle(hass)
    assert controller.revision == revision
    assert taken == []
    views = coordinator.data.fixtures
    assert [views[f].temperature_c for f in ("fixture_kitchen", "fixture_basin")] == [21.0, 21.5]
    assert coordinator.data.fixtures["fixture_kitchen"].temperature_c == 21.0
    assert len(taken) == 1  # once per change, not per read


async def test_reading_that_changes_nothing_shown_asks_no_entity(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reading that takes the engine's full pass (a cycle runs) but changes only what no
    entity shows: a new snapshot, and no entity asked to look."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    revision = coordinator.controller.revision
    published: list[Snapshot | None] = []
    monkeypatch.setattr(coordinator, "async_set_updated_data", published.append)
    set_temperature(hass, SENSORS[1], 21.0)
    await settle(hass)
    assert coordinator.controller.revision != revision
    assert published == []
    assert coordinator.data.fixtures["fixture_basin"].temperature_c == 21.0


def _other(value: Any) -> Any:
    return 33.3 if value is None else value + 1000.0


async def test_no_entity_shows_an_unshown_field(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """The rule that lets the shell skip updates: a snapshot that differs from the last only in
    ``UNSHOWN`` fields changes no entity's state."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    ours = {e.entity_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)}
    written = async_capture_events(hass, EVENT_STATE_CHANGED)
    snapshot = coordinator.data
    assert snapshot is not None
    unshown = replace(
        snapshot,
        **{name: _other(getattr(snapshot, name)) for name in UNSHOWN},
        fixtures={
            fixture: replace(
                view, **{name: _other(getattr(view, name)) for name in UNSHOWN_FIXTURE}
            )
            for fixture, view in snapshot.fixtures.items()
        },
    )
    coordinator.async_set_updated_data(unshown)
    await settle(hass)
    assert [e.data["entity_id"] for e in written if e.data["entity_id"] in ours] == []
    assert not shown_changed(snapshot, unshown)
    # What is shown does reach the entities.
    kitchen = replace(unshown.fixtures["fixture_kitchen"], state=FixtureState.READY, hot=True)
    coordinator.async_set_updated_data(
        replace(unshown, fixtures={**unshown.fixtures, "fixture_kitchen": kitchen})
    )
    await settle(hass)
    assert "binary_sensor.kitchen_sink_hot_water_ready" in {e.data["entity_id"] for e in written}


async def test_reading_while_the_engine_is_busy_waits_its_turn(hass: HomeAssistant) -> None:
    """While a call is in flight a reading queues up; it is handled after."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    called, landed = _in_flight(hass, "turn_on")
    press = asyncio.ensure_future(
        hass.services.async_call(
            "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
        )
    )
    await called.wait()  # the valve's open call is in flight
    set_temperature(hass, SENSORS[0], 24.5)
    for _ in range(3):  # HA 2025.4 delivers the change a loop iteration later
        await asyncio.sleep(0)
    assert coordinator.data.fixtures["fixture_kitchen"].temperature_c == 20.0
    landed.set()
    await press
    await settle(hass)
    assert coordinator.data.fixtures["fixture_kitchen"].temperature_c == 24.5


async def test_reading_that_stops_a_cycle_calls_the_hardware_in_order(hass: HomeAssistant) -> None:
    """A reading whose commands need service calls: the worker carries them out in order."""
    await setup_entry(hass, make_entry())
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    calls: list[tuple[str, str]] = []

    @callback
    def _off(event: Event[Any]) -> None:
        if event.data["entity_id"] in (PUMP, VALVES[0]):
            calls.append((event.data["entity_id"], event.data["new_state"].state))

    unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, _off)
    set_temperature(hass, SENSORS[0], 60.0)
    await settle(hass)
    unsub()
    # The pump stops before the valve closes (no dead-heading), and nothing is left waiting.
    assert calls == [(PUMP, STATE_OFF), (VALVES[0], STATE_OFF)]
    assert hass.states.get("binary_sensor.kitchen_sink_hot_water_ready").state == STATE_ON


def test_shown_changed_ignores_only_what_no_entity_shows() -> None:
    fixture = FixtureSnapshot(
        name="kitchen",
        state=FixtureState.IDLE,
        temperature_c=20.0,
        cold_temperature_c=None,
        sensor_ok=True,
        valve_open_commanded=False,
        valve_reported=ActuatorReading.OFF,
        ready_until=None,
        last_cycle=None,
        learned_transit_l=None,
        transit_samples=0,
    )
    snapshot = Snapshot(
        now=1.0,
        state=InstallationState.IDLE,
        mode=Mode.ON_DEMAND,
        pump_on_commanded=False,
        pump_reported=ActuatorReading.OFF,
        junction_open_commanded=None,
        fixtures={"kitchen": fixture},
        pump_run_24h_s=0.0,
        daily_pump_cap_s=3600.0,
        cooldown_until=None,
        next_wakeup=None,
        totals=Totals(),
        shut_down=False,
    )
    warmer = replace(fixture, temperature_c=21.0, cold_temperature_c=15.0)
    later = replace(snapshot, now=2.0, fixtures={"kitchen": warmer}, next_wakeup=5.0)
    assert not shown_changed(snapshot, later)
    assert shown_changed(snapshot, replace(later, state=InstallationState.READY))
    ready = replace(warmer, state=FixtureState.READY)
    assert shown_changed(snapshot, replace(later, fixtures={"kitchen": ready}))
    assert shown_changed(snapshot, replace(later, fixtures={}))


async def test_readings_of_one_loop_pass_share_one_snapshot(hass: HomeAssistant) -> None:
    """Every sensor reporting at once: each reading reaches the engine, one snapshot is taken."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    controller = coordinator.controller
    taken: list[float] = []
    original = controller.snapshot

    def counted() -> Snapshot:
        snapshot = original()
        taken.append(snapshot.now)
        return snapshot

    controller.snapshot = counted  # type: ignore[method-assign]
    for sensor, value in zip(SENSORS, (31.0, 32.0, 33.0), strict=True):
        set_temperature(hass, sensor, value)
    await settle(hass)
    assert len(taken) == 1
    views = coordinator.data.fixtures
    assert [
        views[f].temperature_c for f in ("fixture_kitchen", "fixture_basin", "fixture_shower")
    ] == [
        31.0,
        32.0,
        33.0,
    ]


async def test_commands_waiting_from_a_callback_go_before_the_next_event(
    hass: HomeAssistant,
) -> None:
    """The engine moved past a reading's commands: they are carried out before what follows."""
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    called, landed = _in_flight(hass, "turn_off")
    set_temperature(hass, SENSORS[0], 60.0)
    await called.wait()  # the reading's commands are under way: the pump's off call
    assert hass.states.get(PUMP).state == STATE_ON  # decided, not carried out yet
    set_temperature(hass, SENSORS[1], 21.0)  # queues up behind the waiting commands
    start = asyncio.ensure_future(coordinator.async_handle(Start(fixtures=("fixture_shower",))))
    for _ in range(3):
        await asyncio.sleep(0)
    assert coordinator.data.fixtures["fixture_basin"].temperature_c == 20.0
    landed.set()
    handled = await start
    # The kitchen's stop first (pump off, then its valve), then the Start, in the cooldown.
    assert hass.states.get(PUMP).state == STATE_OFF
    assert hass.states.get(VALVES[0]).state == STATE_OFF
    assert list(handled.deferred) == ["fixture_shower"]
    await settle(hass)
    assert coordinator.data.fixtures["fixture_basin"].temperature_c == 21.0


async def test_a_wakeup_timer_that_fires_early_is_armed_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A timer callback a little before the engine's wakeup finds nothing due; the engine's
    wakeup is unchanged, so it asks for no new one: the shell arms the same one again."""
    await setup_entry(hass, make_entry())
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
    )
    await settle(hass)
    freezer.tick(timedelta(seconds=299.5))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON  # 0.5 s short of the maximum run time
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF
    assert hass.states.get("event.home_cycle").attributes["event_type"] == "no_heat"
