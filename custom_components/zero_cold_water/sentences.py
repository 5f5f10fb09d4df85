"""What people say about hot water, in English and Chinese, as sentence templates for Assist.

The templates use hassil's syntax (``(a|b)`` one of, ``[a]`` optional) with placeholders filled
in here with literal names, never a wildcard (intent.py says why): ``{water}`` what hot water is
called, ``{place}`` a fixture's or area's name, ``{target}`` either shape of both ("the hot water
in the kitchen", "the kitchen hot water", "厨房的热水") or the Hot water switch's own name. A
template with ``{place}`` but no ``{water}`` takes the names the first word allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re

from .places import spoken_key


class Action(StrEnum):
    """What a sentence asks for."""

    START = "start"
    STOP = "stop"
    READY = "ready"


@dataclass(frozen=True, slots=True, kw_only=True)
class Phrasebook:
    """One language's ways of asking."""

    words: tuple[str, ...]
    """What hot water is called; a place where another entity has this name is left to it."""
    target: tuple[str, ...]
    name: str
    """The shape of a sentence's target when it is the Hot water switch's own name."""
    place: dict[Action, tuple[str, ...]]
    anywhere: dict[Action, tuple[str, ...]]
    """Sentences without a place: the fixtures where the asker is, or all of them."""
    bath: tuple[str, ...]
    """Someone wants to wash: start the fixtures whose names have one of ``bath_words``."""
    bath_words: tuple[str, ...]


_PLEASE = "[please]"
_EN_HEAT = "(start|heat [up]|warm up|prepare|preheat|get|run)"
_EN_WANT = "(i want|i need|i would like|i'd like|we need|we want)"
_EN_ARRIVED = "(arrive|arrived|come through|get there|got there)"
_EN_WASH = "(shower|take a shower|have a shower|take a bath|have a bath)"

ENGLISH = Phrasebook(
    words=("hot water",),
    target=("[the|some] {water} (in|at|for|to) [the] {place}", "[the] {place} {water}"),
    name="[the] {name}",
    place={
        Action.START: (
            f"{_PLEASE} (turn|switch) on {{target}} {_PLEASE}",
            f"{_PLEASE} (turn|switch) {{target}} on {_PLEASE}",
            f"{_PLEASE} {_EN_HEAT} {{target}} {_PLEASE}",
            f"{_EN_WANT} [some] {{water}} (in|at|for) [the] {{place}} {_PLEASE}",
            "preheat [the] {place}",
        ),
        Action.STOP: (
            f"{_PLEASE} (turn|switch|shut) off {{target}} {_PLEASE}",
            f"{_PLEASE} (turn|switch|shut) {{target}} off {_PLEASE}",
            f"{_PLEASE} (stop|cancel) {{target}} {_PLEASE}",
        ),
        Action.READY: (
            "is {target} (ready|hot|on|there) [yet]",
            "is [the] {water} (ready|hot|on|there) [yet] (in|at) [the] {place}",
            "is there [any] {water} (in|at) [the] {place} [yet]",
            f"(has|did) {{target}} {_EN_ARRIVED} [yet]",
            f"(has|did) [the] {{water}} {_EN_ARRIVED} [yet] (in|at) [the] {{place}}",
        ),
    },
    anywhere={
        Action.START: (
            f"{_PLEASE} (turn|switch) on [the] {{water}} {_PLEASE}",
            f"{_PLEASE} (turn|switch) [the] {{water}} on {_PLEASE}",
            f"{_PLEASE} {_EN_HEAT} [the|some] {{water}} {_PLEASE}",
            f"{_EN_WANT} [some] {{water}} {_PLEASE}",
        ),
        Action.STOP: (
            f"{_PLEASE} (turn|switch|shut) off [the] {{water}} {_PLEASE}",
            f"{_PLEASE} (turn|switch|shut) [the] {{water}} off {_PLEASE}",
            f"{_PLEASE} (stop|cancel) [the] {{water}} {_PLEASE}",
        ),
        Action.READY: (
            "is [the] {water} (ready|hot|on|there) [yet]",
            "is there [any] {water} [yet]",
            f"(has|did) [the] {{water}} {_EN_ARRIVED} [yet]",
        ),
    },
    bath=(
        f"(i|we) (want|would like|need) to {_EN_WASH}",
        f"(i'm|i am|we're|we are) (going|about) to {_EN_WASH}",
        "(it's|it is) time for [a|my] (shower|bath)",
    ),
    bath_words=("shower", "bath"),
)

_QING = "[请][帮我|给我|麻烦你|麻烦]"
_ZH_ON = "(打开|开启|开|启动|开始|预热|准备|加热)"
_ZH_ON_AFTER = "(打开|开开|开一下|开启|启动|预热|预热一下|准备一下|准备好|加热|开)"
_ZH_OFF = "(关闭|关掉|关上|关|停止|停掉|停)"
_ZH_OFF_AFTER = "(关闭|关掉|关上|关了|关|停掉|停了|停止|不用了)"
_ZH_SOME = "(来点|搞点|弄点|放点|来些|搞些)"
_ZH_DONE = "(好了|就绪了|准备好了|到了|热了|开了|来了)"
_ZH_ASK = "(吗|么|没[有])"

CHINESE = Phrasebook(
    words=("热水", "热水器", "零冷水"),
    target=("{place}[的]{water}",),
    name="{name}",
    place={
        Action.START: (
            f"{_QING}{_ZH_ON}[一下]{{target}}[吧]",
            f"{_QING}把{{target}}{_ZH_ON_AFTER}[吧]",
            f"{{target}}{_ZH_ON_AFTER}[吧]",
            f"{_QING}给{{place}}{_ZH_SOME}{{water}}[吧]",
            f"[在]{{place}}{_ZH_SOME}{{water}}[吧]",
            "{place}(要用|需要|想要|要)[点|一点|些]{water}[了]",
            "[我](要|想)在{place}用{water}",
            f"{_QING}预热[一下]{{place}}[吧]",
        ),
        Action.STOP: (
            f"{_QING}{_ZH_OFF}[一下]{{target}}[吧]",
            f"{_QING}把{{target}}{_ZH_OFF_AFTER}[吧]",
            f"{{target}}{_ZH_OFF_AFTER}[吧]",
            "{place}不(用|需要|要){water}了",
        ),
        Action.READY: (
            f"{{target}}{_ZH_DONE}{_ZH_ASK}",
            f"{{place}}有{{water}}了{_ZH_ASK}",
            "{place}有没有{water}[了]",
        ),
    },
    anywhere={
        Action.START: (
            f"{_QING}{_ZH_ON}[一下]{{water}}[吧]",
            f"{_QING}把{{water}}{_ZH_ON_AFTER}[吧]",
            f"{{water}}{_ZH_ON_AFTER}[吧]",
            f"{_QING}{_ZH_SOME}{{water}}[吧]",
            "[我](要|想要|需要)[用][点|一点|些]{water}[了]",
        ),
        Action.STOP: (
            f"{_QING}{_ZH_OFF}[一下]{{water}}[吧]",
            f"{_QING}把{{water}}{_ZH_OFF_AFTER}[吧]",
            f"{{water}}{_ZH_OFF_AFTER}[吧]",
            "不(用|需要|要){water}了",
        ),
        Action.READY: (
            f"{{water}}{_ZH_DONE}{_ZH_ASK}",
            f"有{{water}}了{_ZH_ASK}",
            "有没有{water}[了]",
        ),
    },
    bath=(
        "[我|我们](要|想|准备|打算)(洗澡|洗个澡|冲凉|冲个凉|淋浴)[了]",
        "(要|该)(洗澡|洗个澡|冲凉)了",
    ),
    bath_words=("浴", "卫生间", "洗澡"),
)

PHRASEBOOKS = (ENGLISH, CHINESE)
WORD_KEYS = frozenset(spoken_key(word) for book in PHRASEBOOKS for word in book.words)
"""Every word for hot water, as ``spoken_key``: an entity whose name has one may take a place."""

type TargetKey = tuple[str, str]
"""A fixture as (config entry id, subentry id)."""

_SYNTAX = re.compile(r"[()\[\]{}<>|;\\]")


@dataclass(frozen=True, slots=True)
class Place:
    """A name people use for some fixtures: an area's, a fixture's or a switch's own."""

    name: str
    fixtures: frozenset[TargetKey]
    switch: bool = False
    """The Hot water switch's own name: hot water is already in it."""


@dataclass(frozen=True, slots=True)
class Trigger:
    """Sentences that ask for one action on some fixtures (None: where the asker is)."""

    action: Action
    fixtures: frozenset[TargetKey] | None
    sentences: tuple[str, ...]


def literal(name: str) -> str:
    """``name`` as literal template text: without hassil's syntax characters."""
    return " ".join(_SYNTAX.sub(" ", name).split())


def _one_of(names: list[str]) -> str:
    return "(" + "|".join(dict.fromkeys(names)) + ")"


def _for_place(
    book: Phrasebook, template: str, places: list[Place], blocked: set[tuple[str, str]]
) -> list[str]:
    """``template`` for a group of places, once per word, with the names that word allows."""
    named = [p for p in places if not p.switch]
    switches = [p.name for p in places if p.switch]
    shapes: list[str] = []
    out: list[str] = []
    for index, word in enumerate(book.words):
        names = [p.name for p in named if (spoken_key(p.name), spoken_key(word)) not in blocked]
        if not names:
            continue
        place = _one_of(names)
        shapes += [shape.format(water=word, place=place) for shape in book.target]
        if "{target}" not in template and ("{water}" in template or index == 0):
            out.append(template.format(water=word, place=place))
    if "{target}" in template:
        shapes += [book.name.format(name=_one_of(switches))] if switches else []
        out += [template.format(target=_one_of(shapes))] if shapes else []
    return out


def _anywhere(book: Phrasebook, action: Action, blocked: set[tuple[str, str]]) -> list[str]:
    return [
        template.format(water=word)
        for template in book.anywhere[action]
        for word in book.words
        if ("", spoken_key(word)) not in blocked
    ]


def build(places: list[Place], blocked: set[tuple[str, str]]) -> list[Trigger]:
    """The triggers for these places, leaving out each (place key, word key) in ``blocked``.

    A name several fixtures share (an area with two) asks for all of them.
    """
    by_key: dict[str, Place] = {}
    for place in places:
        if not (name := literal(place.name)) or not (key := spoken_key(name)):
            continue
        known = by_key.get(key)
        fixtures = place.fixtures | (known.fixtures if known else frozenset())
        by_key[key] = Place(known.name if known else name, fixtures, place.switch)
    groups: dict[frozenset[TargetKey], list[Place]] = {}
    for place in by_key.values():
        groups.setdefault(place.fixtures, []).append(place)
    triggers: list[Trigger] = []
    for action in Action:
        for fixtures, group in groups.items():
            sentences = [
                sentence
                for book in PHRASEBOOKS
                for template in book.place[action]
                for sentence in _for_place(book, template, group, blocked)
            ]
            triggers += [Trigger(action, fixtures, tuple(sentences))] if sentences else []
        anywhere = [s for book in PHRASEBOOKS for s in _anywhere(book, action, blocked)]
        triggers += [Trigger(action, None, tuple(anywhere))] if anywhere else []
    bath = frozenset(
        fixture
        for place in by_key.values()
        if any(word in place.name.casefold() for b in PHRASEBOOKS for word in b.bath_words)
        for fixture in place.fixtures
    )
    if bath:
        triggers.append(Trigger(Action.START, bath, tuple(s for b in PHRASEBOOKS for s in b.bath)))
    return triggers
