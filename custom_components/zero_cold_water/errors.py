"""The engine's refusals as translated errors that say which rule and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .actuators import Actuators
from .const import DOMAIN
from .engine import JUNCTION, ActuatorReading, Controller, RefusalReason, Refused
from .engine.topology import cycle_valve


class Installation(Protocol):
    """What a refusal's message needs of an installation (its coordinator)."""

    @property
    def config_entry(self) -> ConfigEntry:
        """The installation's entry."""

    @property
    def controller(self) -> Controller | None:
        """Its engine, while it runs."""

    @property
    def actuators(self) -> Actuators:
        """Its pump and valves."""

    def fixture_name(self, fixture: str) -> str:
        """A fixture's name."""


def _duration(seconds: float) -> str:
    """``3 h``, ``90 min``: how the daily pump limit reads in a message."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 60:g} min"


def _unavailable(coordinator: Installation, refused: Refused) -> str:
    """The pump or valves (entity ids) that made a start impossible."""
    controller = coordinator.controller
    snapshot = controller.snapshot() if controller is not None else None
    if snapshot is None:
        return ""
    pump = coordinator.actuators.pump
    if snapshot.pump_reported is ActuatorReading.UNAVAILABLE and pump:
        return pump
    assert controller is not None  # noqa: S101 - a snapshot came from it
    found: list[str] = []
    for fixture in refused.fixtures:
        valve = cycle_valve(controller.settings, fixture)
        entity = coordinator.actuators.valve(valve) if valve is not None else None
        if valve == JUNCTION or entity is not None:
            found.append(entity or valve or "")
    return ", ".join(dict.fromkeys(found))


def refusal_error(
    coordinator: Installation, refused: Refused, *, target_c: float | None = None
) -> ServiceValidationError:
    """The translated error for a refused start: the rule that forbids it, and what to do."""
    placeholders = {
        "fixtures": ", ".join(coordinator.fixture_name(name) for name in refused.fixtures),
        "installation": coordinator.config_entry.title,
    }
    match refused.reason:
        case RefusalReason.DAILY_CAP_REACHED:
            controller = coordinator.controller
            cap = controller.settings.daily_pump_cap_s if controller is not None else 0.0
            placeholders["cap"] = _duration(cap)
            retry = refused.retry_at
            placeholders["retry_at"] = (
                dt_util.as_local(dt_util.utc_from_timestamp(retry)).strftime("%H:%M")
                if retry is not None
                else "-"
            )
        case RefusalReason.ACTUATOR_UNAVAILABLE:
            placeholders["devices"] = _unavailable(coordinator, refused)
        case RefusalReason.TARGET_ABOVE_LIMIT:
            placeholders["target"] = f"{target_c:g}" if target_c is not None else "-"
            placeholders["limit"] = f"{refused.limit_c:g}" if refused.limit_c is not None else "-"
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"refused_{refused.reason.value}",
        translation_placeholders=placeholders,
    )


def refusals_error(
    refused: Sequence[tuple[Installation, Refused]], *, target_c: float | None = None
) -> ServiceValidationError:
    """The error for a request that nothing came of: its one reason, or that reasons differ."""
    if len({refusal.reason for _, refusal in refused}) == 1:
        coordinator, refusal = refused[0]
        names = tuple(name for _, r in refused for name in r.fixtures)
        return refusal_error(coordinator, replace(refusal, fixtures=names), target_c=target_c)
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="refused_several",
        translation_placeholders={
            "fixtures": ", ".join(
                coordinator.fixture_name(name)
                for coordinator, refusal in refused
                for name in refusal.fixtures
            )
        },
    )
