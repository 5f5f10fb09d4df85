"""Diagnostics: the configuration, the engine's state, learned data and the last cycles."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import ZeroColdWaterConfigEntry
from .coordinator import figures_dict

TO_REDACT = {"title"}
"""Installation and fixture names may carry a person's name ("Grandma's bathroom")."""


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
            for item in coordinator.wrapped
        ],
        "settings": asdict(coordinator.settings) if coordinator.settings else None,
        "snapshot": asdict(snapshot) if snapshot else None,
        "learned": coordinator.learned.to_dict(),
        "recent_cycles": [
            {
                "fixture": finished.fixture,
                "outcome": finished.outcome.value,
                **figures_dict(finished),
            }
            for finished in coordinator.recent_cycles
        ],
        "faults": [asdict(fault) for fault in coordinator.faults],
    }
