"""Which fixtures a request targets, across the loaded installations.

A service call names entities, devices or areas; a voice request names fixtures or areas
(places.py); a remote names its fixtures. Each comes down to installations whose engine runs,
and per installation the fixtures its engine knows, in its order
(``ZeroColdWaterCoordinator.fixtures``).
"""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .compat import async_extract_entity_ids
from .const import DOMAIN
from .coordinator import ZeroColdWaterCoordinator

type PerInstallation = tuple[ZeroColdWaterCoordinator, tuple[str, ...]]
"""An installation and the fixtures of it a request targets."""


def loaded_coordinators(hass: HomeAssistant) -> list[ZeroColdWaterCoordinator]:
    """The installations whose engine runs."""
    return [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
        and entry.runtime_data.coordinator.controller is not None
    ]


def by_installation(
    chosen: Iterable[tuple[ZeroColdWaterCoordinator, str]],
) -> list[PerInstallation]:
    """Fixtures chosen one by one, grouped per installation in the engine's order."""
    grouped: dict[str, tuple[ZeroColdWaterCoordinator, set[str]]] = {}
    for coordinator, fixture in chosen:
        grouped.setdefault(coordinator.config_entry.entry_id, (coordinator, set()))[1].add(fixture)
    targets = [
        (coordinator, coordinator.fixtures(wanted)) for coordinator, wanted in grouped.values()
    ]
    return [(coordinator, fixtures) for coordinator, fixtures in targets if fixtures]


async def async_call_targets(hass: HomeAssistant, call: ServiceCall) -> list[PerInstallation]:
    """The fixtures a service call targets; raises when there are none.

    An installation's entity means all its fixtures, a fixture's entity that fixture.
    """
    registry = er.async_get(hass)
    loaded = {c.config_entry.entry_id: c for c in loaded_coordinators(hass)}
    chosen: list[tuple[ZeroColdWaterCoordinator, str]] = []
    for entity_id in await async_extract_entity_ids(hass, call):
        entity = registry.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN or entity.config_entry_id not in loaded:
            continue
        coordinator = loaded[entity.config_entry_id]
        if entity.config_subentry_id is None:
            chosen.extend((coordinator, fixture) for fixture in coordinator.fixtures())
        else:  # a fixture's entity; a remote's is not a fixture (fixtures() leaves it out)
            chosen.append((coordinator, entity.config_subentry_id))
    if not (targets := by_installation(chosen)):
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_fixtures")
    return targets
