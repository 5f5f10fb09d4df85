"""Remote controls bound to an installation: presses in, cycle starts and stops out.

A remote is a config subentry naming one entity: an ``event`` entity (ZHA, Zigbee2MQTT and Matter
buttons), a ``sensor`` holding the last "action", a ``binary_sensor``, or an ``input_button`` /
``button`` (each press sets its state to a new timestamp). Each state change becomes an *action*
(the event type, the sensor's or binary sensor's new state, or ``press``); an action listed under
"stop" stops the remote's fixtures, one listed under "start" (or any other, when "start" is empty)
starts them. Changes from or to unavailable/unknown, and a sensor clearing its action, are not
presses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event as HassEvent,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
    split_entity_id,
)
from homeassistant.helpers.event import async_track_state_change_event

from .const import (
    CONF_REMOTE_ENTITY,
    CONF_REMOTE_FIXTURES,
    CONF_START_ON,
    CONF_STOP_ON,
    SUBENTRY_REMOTE,
)

PRESS = "press"
"""The action of a button entity (its state is the time of the last press)."""
IGNORED = {STATE_UNAVAILABLE, STATE_UNKNOWN, "", "None", "none"}


class RemoteAction:
    """What a press did (the remote's event entity uses these as event types)."""

    START = "start"
    STOP = "stop"
    OTHER = "other"
    ALL = (START, STOP, OTHER)


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoteBinding:
    """One bound remote."""

    remote_id: str
    """Its subentry id."""
    name: str
    entity_id: str
    fixtures: tuple[str, ...]
    """Fixture subentry ids; empty: every fixture of the installation."""
    start_on: frozenset[str]
    stop_on: frozenset[str]

    def action(self, old: State | None, new: State | None) -> str | None:
        """The action a state change means, or None when it is no press."""
        if new is None or new.state in IGNORED:
            return None
        domain = split_entity_id(self.entity_id)[0]
        if domain == "event":
            if old is None or old.state in {new.state, STATE_UNAVAILABLE}:
                return None
            event_type = new.attributes.get("event_type")
            return str(event_type) if event_type else None
        if domain in ("input_button", "button"):
            # "unknown" before the first press ever; "unavailable" while gone (no press).
            if old is None or old.state in {new.state, STATE_UNAVAILABLE}:
                return None
            return PRESS
        # sensor ("action" entities) and binary_sensor: the new state is the action.
        if old is not None and old.state == STATE_UNAVAILABLE:
            return None
        if old is not None and old.state == new.state and domain == "binary_sensor":
            return None
        return new.state

    def decide(self, action: str) -> str:
        """What an action means: start, stop or other."""
        if action in self.stop_on:
            return RemoteAction.STOP
        if not self.start_on or action in self.start_on:
            return RemoteAction.START
        return RemoteAction.OTHER


def _strings(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(str(item).strip() for item in value if str(item).strip())


def remote_bindings(entry: ConfigEntry) -> list[RemoteBinding]:
    """The remotes bound to ``entry``, in creation order."""
    return [
        binding_from(subentry_id, subentry.title, subentry.data)
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_REMOTE
    ]


def binding_from(remote_id: str, name: str, data: Mapping[str, Any]) -> RemoteBinding:
    """A binding from subentry data."""
    entity_id = str(data[CONF_REMOTE_ENTITY])
    start_on = _strings(data.get(CONF_START_ON, []))
    if not start_on and split_entity_id(entity_id)[0] == "binary_sensor":
        start_on = frozenset({"on"})  # a binary sensor turning off is no press
    return RemoteBinding(
        remote_id=remote_id,
        name=name,
        entity_id=entity_id,
        fixtures=tuple(str(f) for f in data.get(CONF_REMOTE_FIXTURES, [])),
        start_on=start_on,
        stop_on=_strings(data.get(CONF_STOP_ON, [])),
    )


type PressHandler = Callable[[RemoteBinding, str, str], None]
"""Called with the binding, the raw action and what it means (start, stop, other)."""


@callback
def async_track_remotes(
    hass: HomeAssistant, bindings: list[RemoteBinding], handler: PressHandler
) -> CALLBACK_TYPE:
    """Call ``handler`` for every press of a bound remote; returns the unsubscribe."""
    by_entity: dict[str, list[RemoteBinding]] = {}
    for binding in bindings:
        by_entity.setdefault(binding.entity_id, []).append(binding)

    @callback
    def _changed(event: HassEvent[EventStateChangedData]) -> None:
        for binding in by_entity.get(event.data["entity_id"], []):
            action = binding.action(event.data["old_state"], event.data["new_state"])
            if action is not None:
                handler(binding, action, binding.decide(action))

    if not by_entity:
        return lambda: None
    return async_track_state_change_event(hass, list(by_entity), _changed)
