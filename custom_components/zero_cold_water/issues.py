"""Repair issues: wrapped entities that are gone, and the engine's faults until they clear."""

from __future__ import annotations

from collections import deque
import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .const import (
    CONF_COLD_SENSOR,
    CONF_JUNCTION_VALVE,
    CONF_PRESENCE,
    CONF_PUMP,
    CONF_SENSOR,
    CONF_VALVE,
    DOMAIN,
)
from .engine import JUNCTION, Fault, FaultKind, InstallationState, Line, Outcome, Snapshot
from .settings import (
    Wrapped,
    replace_wrapped,
    subentry_title,
    tracked_entities,
    wrapped_entities,
)

HOT_OUTCOMES = frozenset({Outcome.READY, Outcome.ALREADY_HOT})
"""Outcomes that show the heater delivers (they clear a no-heat issue)."""

LOGGER = logging.getLogger(__package__)

RECENT_FAULTS = 20


def _issue_ids(hass: HomeAssistant, entry_id: str) -> list[str]:
    return [
        issue_id
        for (domain, issue_id) in ir.async_get(hass).issues
        if domain == DOMAIN and entry_id in issue_id
    ]


def delete_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every issue of an installation (it is removed)."""
    for issue_id in _issue_ids(hass, entry_id):
        ir.async_delete_issue(hass, DOMAIN, issue_id)


def missing_issue_id(entry_id: str, item: Wrapped) -> str:
    """The repair issue id for a wrapped entity that is gone."""
    if item.role == CONF_PRESENCE:  # several per installation
        return f"missing_{entry_id}_{item.role}_{item.entity_id}"
    return f"missing_{entry_id}_{item.role}_{item.fixture or 'installation'}"


def check_wrapped(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Raise an issue for each tracked entity that no longer exists anywhere, drop the others."""
    registry = er.async_get(hass)
    wanted = set()
    for item in tracked_entities(entry):
        if hass.states.get(item.entity_id) is None and registry.async_get(item.entity_id) is None:
            wanted.add(missing_issue_id(entry.entry_id, item))
            _create_missing_issue(hass, entry, item)
    for issue_id in _issue_ids(hass, entry.entry_id):
        if issue_id.startswith("missing_") and issue_id not in wanted:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


def _create_missing_issue(hass: HomeAssistant, entry: ConfigEntry, item: Wrapped) -> None:
    fixture = entry.subentries.get(item.fixture) if item.fixture else None
    ir.async_create_issue(
        hass,
        DOMAIN,
        missing_issue_id(entry.entry_id, item),
        is_fixable=True,
        is_persistent=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="missing_entity",
        translation_placeholders={
            "entity_id": item.entity_id,
            "installation": entry.title,
            "fixture": fixture.title if fixture else entry.title,
            "role": item.role,
        },
        data={
            "entry_id": entry.entry_id,
            "role": item.role,
            "fixture": item.fixture or "",
            "entity_id": item.entity_id,
        },
    )


@callback
def async_follow_registry(hass: HomeAssistant, entry: ConfigEntry) -> CALLBACK_TYPE:
    """Follow renames of tracked entities; raise an issue when one is removed."""

    @callback
    def _updated(event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        data = event.data
        if data["action"] == "update" and (old := data.get("old_entity_id")) is not None:
            for item in tracked_entities(entry):
                if item.entity_id == old:
                    replace_wrapped(hass, entry, item, data["entity_id"])
        elif data["action"] == "remove":
            for item in tracked_entities(entry):
                if item.entity_id == data["entity_id"]:
                    _create_missing_issue(hass, entry, item)

    return hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, _updated)


class FaultIssues:
    """The engine's faults as repair issues, until its snapshot no longer shows them.

    One issue per faulty sensor, one for every other fault.
    """

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Nothing raised yet."""
        self.hass = hass
        self.entry = entry
        self._wrapped = wrapped_entities(entry)
        self.recent: deque[Fault] = deque(maxlen=RECENT_FAULTS)
        """Recent faults, for diagnostics."""
        self._fault_raised = False
        self._sensors: dict[str, tuple[str, Line]] = {}
        """Sensor issues raised: issue id -> (fixture, line)."""
        self._no_heat: dict[str, str] = {}
        """Heater-did-not-fire issues raised: issue id -> fixture."""

    def raise_issue(self, fault: Fault) -> None:
        """Raise (or raise again) the issue of ``fault``."""
        LOGGER.warning("%s: fault %s (%s)", self.entry.title, fault.kind, fault.detail)
        self.recent.append(fault)
        entry_id = self.entry.entry_id
        if fault.kind in (FaultKind.SENSOR_IMPLAUSIBLE, FaultKind.SENSOR_LOST):
            fixture, _, line = fault.detail.partition(":")
            issue_id = f"sensor_{entry_id}_{fixture}_{line}"
            self._sensors[issue_id] = (fixture, Line(line) if line in Line else Line.HOT)
            role = CONF_COLD_SENSOR if line == Line.COLD else CONF_SENSOR
            device = self._entity(role, fixture) or subentry_title(self.entry, fixture)
        elif fault.kind is FaultKind.NO_HEAT:
            issue_id = f"no_heat_{entry_id}_{fault.detail}"
            self._no_heat[issue_id] = fault.detail
            device = subentry_title(self.entry, fault.detail)
        else:
            issue_id = f"fault_{entry_id}"
            self._fault_raised = True
            device = self.device_label(fault.detail)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=f"fault_{fault.kind.value}",
            translation_placeholders={"installation": self.entry.title, "device": device},
        )

    def clear(self, snapshot: Snapshot) -> None:
        """Delete the issues the engine's ``snapshot`` no longer shows.

        A sensor believed again, a fixture gone, the installation out of fault, hot water at a
        fixture whose heater did not fire.
        """
        for issue_id, fixture in list(self._no_heat.items()):
            view = snapshot.fixtures.get(fixture)
            last = view.last_cycle if view is not None else None
            if view is None or (last is not None and last.outcome in HOT_OUTCOMES):
                del self._no_heat[issue_id]
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        if self._fault_raised and snapshot.state is not InstallationState.FAULT:
            self._fault_raised = False
            ir.async_delete_issue(self.hass, DOMAIN, f"fault_{self.entry.entry_id}")
        for issue_id, (fixture, line) in list(self._sensors.items()):
            view = snapshot.fixtures.get(fixture)
            value = None
            if view is not None:
                value = view.temperature_c if line is Line.HOT else view.cold_temperature_c
            if view is None or value is not None:
                del self._sensors[issue_id]
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def device_label(self, detail: str) -> str:
        """The wrapped entity a fault's detail names, else the fixture's name.

        Details: "pump", a fixture (its valve) or the junction.
        """
        if detail == "pump":
            entity = self._entity(CONF_PUMP, None)
        elif detail == JUNCTION:
            entity = self._entity(CONF_JUNCTION_VALVE, None)
        else:
            entity = self._entity(CONF_VALVE, detail)
        return entity or subentry_title(self.entry, detail)

    def _entity(self, role: str, fixture: str | None) -> str | None:
        return next(
            (w.entity_id for w in self._wrapped if w.role == role and w.fixture == fixture), None
        )
