"""The user's entities as engine events.

The wrapped hardware and sensors, the automatic cycles' inputs (schedule, presence, draw sensors,
the local time) and the bound remotes.

Pump, valve and sensor reports take the engine's fast path (``feed``): most are pipe readings
handled in the listener's own callback. Everything else is queued (``enqueue``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import (
    CALLBACK_TYPE,
    Event as HassEvent,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_state_report_event,
    async_track_time_change,
)
from homeassistant.util import dt as dt_util

from .const import (
    CONF_COLD_SENSOR,
    CONF_DRAW_SENSOR,
    CONF_JUNCTION_VALVE,
    CONF_PUMP,
    CONF_SCHEDULE,
    CONF_SENSOR,
)
from .engine import (
    JUNCTION,
    Actuator,
    ActuatorState,
    DrawObserved,
    Event,
    Line,
    LocalTime,
    Presence,
    ScheduleState,
    Start,
    Stop,
    StopReason,
    TemperatureReading,
    TriggerReason,
)
from .remotes import PressHandler, RemoteAction, RemoteBinding, async_track_remotes, remote_bindings
from .settings import Wrapped, input_entities, presence_entities, wrapped_entities
from .states import actuator_reading, celsius, drawing, on_off, presence_of, utc_offset_s

LOCAL_TIME_CHECK_MINUTES = "/15"
"""When the local time's UTC offset is checked (DST changes on a full or half hour)."""

type Chooser = Callable[[Collection[str] | None], tuple[str, ...]]
"""The engine's fixtures among those asked for (None: all of them)."""


def event_for(wrapped: Wrapped, state: State | None, at: float | None = None) -> Event:
    """What a wrapped pump, valve or sensor's state is to the engine (``at``: its time)."""
    if at is None:  # the last report, even one that did not change the state
        at = state.last_reported.timestamp() if state is not None else dt_util.utcnow().timestamp()
    if wrapped.role in (CONF_SENSOR, CONF_COLD_SENSOR):
        assert wrapped.fixture is not None  # noqa: S101 - fixture roles have one
        line = Line.HOT if wrapped.role == CONF_SENSOR else Line.COLD
        return TemperatureReading(fixture=wrapped.fixture, celsius=celsius(state), at=at, line=line)
    if wrapped.role == CONF_PUMP:
        return ActuatorState(actuator=Actuator.PUMP, state=actuator_reading(state), at=at)
    fixture = JUNCTION if wrapped.role == CONF_JUNCTION_VALVE else wrapped.fixture
    return ActuatorState(
        actuator=Actuator.VALVE, state=actuator_reading(state), at=at, fixture=fixture
    )


class Inputs:
    """An installation's subscriptions, and the engine events they make."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        feed: Callable[[Event], None],
        enqueue: Callable[[Event], None],
        fixtures: Chooser,
    ) -> None:
        """Nothing subscribed yet.

        ``feed``: the fast path for reports; ``enqueue``: the queue; ``fixtures``: which
        fixtures a remote's press targets.
        """
        self.hass = hass
        self._feed = feed
        self._enqueue = enqueue
        self._fixtures = fixtures
        self.wrapped = wrapped_entities(entry)
        """The entities the installation drives or reads."""
        self.automatic = input_entities(entry)
        """The entities the automatic cycles follow (schedule, presence, draw sensors)."""
        self.remotes = remote_bindings(entry)
        self._schedule: str | None = entry.options.get(CONF_SCHEDULE) or None
        self._presence = presence_entities(entry.options)
        self._by_entity: dict[str, list[Wrapped]] = {}
        for wrapped in self.wrapped:
            self._by_entity.setdefault(wrapped.entity_id, []).append(wrapped)
        self._draw_sensors: dict[str, list[str]] = {}
        for item in self.automatic:
            if item.role == CONF_DRAW_SENSOR and item.fixture is not None:
                self._draw_sensors.setdefault(item.entity_id, []).append(item.fixture)
        self._sent: dict[str, Any] = {}
        """The last presence, schedule state and UTC offset sent: only changes are sent."""
        self._remote_listeners: list[PressHandler] = []

    @callback
    def async_subscribe(self) -> list[CALLBACK_TYPE]:
        """Listen to every input; the unsubscribes."""
        hass, sensors = self.hass, (CONF_SENSOR, CONF_COLD_SENSOR)
        unsubs = [
            async_track_state_change_event(hass, list(self._by_entity), self._async_reported),
            # A sensor that reports the same value again is alive: without its reports a steady
            # pipe (a whole night at room temperature) would look stale and not be believed.
            async_track_state_report_event(
                hass, [w.entity_id for w in self.wrapped if w.role in sensors], self._async_reported
            ),
            async_track_remotes(hass, self.remotes, self._async_pressed),
        ]
        if self.automatic:  # beside the per-reading path: they change seldom
            entities = sorted({item.entity_id for item in self.automatic})
            unsubs.append(async_track_state_change_event(hass, entities, self._async_changed))
        unsubs.append(
            async_track_time_change(
                hass, self._async_check_local_time, minute=LOCAL_TIME_CHECK_MINUTES, second=5
            )
        )
        unsubs.append(hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._async_check_local_time))
        return unsubs

    def current(self) -> Iterator[Event]:
        """How every wrapped entity and input is now, for an engine that just started.

        Each is read when its turn comes (the engine handles the ones before it first).
        """
        for wrapped in self.wrapped:
            yield event_for(wrapped, self.hass.states.get(wrapped.entity_id))
        self._sent.clear()
        yield from self._input_events(initial=True)

    @callback
    def async_recheck(self, entity_id: str) -> None:
        """Queue a pump's or valve's state again, as of now (after a failed call to it)."""
        now = dt_util.utcnow().timestamp()
        for wrapped in self._by_entity.get(entity_id, ()):
            self._enqueue(event_for(wrapped, self.hass.states.get(entity_id), now))

    def add_remote_listener(self, listener: PressHandler) -> CALLBACK_TYPE:
        """Call ``listener`` for every press of a bound remote."""
        self._remote_listeners.append(listener)
        return lambda: self._remote_listeners.remove(listener)

    @callback
    def _async_reported(
        self, event: HassEvent[EventStateChangedData] | HassEvent[EventStateReportedData]
    ) -> None:
        for wrapped in self._by_entity.get(event.data["entity_id"], ()):
            self._feed(event_for(wrapped, event.data["new_state"]))

    @callback
    def _async_pressed(self, binding: RemoteBinding, action: str, meaning: str) -> None:
        """A bound remote was pressed: start or stop its fixtures (none if all are gone)."""
        if fixtures := self._fixtures(binding.fixtures or None):
            if meaning == RemoteAction.START:
                self._enqueue(Start(fixtures=fixtures, reason=TriggerReason.REMOTE))
            elif meaning == RemoteAction.STOP:
                self._enqueue(Stop(fixtures=fixtures, reason=StopReason.USER))
        for listener in list(self._remote_listeners):
            listener(binding, action, meaning)

    @callback
    def _async_changed(self, event: HassEvent[EventStateChangedData]) -> None:
        """A schedule, presence or draw sensor entity changed."""
        entity_id, new = event.data["entity_id"], event.data["new_state"]
        if (
            entity_id in self._draw_sensors
            and new is not None
            and drawing(new)
            and drawing(event.data["old_state"]) is False
        ):
            at = new.last_changed.timestamp()
            for fixture in self._draw_sensors[entity_id]:
                self._enqueue(DrawObserved(fixture=fixture, at=at))
        for engine_event in self._input_events():
            self._enqueue(engine_event)

    @callback
    def _async_check_local_time(self, _event: Any) -> None:
        """Tell the engine when the UTC offset changed (daylight saving, a new time zone)."""
        if (local_time := self._local_time()) is not None:
            self._enqueue(local_time)

    def _input_events(self, *, initial: bool = False) -> list[Event]:
        """LocalTime, Presence and ScheduleState for what changed since last sent."""
        events: list[Event] = []
        if (local_time := self._local_time()) is not None:
            events.append(local_time)
        if self._presence:
            home = presence_of(self.hass.states.get(entity_id) for entity_id in self._presence)
            if initial or self._sent.get("home") != home:
                self._sent["home"] = home
                events.append(Presence(home=home))
        if self._schedule is not None:
            active = on_off(self.hass.states.get(self._schedule))
            if active is None and initial:
                active = False  # not known yet: no keep-warm until the schedule says so
            if active is not None and (initial or self._sent.get("schedule") != active):
                self._sent["schedule"] = active
                events.append(ScheduleState(active=active))
        return events

    def _local_time(self) -> LocalTime | None:
        """The local time's UTC offset, if it differs from the one last sent (noted as sent)."""
        offset = utc_offset_s()
        if self._sent.get("offset") == offset:
            return None
        self._sent["offset"] = offset
        return LocalTime(utc_offset_s=offset)
