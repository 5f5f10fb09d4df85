"""Diagnostics: configuration, inputs, engine state, learned data, pre-heat stats, last cycles."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_PRESENCE
from .coordinator import ZeroColdWaterConfigEntry
from .settings import Wrapped

TO_REDACT = {"title", CONF_PRESENCE}
"""Installation and fixture names may carry a person's name ("Grandma's bathroom"), and so do
presence entities (person.grandma)."""


def _cycle(payload: dict[str, Any]) -> dict[str, Any]:
    """A cycle's payload, without its name (a person's, maybe) and registry ids.

    The fixture id says where.
    """
    kept = {k: v for k, v in payload.items() if k not in ("entry_id", "device_id")}
    return async_redact_data(kept, {"fixture"})


def _input_entity(item: Wrapped) -> str:
    if item.role == CONF_PRESENCE:
        return f"{item.entity_id.partition('.')[0]}.**REDACTED**"
    return item.entity_id


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ZeroColdWaterConfigEntry
) -> dict[str, Any]:
    """What a maintainer needs to understand an installation's behaviour."""
    coordinator = entry.runtime_data.coordinator
    snapshot = coordinator.data
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "version": f"{entry.version}.{entry.minor_version}",
                "data": dict(entry.data),
                "options": dict(entry.options),
                "fixtures": {
                    subentry_id: {"title": subentry.title, "data": dict(subentry.data)}
                    for subentry_id, subentry in entry.subentries.items()
                },
            },
            TO_REDACT,
        ),
        "wrapped": [
            {
                **asdict(item),
                "state": (state.state if (state := hass.states.get(item.entity_id)) else None),
            }
            for item in coordinator.inputs.wrapped
        ],
        "inputs": [
            {
                **asdict(item),
                "entity_id": _input_entity(item),
                "state": (state.state if (state := hass.states.get(item.entity_id)) else None),
            }
            for item in coordinator.inputs.automatic
        ],
        "resume_mode": coordinator.resume_mode.value if coordinator.resume_mode else None,
        "prediction": asdict(snapshot.prediction) if snapshot else None,
        "settings": asdict(coordinator.settings) if coordinator.settings else None,
        "snapshot": asdict(snapshot) if snapshot else None,
        "learned": coordinator.learned.to_dict(),
        "recent_cycles": [
            _cycle(coordinator.reports.payload(finished)) for finished in coordinator.recent_cycles
        ],
        "faults": [asdict(fault) for fault in coordinator.issues.recent],
    }
