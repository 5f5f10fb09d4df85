"""The engine's pump and valve commands as service calls to the wrapped entities."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from datetime import datetime
from functools import partial
import logging

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback, split_entity_id
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .const import CONF_JUNCTION_VALVE, CONF_PUMP, CONF_VALVE
from .engine import JUNCTION, Actuator, ActuatorReading, ActuatorState, SetPump, SetValve
from .settings import Wrapped

LOGGER = logging.getLogger(__package__)

SERVICE_TIMEOUT_S = 15.0
"""A service call to the pump or a valve that takes longer than this has failed."""
RECHECK_AFTER_S = 30.0
"""After a failed call, the device's own state is believed again this much later."""
SWITCH_ON_LIMIT = 3
SWITCH_ON_WINDOW_S = 30.0
"""At most this many on/open calls to one device in this window: a device that something else
keeps switching off is not fought (the engine's confirm timeout then ends the cycle)."""


class Actuators:
    """The wrapped pump and valves: commands become service calls, failures reports."""

    def __init__(
        self,
        hass: HomeAssistant,
        title: str,
        wrapped: list[Wrapped],
        recheck: Callable[[str], None],
    ) -> None:
        """Nothing called yet.

        ``recheck(entity_id)`` feeds a device's state again ``RECHECK_AFTER_S`` after a failed
        call: a state that does not change would otherwise leave it unavailable for good.
        """
        self.hass = hass
        self._title = title
        self._recheck = recheck
        self.pump = next((w.entity_id for w in wrapped if w.role == CONF_PUMP), None)
        self._valves = {
            w.fixture: w.entity_id for w in wrapped if w.role == CONF_VALVE and w.fixture
        }
        if junction := next((w.entity_id for w in wrapped if w.role == CONF_JUNCTION_VALVE), None):
            self._valves[JUNCTION] = junction
        self._warned: set[str] = set()
        self._rechecks: dict[str, CALLBACK_TYPE] = {}
        self._switched_on: dict[str, deque[float]] = {}
        self._closed = False

    def valve(self, fixture: str) -> str | None:
        """The wrapped valve of a fixture (or of the junction)."""
        return self._valves.get(fixture)

    async def async_command(self, command: SetPump | SetValve) -> ActuatorState | None:
        """Carry out ``command``; a failed call is returned as the device's unavailable report."""
        if isinstance(command, SetPump):
            entity_id, on, fixture = self.pump, command.on, None
        else:
            entity_id, on, fixture = (
                self._valves.get(command.fixture),
                command.open,
                command.fixture,
            )
        if entity_id is None or not await self._async_call(entity_id, on):
            return None
        return ActuatorState(
            actuator=Actuator.PUMP if fixture is None else Actuator.VALVE,
            state=ActuatorReading.UNAVAILABLE,
            at=dt_util.utcnow().timestamp(),
            fixture=fixture,
        )

    def close(self) -> None:
        """No more rechecks (unload)."""
        self._closed = True
        for cancel in self._rechecks.values():
            cancel()
        self._rechecks.clear()

    async def _async_call(self, entity_id: str, on: bool) -> bool:
        """Switch a device; True when the call failed."""
        if not on:
            # Our own off: the next on is a new command, not a resend against someone else.
            self._switched_on.pop(entity_id, None)
        elif self._fought(entity_id):
            return False
        domain = split_entity_id(entity_id)[0]
        if domain == "valve":
            service = "open_valve" if on else "close_valve"
        else:
            service = "turn_on" if on else "turn_off"
        try:
            async with asyncio.timeout(SERVICE_TIMEOUT_S):
                await self.hass.services.async_call(
                    domain, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
                )
        except (HomeAssistantError, TimeoutError) as err:
            if entity_id not in self._warned:
                self._warned.add(entity_id)
                LOGGER.warning(
                    "%s.%s for %s failed: %s", domain, service, entity_id, str(err) or "timeout"
                )
            if entity_id not in self._rechecks and not self._closed:
                self._rechecks[entity_id] = async_call_later(
                    self.hass, RECHECK_AFTER_S, partial(self._async_recheck, entity_id)
                )
            return True
        if entity_id in self._warned:
            self._warned.discard(entity_id)
            LOGGER.info("%s.%s for %s works again", domain, service, entity_id)
        return False

    @callback
    def _async_recheck(self, entity_id: str, _now: datetime) -> None:
        self._rechecks.pop(entity_id, None)
        self._recheck(entity_id)

    def _fought(self, entity_id: str) -> bool:
        """Whether switching ``entity_id`` on again would fight whoever keeps switching it off.

        Only on/open calls are counted, and only since our own last off/close: a person pressing
        start and stop in turn is not fighting.
        """
        now = dt_util.utcnow().timestamp()
        recent = self._switched_on.setdefault(entity_id, deque(maxlen=SWITCH_ON_LIMIT))
        if len(recent) == SWITCH_ON_LIMIT and now - recent[0] < SWITCH_ON_WINDOW_S:
            if f"fought {entity_id}" not in self._warned:
                self._warned.add(f"fought {entity_id}")
                LOGGER.warning(
                    "%s keeps being switched off against %s: not switching it on again",
                    entity_id,
                    self._title,
                )
            return True
        self._warned.discard(f"fought {entity_id}")
        recent.append(now)
        return False
