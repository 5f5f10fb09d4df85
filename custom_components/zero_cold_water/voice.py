"""The sentences Assist's default agent hears for the fixtures, kept up to date.

intent.py says why these are sentence triggers with literal names. This module gathers the names
(places.py), leaves out each place where another entity answers to a word for hot water (so a
light called Hot water in the kitchen, or a heater called 热水器, still gets "turn on the hot water
in the kitchen" and "打开热水器"), builds the sentences (sentences.py) and registers them; and does
it again when an installation loads or unloads, or an area, a device's area or an entity's name
changes. The answers come from answers.py, in the asker's language.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.components.homeassistant.exposed_entities import (
    async_listen_entity_updates,
)
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
)
from homeassistant.const import EVENT_COMPONENT_LOADED, EVENT_STATE_CHANGED
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util.hass_dict import HassKey

from .answers import async_start, async_stop, ready
from .compat import register_sentence_trigger
from .const import DOMAIN
from .places import (
    Target,
    area_names,
    fixture_area_ids,
    fixture_area_names,
    fixture_own_names,
    spoken_key,
    switch_names,
    voice_targets,
)
from .sentences import WORD_KEYS, Action, Place, TargetKey, Trigger, build

if TYPE_CHECKING:
    from homeassistant.components.conversation import ConversationInput

CONVERSATION = "conversation"
DATA_VOICE: HassKey[VoiceSentences] = HassKey(f"{DOMAIN}_voice")
_ENTITY_FIELDS = frozenset({"aliases", "name", "original_name", "area_id", "device_id"})


def async_setup_voice(hass: HomeAssistant) -> None:
    """Follow the registries from now on (the integration's setup, once)."""
    hass.data[DATA_VOICE] = VoiceSentences(hass)


def _key(target: Target) -> TargetKey:
    return (target[0].config_entry.entry_id, target[1])


def _entity_names(hass: HomeAssistant, entity_id: str) -> set[str]:
    """Every name an entity answers to, as spoken keys."""
    names = set()
    if (state := hass.states.get(entity_id)) is not None:
        names.add(state.name)
    if (entry := er.async_get(hass).async_get(entity_id)) is not None:
        names |= {alias for alias in entry.aliases if isinstance(alias, str)}
        names |= {entry.name or "", entry.original_name or ""}
    return {spoken_key(name) for name in names} - {""}


def _entity_area(hass: HomeAssistant, entry: er.RegistryEntry | None) -> str | None:
    """An entity's own area, else its device's."""
    if entry is None or entry.area_id is not None or entry.device_id is None:
        return entry.area_id if entry is not None else None
    device = dr.async_get(hass).async_get(entry.device_id)
    return device.area_id if device is not None else None


class VoiceSentences:
    """The sentence triggers of every loaded installation's fixtures."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen to what changes the sentences."""
        self.hass = hass
        self._triggers: list[Trigger] = []
        self._unregister: list[CALLBACK_TYPE] = []
        self._watched: set[str] = set()
        """Entities whose names are in the sentences or took a place from them."""
        self._scheduled = False
        self._following_exposure = False
        bus = hass.bus
        bus.async_listen(ar.EVENT_AREA_REGISTRY_UPDATED, self._changed)
        bus.async_listen(
            dr.EVENT_DEVICE_REGISTRY_UPDATED, self._changed, event_filter=self._device_filter
        )
        bus.async_listen(
            er.EVENT_ENTITY_REGISTRY_UPDATED, self._changed, event_filter=self._entity_filter
        )
        bus.async_listen(EVENT_STATE_CHANGED, self._changed, event_filter=self._state_filter)
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, self._entry_changed)
        bus.async_listen(EVENT_COMPONENT_LOADED, self._changed, event_filter=self._component_filter)

    def _relevant(self, entity_id: str) -> bool:
        if entity_id in self._watched:
            return True
        return any(
            word in name for name in _entity_names(self.hass, entity_id) for word in WORD_KEYS
        )

    @callback
    def _component_filter(self, data: Any) -> bool:
        return bool(data["component"] == CONVERSATION)

    @callback
    def _device_filter(self, data: Any) -> bool:
        changes = data.get("changes", {})
        return data["action"] == "remove" or bool({"area_id", "name_by_user"} & set(changes))

    @callback
    def _entity_filter(self, data: Any) -> bool:
        if data["action"] == "update" and not _ENTITY_FIELDS & set(data["changes"]):
            return False
        return self._relevant(data["entity_id"]) or data.get("old_entity_id") in self._watched

    @callback
    def _state_filter(self, data: Any) -> bool:
        old, new = data["old_state"], data["new_state"]
        if old is not None and new is not None and old.name == new.name:
            return False
        name = spoken_key((new or old).name)
        return data["entity_id"] in self._watched or any(word in name for word in WORD_KEYS)

    @callback
    def _changed(self, _event: Event[Any]) -> None:
        self.schedule()

    @callback
    def _entry_changed(self, _change: ConfigEntryChange, entry: ConfigEntry) -> None:
        """An installation loaded, unloaded or changed (a fixture renamed, added, removed)."""
        if entry.domain == DOMAIN:
            self.schedule()

    @callback
    def schedule(self) -> None:
        """Build the sentences again once the current changes are done."""
        if not self._scheduled:
            self._scheduled = True
            self.hass.loop.call_soon(self._rebuild)

    def _places(self, targets: list[Target]) -> list[Place]:
        places: list[Place] = []
        for target in targets:
            coordinator, fixture = target
            fixtures = frozenset({_key(target)})
            names = [
                *fixture_own_names(self.hass, coordinator, fixture),
                *fixture_area_names(self.hass, coordinator, fixture),
            ]
            places += [Place(name, fixtures) for name in names]
            places += [
                Place(name, fixtures, switch=True) for name in switch_names(self.hass, *target)
            ]
        return places

    def _blocked(self, places: list[Place], ours: set[str]) -> set[tuple[str, str]]:
        """(place, word) pairs another entity answers to: named the word in that place, or both.

        The place "" stands for a sentence without one.
        """
        combined = {
            spoken_key(place.name) + word: (spoken_key(place.name), word)
            for place in places
            for word in WORD_KEYS
        }
        registry = er.async_get(self.hass)
        blocked: set[tuple[str, str]] = set()
        for state in self.hass.states.async_all():
            if state.entity_id in ours:
                continue
            names = _entity_names(self.hass, state.entity_id)
            found = {combined[name] for name in names if name in combined}
            if words := names & WORD_KEYS:
                area = _entity_area(self.hass, registry.async_get(state.entity_id))
                here = {"", *(spoken_key(name) for name in area_names(self.hass, area))}
                found |= {(place, word) for place in here for word in words}
            if found:
                blocked |= found
                self._watched.add(state.entity_id)
        return blocked

    @callback
    def _rebuild(self) -> None:
        """Register the sentences of the fixtures exposed to Assist, once Assist is set up."""
        self._scheduled = False
        if CONVERSATION not in self.hass.config.components:
            return
        if not self._following_exposure:  # the exposure settings exist once Assist is up
            async_listen_entity_updates(self.hass, CONVERSATION, self.schedule)
            self._following_exposure = True
        targets = voice_targets(self.hass, CONVERSATION)
        registry = er.async_get(self.hass)
        ours = {entry.entity_id for entry in registry.entities.values() if entry.platform == DOMAIN}
        self._watched = set(ours)
        places = self._places(targets)
        triggers = build(places, self._blocked(places, ours)) if targets else []
        if triggers == self._triggers:
            return
        for unregister in self._unregister:
            unregister()
        self._triggers = triggers
        self._unregister = [
            register_sentence_trigger(
                self.hass, list(trigger.sentences), partial(self._answer, trigger)
            )
            for trigger in triggers
        ]

    def _fixtures(self, trigger: Trigger, user_input: ConversationInput) -> list[Target]:
        """The trigger's fixtures; for a sentence without a place, those where the asker is."""
        targets = voice_targets(self.hass, CONVERSATION)
        if trigger.fixtures is not None:
            return [target for target in targets if _key(target) in trigger.fixtures]
        area = _asker_area(self.hass, user_input)
        here = [t for t in targets if area in fixture_area_ids(self.hass, *t)]
        return here or targets

    async def _answer(
        self, trigger: Trigger, user_input: ConversationInput, _result: Any
    ) -> str | None:
        """Act, and say what happened in the asker's language."""
        language = user_input.language or self.hass.config.language
        targets = self._fixtures(trigger, user_input)
        if trigger.action is Action.READY:
            return ready(targets, language).text
        if trigger.action is Action.STOP:
            return (await async_stop(targets, language)).text
        return (await async_start(self.hass, targets, language)).text


def _asker_area(hass: HomeAssistant, user_input: ConversationInput) -> str | None:
    """The area of the satellite or device the request came from, if known."""
    satellite: str | None = getattr(user_input, "satellite_id", None)  # HA 2026.x on
    entry = er.async_get(hass).async_get(satellite) if satellite else None
    if entry is not None and entry.area_id is not None:
        return entry.area_id
    device_id = (entry.device_id if entry is not None else None) or user_input.device_id
    device = dr.async_get(hass).async_get(device_id) if device_id else None
    return device.area_id if device is not None else None
