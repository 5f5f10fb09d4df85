"""Services: start, stop, reset_learning, targeting fixtures by entity, device or area."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any, cast

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .compat import vol
from .const import (
    ATTR_FORGET,
    ATTR_MAX_RUN_TIME,
    ATTR_TARGET_TEMPERATURE,
    DOMAIN,
    MAX_RUN_RANGE,
    RESET_ALL,
    RESET_PIPE_VOLUMES,
    RESET_SCOPES,
    RESET_USAGE_PROFILE,
    SERVICE_RESET_LEARNING,
    SERVICE_START,
    SERVICE_STOP,
    TARGET_RANGE,
)
from .coordinator import ZeroColdWaterCoordinator
from .engine import CycleFinished, Refused, TriggerReason
from .errors import refusals_error
from .targets import async_call_targets

RESPONSE_MARGIN_S = 120.0
"""How much longer than the maximum run time a start with a response waits."""

START_SCHEMA = cv.make_entity_service_schema(
    {
        vol.Optional(ATTR_TARGET_TEMPERATURE): vol.Coerce(float),
        vol.Optional(ATTR_MAX_RUN_TIME): vol.Coerce(float),
    }
)
TARGET_SCHEMA = cv.make_entity_service_schema({})
RESET_SCHEMA = cv.make_entity_service_schema(
    {vol.Optional(ATTR_FORGET, default=RESET_PIPE_VOLUMES): vol.In(RESET_SCOPES)}
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's services."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_START,
        partial(_async_start, hass),
        schema=START_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_STOP, partial(_async_stop, hass), schema=TARGET_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESET_LEARNING,
        partial(_async_reset, hass),
        schema=RESET_SCHEMA,
    )


def _check_range(value: float | None, bounds: tuple[float, float], field: str) -> None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="out_of_range",
            translation_placeholders={
                "field": field,
                "value": f"{value:g}",
                "min": f"{bounds[0]:g}",
                "max": f"{bounds[1]:g}",
            },
        )


async def _async_start(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """Start cycles; already heating, already hot or deferred by the cooldown is success."""
    target_c: float | None = call.data.get(ATTR_TARGET_TEMPERATURE)
    max_run_s: float | None = call.data.get(ATTR_MAX_RUN_TIME)
    _check_range(target_c, TARGET_RANGE, ATTR_TARGET_TEMPERATURE)
    _check_range(max_run_s, MAX_RUN_RANGE, ATTR_MAX_RUN_TIME)
    targets = await async_call_targets(hass, call)
    cycles: list[dict[str, Any]] = []
    refused: list[tuple[ZeroColdWaterCoordinator, Refused]] = []
    answers: dict[str, list[Any]] = {"already_running": [], "deferred": []}
    waits: list[tuple[ZeroColdWaterCoordinator, asyncio.Future[CycleFinished]]] = []
    longest = 0.0
    underway = False
    for coordinator, fixtures in targets:
        assert coordinator.controller is not None  # noqa: S101 - a target's engine runs
        result = await coordinator.async_start_cycles(
            fixtures, TriggerReason.AUTOMATION, target_c=target_c, max_run_s=max_run_s
        )
        underway = underway or bool(result.underway)
        if call.return_response:
            waits.extend((coordinator, coordinator.wait_for(name)) for name in result.underway)
        cycles.extend(coordinator.reports.payload(finished) for finished in result.finished)
        refused.extend((coordinator, refusal) for refusal in result.refused)
        answers["already_running"] += [coordinator.fixture_name(n) for n in result.running]
        answers["deferred"] += [
            {
                "fixture": coordinator.fixture_name(name),
                "starts_at": dt_util.utc_from_timestamp(at).isoformat(),
            }
            for name, at in result.deferred.items()
        ]
        longest = max(longest, max_run_s or coordinator.controller.settings.max_run_s)
    if not underway and not cycles:
        raise refusals_error(refused, target_c=target_c)
    if not call.return_response:
        return None
    cycles.extend(await _async_finished(waits, longest + RESPONSE_MARGIN_S))
    return cast(
        "ServiceResponse",
        {
            "cycles": cycles,
            **answers,
            "refused": [
                {"fixture": coordinator.fixture_name(name), "reason": refusal.reason.value}
                for coordinator, refusal in refused
                for name in refusal.fixtures
            ],
        },
    )


async def _async_finished(
    waits: list[tuple[ZeroColdWaterCoordinator, asyncio.Future[CycleFinished]]], within_s: float
) -> list[dict[str, Any]]:
    """The cycles waited for, once each has finished (a refusal when due raises)."""
    if not waits:
        return []
    try:
        async with asyncio.timeout(within_s):
            done = await asyncio.gather(*(future for _, future in waits))
    except (TimeoutError, asyncio.CancelledError) as err:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="no_response") from err
    return [
        coordinator.reports.payload(finished)
        for (coordinator, _), finished in zip(waits, done, strict=True)
    ]


async def _async_stop(hass: HomeAssistant, call: ServiceCall) -> None:
    for coordinator, fixtures in await async_call_targets(hass, call):
        await coordinator.async_stop_cycles(fixtures)


async def _async_reset(hass: HomeAssistant, call: ServiceCall) -> None:
    """Forget pipe volumes (whole installations), usage profiles (the targeted fixtures'), or all."""
    forget = call.data.get(ATTR_FORGET, RESET_PIPE_VOLUMES)
    for coordinator, fixtures in await async_call_targets(hass, call):
        if forget in (RESET_PIPE_VOLUMES, RESET_ALL):
            await coordinator.async_reset_learning()
        if forget in (RESET_USAGE_PROFILE, RESET_ALL):
            every = fixtures == coordinator.fixtures()
            await coordinator.async_reset_usage(() if every else fixtures)
