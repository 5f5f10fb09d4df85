# ruff: noqa: RUF001 - Chinese speech uses full-width punctuation
"""Assist intents: start hot water at a fixture or area, and ask whether it is ready.

HA's ``intent`` integration calls ``async_setup_intents`` for every integration with an intent
platform. The intents serve LLM-based assistants (the Assist API offers every registered intent
with a description and slot schema as a tool) and the example custom sentences in
``custom_sentences/`` for the default agent. The built-in ``HassTurnOn``/``HassTurnOff``/
``HassGetState`` work on the fixtures' "Hot water" switches without any of this; for languages
written without spaces (Chinese) the switch gets an alias without the space HA puts between the
device and the entity name, so "打开厨房热水" finds "厨房 热水".
"""

from __future__ import annotations

import re
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.util import dt as dt_util

from .compat import vol
from .const import DOMAIN
from .coordinator import ZeroColdWaterCoordinator
from .engine import FixtureState, Outcome, TriggerReason

INTENT_START = "ZeroColdWaterStart"
INTENT_READY = "ZeroColdWaterReady"

SLOT_SCHEMA = {
    vol.Optional("name"): cv.string,
    vol.Optional("area"): cv.string,
}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")

# Spoken answers; LLM assistants read the structured data, the default agent speaks these unless
# a custom sentence file brings its own response.
_SPEECH: dict[str, dict[str, str]] = {
    "en": {
        "started": "Heating the hot water for {fixtures}.",
        "running": "Hot water is already on its way to {fixtures}.",
        "deferred": "Hot water for {fixtures} starts in {seconds} seconds.",
        "already_hot": "Hot water is already there at {fixtures}.",
        "refused": "Hot water cannot start at {fixtures} now ({reason}).",
        "ready_yes": "Yes, hot water is ready at {fixtures}.",
        "ready_heating": "Not yet, hot water is on its way to {fixtures}.",
        "ready_no": "No, the water at {fixtures} is not hot.",
        "no_fixture": "I don't know a hot-water fixture called {name}.",
    },
    "zh": {
        "started": "正在为{fixtures}预热热水。",
        "running": "{fixtures}的热水已经在路上了。",
        "deferred": "{fixtures}的热水将在{seconds}秒后开始预热。",
        "already_hot": "{fixtures}已经有热水了。",
        "refused": "{fixtures}现在不能预热（{reason}）。",
        "ready_yes": "是的，{fixtures}的热水已经就绪。",
        "ready_heating": "还没有，{fixtures}的热水正在路上。",
        "ready_no": "没有，{fixtures}的水还不热。",
        "no_fixture": "找不到名为{name}的热水点位。",
    },
}


def _speech(language: str, key: str, **values: str) -> str:
    table = _SPEECH["zh"] if language.lower().startswith("zh") else _SPEECH["en"]
    return table[key].format(**values)


def _joined(language: str, names: list[str]) -> str:
    return "、".join(names) if language.lower().startswith("zh") else ", ".join(names)


def compact_name(name: str) -> str:
    """``name`` without the spaces next to CJK characters ("厨房 热水" -> "厨房热水")."""
    return re.sub(
        r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s+|\s+(?=[\u3040-\u30ff\u3400-\u9fff])", "", name
    )


def _norm(name: str) -> str:
    return _SPACES.sub("", name).casefold()


def suggest_alias(hass: HomeAssistant, entity_id: str, full_name: str) -> None:
    """Give a CJK-named entity an alias without spaces, once (the user may remove it later)."""
    if not _CJK.search(full_name) or (alias := compact_name(full_name)) == full_name:
        return
    registry = er.async_get(hass)
    entry = registry.async_get(entity_id)
    options: Any = entry.options.get(DOMAIN) if entry is not None else None
    if entry is None or (options and options.get("alias_suggested")):
        return
    current: Any = entry.aliases
    computed = getattr(er, "COMPUTED_NAME", None)
    # HA 2025.4: a set of strings, the entity's own name always counts; HA 2026.x: an ordered
    # list where COMPUTED_NAME stands for the entity's own name (and an empty list for only it).
    aliases: Any = {*current, alias} if computed is None else [*(current or [computed]), alias]
    registry.async_update_entity(entity_id, aliases=aliases)
    registry.async_update_entity_options(entity_id, DOMAIN, {"alias_suggested": True})


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the integration's intents."""
    intent.async_register(hass, StartHotWaterIntent())
    intent.async_register(hass, HotWaterReadyIntent())


type Targets = list[tuple[ZeroColdWaterCoordinator, str]]


def _coordinators(hass: HomeAssistant) -> list[ZeroColdWaterCoordinator]:
    return [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
        and entry.runtime_data.coordinator.controller is not None
    ]


def _area_names(hass: HomeAssistant, area_id: str | None) -> set[str]:
    if area_id is None or (area := ar.async_get(hass).async_get_area(area_id)) is None:
        return set()
    return {_norm(area.name), *(_norm(alias) for alias in area.aliases)}


def _fixture_names(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> set[str]:
    """Every name a fixture answers to: its title, its switch's name and aliases."""
    names = {_norm(coordinator.fixture_name(fixture))}
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, coordinator.config_entry.entry_id):
        if entity.config_subentry_id == fixture and entity.domain == "switch":
            if (state := hass.states.get(entity.entity_id)) is not None:
                names.add(_norm(state.name))
            names.update(_norm(alias) for alias in entity.aliases if isinstance(alias, str))
    return names


def _fixture_areas(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> set[str]:
    """The names of the areas a fixture is in (its device's, or its switch's)."""
    areas: set[str] = set()
    if (device_id := coordinator.fixture_device_id(fixture)) is not None and (
        device := dr.async_get(hass).async_get(device_id)
    ) is not None:
        areas |= _area_names(hass, device.area_id)
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, coordinator.config_entry.entry_id):
        if entity.config_subentry_id == fixture:
            areas |= _area_names(hass, entity.area_id)
    return areas


def find_fixtures(hass: HomeAssistant, name: str | None, area: str | None) -> Targets:
    """Fixtures matching a spoken name and/or area; every fixture when neither is given."""
    found: Targets = []
    for coordinator in _coordinators(hass):
        assert coordinator.controller is not None  # noqa: S101 - _coordinators checked
        installation = _norm(coordinator.config_entry.title)
        for fixture in coordinator.controller.settings.names:
            if name is not None:
                wanted = _norm(name)
                if wanted != installation and wanted not in _fixture_names(
                    hass, coordinator, fixture
                ) | _fixture_areas(hass, coordinator, fixture):
                    continue
            if area is not None and _norm(area) not in _fixture_areas(hass, coordinator, fixture):
                continue
            found.append((coordinator, fixture))
    return found


def _slots(
    handler: intent.IntentHandler, intent_obj: intent.Intent
) -> tuple[str | None, str | None]:
    slots = handler.async_validate_slots(intent_obj.slots)
    name = slots.get("name", {}).get("value")
    area = slots.get("area", {}).get("value")
    return (str(name) if name else None, str(area) if area else None)


def _targets(handler: intent.IntentHandler, intent_obj: intent.Intent) -> Targets:
    name, area = _slots(handler, intent_obj)
    targets = find_fixtures(intent_obj.hass, name, area)
    if not targets:
        raise intent.IntentHandleError(
            _speech(intent_obj.language, "no_fixture", name=name or area or "")
        )
    return targets


class StartHotWaterIntent(intent.IntentHandler):
    """Start a cycle at the fixtures named (by fixture, switch or area)."""

    intent_type = INTENT_START
    description = (
        "Starts hot-water recirculation (zero cold water) so that hot water comes out at once "
        "at a fixture (sink, basin, shower), given by its name or its area"
    )
    slot_schema = SLOT_SCHEMA

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Start the cycles and say what happened."""
        language = intent_obj.language
        response = intent_obj.create_response()
        started: list[str] = []
        running: list[str] = []
        deferred: dict[str, float] = {}
        hot: list[str] = []
        refused: list[tuple[str, str]] = []
        by_coordinator: dict[str, tuple[ZeroColdWaterCoordinator, list[str]]] = {}
        for coordinator, fixture in _targets(self, intent_obj):
            by_coordinator.setdefault(coordinator.config_entry.entry_id, (coordinator, []))[
                1
            ].append(fixture)
        for coordinator, fixtures in by_coordinator.values():
            result = await coordinator.async_start_cycles(tuple(fixtures), TriggerReason.VOICE)
            started += [coordinator.fixture_name(f) for f in result.started]
            running += [coordinator.fixture_name(f) for f in result.running]
            deferred |= {coordinator.fixture_name(f): at for f, at in result.deferred.items()}
            hot += [
                coordinator.fixture_name(f.fixture)
                for f in result.finished
                if f.outcome is Outcome.ALREADY_HOT
            ]
            refused += [
                (coordinator.fixture_name(f), r.reason.value)
                for r in result.refused
                for f in r.fixtures
            ]
        parts = []
        if started:
            parts.append(_speech(language, "started", fixtures=_joined(language, started)))
        if running:
            parts.append(_speech(language, "running", fixtures=_joined(language, running)))
        if deferred:
            wait = max(deferred.values()) - dt_util.utcnow().timestamp()
            parts.append(
                _speech(
                    language,
                    "deferred",
                    fixtures=_joined(language, list(deferred)),
                    seconds=str(max(round(wait), 1)),
                )
            )
        if hot:
            parts.append(_speech(language, "already_hot", fixtures=_joined(language, hot)))
        if refused and not parts:
            raise intent.IntentHandleError(
                _speech(
                    language,
                    "refused",
                    fixtures=_joined(language, [name for name, _ in refused]),
                    reason=refused[0][1],
                )
            )
        response.async_set_speech(" ".join(parts))
        response.async_set_speech_slots(
            {
                "started": started,
                "running": running,
                "deferred": list(deferred),
                "already_hot": hot,
                "refused": [n for n, _ in refused],
            }
        )
        return response


class HotWaterReadyIntent(intent.IntentHandler):
    """Answer whether hot water is ready at the fixtures named (all when none)."""

    intent_type = INTENT_READY
    description = (
        "Tells whether hot water is ready (the pipe to the fixture is hot) at a fixture or in an "
        "area, or whether it is still heating"
    )
    slot_schema = SLOT_SCHEMA

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Look at the engine's snapshot of each fixture."""
        language = intent_obj.language
        ready: list[str] = []
        heating: list[str] = []
        cold: list[str] = []
        for coordinator, fixture in _targets(self, intent_obj):
            snapshot = coordinator.data
            view = snapshot.fixtures.get(fixture) if snapshot is not None else None
            label = coordinator.fixture_name(fixture)
            if view is not None and view.state is FixtureState.READY:
                ready.append(label)
            elif view is not None and view.state.underway:
                heating.append(label)
            else:
                cold.append(label)
        response = intent_obj.create_response()
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
        if ready and not heating and not cold:
            speech = _speech(language, "ready_yes", fixtures=_joined(language, ready))
        elif heating:
            speech = _speech(language, "ready_heating", fixtures=_joined(language, heating))
        else:
            speech = _speech(language, "ready_no", fixtures=_joined(language, cold))
        response.async_set_speech(speech)
        response.async_set_speech_slots({"ready": ready, "heating": heating, "not_hot": cold})
        return response
