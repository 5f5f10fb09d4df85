"""Voice: hot water at a fixture or in an area, asked of Assist or of an LLM-based assistant.

Two ways in, one set of answers (answers.py):

- What people say to Assist's default agent ("打开卫生间的热水", "搞点热水", "turn on the hot water
  in the kitchen", "is the hot water ready in the bathroom", "stop the hot water") is registered by
  voice.py as *sentence triggers*, built from the phrasebooks in sentences.py and the names of the
  fixtures and of their areas. Nothing to copy or configure.
- The intents here (``ZeroColdWaterStart``, ``ZeroColdWaterReady``, slots ``name`` and ``area``)
  serve LLM-based assistants (the Assist API offers every intent as a tool) and any custom
  sentences a user writes.

Why sentence triggers. HA's built-in ``HassTurnOn`` reads "打开卫生间的热水" as area 卫生间 and name
热水, and fails: no entity is *named* 热水 there (HA 2025.4 does the same with "turn on hot water in
the kitchen"). What HA 2025.4 and 2026.10 both offer, weighed:

- Aliases 热水 / "hot water" on every Hot water switch would let ``HassTurnOn`` find the switch in
  the area, but only for the built-in verbs (打开/关闭, turn on/off, is it on): 预热, 搞点热水 and
  好了吗 stay unknown; with several fixtures "打开热水" is ambiguous; a refusal (mode off, daily
  cap) comes back from ``HassTurnOn`` as HA's generic "unexpected error" (2026.10) or as "Turned
  on" plus an unhandled task exception (2025.4), since it drops the switch's translated error; and
  the aliases are the user's data, shown in every entity's settings.
- Custom sentence files (the examples this integration used to ship for copying) are read only
  from ``<config>/custom_sentences/<variant>/`` (zh-cn on 2025.x, zh-CN on 2026.x): HA has no API
  for an integration to add intent sentences, and the config folder is the user's.
- ``conversation: intents:`` is the user's configuration.yaml; on 2026.10 setting it
  (``AgentManager.update_config_intents``) would replace the user's own.
- Sentence triggers (what an automation's sentence trigger uses) are registered at run time in
  both versions (compat.register_sentence_trigger), answered by a callback that knows the
  speaker's language, and matched *before* HA's intents. That last point is why they hold literal
  names only, never a wildcard: a sentence about anything but a fixture reaches HA's intents as
  before, and a place whose "hot water" is another entity (a light called Hot water in the
  kitchen, a heater called 热水器) is left out, so that entity still answers (voice.py).

Chinese names get a spoken alias without the space HA puts between device and entity name
(``suggest_alias``), so HA's own intents also find "厨房热水" for "厨房 热水".
"""

from __future__ import annotations

import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, entity_registry as er, intent

from .answers import Answer, async_start, ready, speech
from .compat import vol
from .const import DOMAIN
from .places import (
    Target,
    fixture_area_names,
    fixture_own_names,
    spoken_key,
    switch_names,
    voice_targets,
)

INTENT_START = "ZeroColdWaterStart"
INTENT_READY = "ZeroColdWaterReady"

SLOT_SCHEMA = {
    vol.Optional("name"): cv.string,
    vol.Optional("area"): cv.string,
}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def compact_name(name: str) -> str:
    """``name`` without the spaces next to CJK characters ("厨房 热水" -> "厨房热水")."""
    return re.sub(
        r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s+|\s+(?=[\u3040-\u30ff\u3400-\u9fff])", "", name
    )


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


def find_fixtures(
    hass: HomeAssistant, name: str | None, area: str | None, assistant: str | None = None
) -> list[Target]:
    """Fixtures matching a spoken name and/or area; every fixture when neither is given.

    A name may also be an area's or the installation's. Only fixtures exposed to ``assistant``.
    """
    found: list[Target] = []
    for coordinator, fixture in voice_targets(hass, assistant):
        areas = {spoken_key(spoken) for spoken in fixture_area_names(hass, coordinator, fixture)}
        if name is not None:
            names = {
                spoken_key(spoken)
                for spoken in (
                    coordinator.config_entry.title,
                    *fixture_own_names(hass, coordinator, fixture),
                    *switch_names(hass, coordinator, fixture),
                )
            }
            if spoken_key(name) not in names | areas:
                continue
        if area is not None and spoken_key(area) not in areas:
            continue
        found.append((coordinator, fixture))
    return found


def _targets(handler: intent.IntentHandler, intent_obj: intent.Intent) -> list[Target]:
    slots = handler.async_validate_slots(intent_obj.slots)
    name = slots.get("name", {}).get("value")
    area = slots.get("area", {}).get("value")
    return find_fixtures(
        intent_obj.hass,
        str(name) if name else None,
        str(area) if area else None,
        intent_obj.assistant,
    )


def _response(intent_obj: intent.Intent, answer: Answer, *, query: bool) -> intent.IntentResponse:
    """The answer as an intent response; an error response (not a raise) when nothing was done.

    The default agent would replace a raised error's message with its generic one.
    """
    response = intent_obj.create_response()
    if answer.failed:
        response.async_set_error(intent.IntentResponseErrorCode.FAILED_TO_HANDLE, answer.text)
        return response
    if query:
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
    response.async_set_speech(answer.text)
    response.async_set_speech_slots(answer.slots)
    return response


def _unknown(intent_obj: intent.Intent) -> intent.IntentResponse:
    slot = intent_obj.slots.get("name") or intent_obj.slots.get("area") or {}
    name = slot.get("value", "")
    response = intent_obj.create_response()
    response.async_set_error(
        intent.IntentResponseErrorCode.NO_VALID_TARGETS,
        speech(intent_obj.language, "no_fixture", name=str(name)),
    )
    return response


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
        if not (targets := _targets(self, intent_obj)):
            return _unknown(intent_obj)
        answer = await async_start(intent_obj.hass, targets, intent_obj.language)
        return _response(intent_obj, answer, query=False)


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
        if not (targets := _targets(self, intent_obj)):
            return _unknown(intent_obj)
        return _response(intent_obj, ready(targets, intent_obj.language), query=True)
