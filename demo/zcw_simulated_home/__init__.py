"""A simulated home for the Zero Cold Water demo: the simulator's hardware as HA entities.

Demo only (`scripts/develop` and the browser test link it into a config's custom_components; the
`simulator` package is installed into each lane's environment by `scripts/setup`).
It runs one of the simulator's reference homes in real time, or faster, and exposes its pump, a
valve per fixture, the pipe sensors and the people drawing water::

    zcw_simulated_home:
      home: B          # a shipped home (A, B, C) or a home file's path
      speed: 1         # simulated seconds per real second
      seed: 1
      people: true     # simulated people draw hot water now and then
      draws_per_day: [30, 40]   # optional: busier people than the home file's
"""

from __future__ import annotations

from datetime import timedelta
import logging
import time
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, discovery
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

try:
    import probatio as vol
except ImportError:  # Home Assistant before 2026.x has only voluptuous
    import voluptuous as vol

import simulator

from .live import LiveHome, with_draws_per_day

DOMAIN = "zcw_simulated_home"
PLATFORMS = (
    Platform.SWITCH,
    Platform.SENSOR,
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
)
TICK = timedelta(seconds=0.5)
_LOGGER = logging.getLogger(__name__)

CONFIG_SCHEMA = vol.Schema(
    {
        DOMAIN: vol.Schema(
            {
                vol.Optional("home", default="B"): cv.string,
                vol.Optional("speed", default=1.0): vol.All(
                    vol.Coerce(float), vol.Range(min=0.1, max=600.0)
                ),
                vol.Optional("seed", default=1): vol.Coerce(int),
                vol.Optional("people", default=True): cv.boolean,
                vol.Optional("draws_per_day"): vol.All(
                    [vol.All(vol.Coerce(int), vol.Range(min=0, max=1000))], vol.Length(min=2, max=2)
                ),
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Build the home, start its clock and load the entity platforms."""
    conf: dict[str, Any] = config[DOMAIN]
    home = await hass.async_add_executor_job(simulator.load_home, conf["home"])
    if "draws_per_day" in conf:
        home = with_draws_per_day(home, *sorted(conf["draws_per_day"]))
    now = dt_util.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week_offset = now.weekday() * 86400.0 + (now - midnight).total_seconds()
    live = LiveHome(home, seed=conf["seed"], people=conf["people"], week_offset_s=week_offset)
    hass.data[DOMAIN] = live
    speed: float = conf["speed"]
    started = time.monotonic()

    @callback
    def tick(_now: Any = None) -> None:
        target = (time.monotonic() - started) * speed
        began = time.perf_counter()
        live.advance_to(target)
        took = time.perf_counter() - began
        if took > 0.2:
            _LOGGER.warning("simulation step took %.2f s (speed %s is too high?)", took, speed)

    cancel = async_track_time_interval(hass, tick, TICK, name="zcw simulated home")

    @callback
    def stop(_event: Event) -> None:
        cancel()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, stop)
    for platform in PLATFORMS:
        hass.async_create_task(
            discovery.async_load_platform(hass, platform, DOMAIN, {}, config),
            eager_start=True,
        )
    _LOGGER.info(
        "simulated home %s: %d fixtures, speed x%s, people %s",
        home.name,
        len(home.fixtures),
        speed,
        "on" if conf["people"] else "off",
    )
    return True
