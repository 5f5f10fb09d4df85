# ruff: noqa: RUF001 - Chinese speech uses full-width punctuation
"""Act on fixtures for a spoken request and say what happened, in the asker's language.

Shared by the Assist intents (intent.py) and the sentences the default agent hears (voice.py),
so that every way of asking gets the same answer. Nothing here raises for a refusal: a start the
engine refuses is answered with the same translated message as the service error (which rule,
and what to do), because a raised error reaches the speaker as HA's generic "unexpected error".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.core import HomeAssistant
from homeassistant.helpers import translation
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import ZeroColdWaterCoordinator
from .engine import FixtureState, Outcome, Refused, TriggerReason
from .errors import refusal_error
from .places import Target
from .targets import by_installation

SPEECH: dict[str, dict[str, str]] = {
    "en": {
        "started": "Heating the hot water for {fixtures}.",
        "running": "Hot water is already on its way to {fixtures}.",
        "deferred": "Hot water for {fixtures} starts in {seconds} seconds.",
        "already_hot": "Hot water is already there at {fixtures}.",
        "stopped": "Stopped the hot water for {fixtures}.",
        "not_on": "The hot water for {fixtures} was not on.",
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
        "stopped": "已停止{fixtures}的热水。",
        "not_on": "{fixtures}的热水本来就没有开。",
        "ready_yes": "是的，{fixtures}的热水已经就绪。",
        "ready_heating": "还没有，{fixtures}的热水正在路上。",
        "ready_no": "没有，{fixtures}的水还不热。",
        "no_fixture": "找不到名为{name}的热水点位。",
    },
}
TRANSLATIONS = {"zh": "zh-Hans"}
"""The translation file of a language family (the agent may say zh-CN for HA's zh-Hans)."""


def _family(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


def speech(language: str, key: str, **values: str) -> str:
    """A spoken sentence in ``language`` (English for a language without its own table)."""
    return SPEECH[_family(language)][key].format(**values)


def joined(language: str, names: list[str]) -> str:
    """Names as a list in a sentence."""
    return ("、" if _family(language) == "zh" else ", ").join(names)


def sentences(language: str, parts: list[str]) -> str:
    """Sentences one after another (Chinese puts no space between them)."""
    return ("" if _family(language) == "zh" else " ").join(parts)


@dataclass(slots=True)
class Answer:
    """What to say, and the fixtures by outcome (for LLM assistants and tests)."""

    text: str
    slots: dict[str, list[str]] = field(default_factory=dict)
    failed: bool = False
    """Nothing was done: every fixture asked for was refused."""


async def refusal_text(
    hass: HomeAssistant, language: str, coordinator: ZeroColdWaterCoordinator, refused: Refused
) -> str:
    """The service error's message for a refusal, translated into ``language``."""
    error = refusal_error(coordinator, refused)
    strings = await translation.async_get_translations(
        hass, TRANSLATIONS.get(_family(language), language), "exceptions", [DOMAIN]
    )
    message = strings.get(f"component.{DOMAIN}.exceptions.{error.translation_key}.message")
    return message.format(**(error.translation_placeholders or {})) if message else str(error)


async def async_start(hass: HomeAssistant, targets: list[Target], language: str) -> Answer:
    """Start the fixtures' cycles: started, already on the way, waiting, hot, or refused."""
    slots: dict[str, list[str]] = {
        key: [] for key in ("started", "running", "deferred", "already_hot", "refused")
    }
    starts_at: list[float] = []
    refusals: list[str] = []
    for coordinator, fixtures in by_installation(targets):
        result = await coordinator.async_start_cycles(fixtures, TriggerReason.VOICE)
        name = coordinator.fixture_name
        slots["started"] += [name(f) for f in result.started]
        slots["running"] += [name(f) for f in result.running]
        slots["deferred"] += [name(f) for f in result.deferred]
        starts_at += result.deferred.values()
        slots["already_hot"] += [
            name(f.fixture) for f in result.finished if f.outcome is Outcome.ALREADY_HOT
        ]
        for refused in result.refused:
            slots["refused"] += [name(f) for f in refused.fixtures]
            refusals.append(await refusal_text(hass, language, coordinator, refused))
    parts = [
        speech(language, key, fixtures=joined(language, slots[key]))
        for key in ("started", "running")
        if slots[key]
    ]
    if starts_at:
        wait = max(starts_at) - dt_util.utcnow().timestamp()
        waiting = joined(language, slots["deferred"])
        parts.append(
            speech(language, "deferred", fixtures=waiting, seconds=str(max(round(wait), 1)))
        )
    if slots["already_hot"]:
        parts.append(
            speech(language, "already_hot", fixtures=joined(language, slots["already_hot"]))
        )
    failed = bool(refusals) and not parts
    return Answer(sentences(language, [*parts, *refusals]), slots, failed=failed)


def _on(coordinator: ZeroColdWaterCoordinator, fixture: str) -> bool:
    """Whether a fixture's Hot water switch shows on (heating, waiting to, or hot)."""
    view = coordinator.data.fixtures.get(fixture) if coordinator.data is not None else None
    return view is not None and (view.state.underway or view.state is FixtureState.READY)


async def async_stop(targets: list[Target], language: str) -> Answer:
    """Stop the fixtures' cycles (and forget a start waiting for the cooldown)."""
    stopped = [coordinator.fixture_name(f) for coordinator, f in targets if _on(coordinator, f)]
    idle = [coordinator.fixture_name(f) for coordinator, f in targets if not _on(coordinator, f)]
    for coordinator, fixtures in by_installation(targets):
        await coordinator.async_stop_cycles(fixtures)
    parts = [
        speech(language, key, fixtures=joined(language, names))
        for key, names in (("stopped", stopped), ("not_on", idle))
        if names
    ]
    return Answer(sentences(language, parts), {"stopped": stopped, "not_on": idle})


def ready(targets: list[Target], language: str) -> Answer:
    """Whether hot water is ready at the fixtures, on its way, or neither."""
    found: dict[str, list[str]] = {"ready": [], "heating": [], "not_hot": []}
    for coordinator, fixture in targets:
        snapshot = coordinator.data
        view = snapshot.fixtures.get(fixture) if snapshot is not None else None
        label = coordinator.fixture_name(fixture)
        if view is not None and view.hot:
            found["ready"].append(label)
        elif view is not None and view.state.underway:
            found["heating"].append(label)
        else:
            found["not_hot"].append(label)
    if found["ready"] and not found["heating"] and not found["not_hot"]:
        text = speech(language, "ready_yes", fixtures=joined(language, found["ready"]))
    elif found["heating"]:
        text = speech(language, "ready_heating", fixtures=joined(language, found["heating"]))
    else:
        text = speech(language, "ready_no", fixtures=joined(language, found["not_hot"]))
    return Answer(text, found)
