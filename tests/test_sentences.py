"""The sentence builder: literal names only, and a place another entity answers to left out."""

from __future__ import annotations

from custom_components.zero_cold_water.sentences import Action, Place, build, literal

KITCHEN = frozenset({("home", "kitchen")})
BATH = frozenset({("home", "basin"), ("home", "shower")})


def _sentences(triggers: list, action: Action, fixtures: frozenset | None) -> str:
    return "\n".join(
        s for t in triggers if t.action is action and t.fixtures == fixtures for s in t.sentences
    )


def test_names_are_literal_text() -> None:
    assert literal("Bathroom (upstairs) | {east} [2]") == "Bathroom upstairs east 2"
    assert literal(" 主卫  ") == "主卫"


def test_a_place_taken_by_another_entity_is_left_out_for_that_word_only() -> None:
    places = [
        Place("Kitchen", KITCHEN),
        Place("厨房", KITCHEN),
        Place("Kitchen sink", KITCHEN),
        Place("Kitchen sink Hot water", KITCHEN, switch=True),
        Place("Bathroom", BATH),
        Place("bathroom", BATH),  # the same name twice: one place
    ]
    blocked = {("kitchen", "hotwater"), ("厨房", "热水器"), ("", "热水")}
    triggers = build(places, blocked)

    kitchen = _sentences(triggers, Action.START, KITCHEN)
    assert "(in|at|for|to) [the] (厨房|Kitchen sink)|" in kitchen  # the kitchen's is taken
    assert "(Kitchen sink Hot water)" in kitchen  # the switch's own name
    assert "(Kitchen|厨房|Kitchen sink)[的]热水|" in kitchen
    assert "(Kitchen|Kitchen sink)[的]热水器|" in kitchen  # 厨房's 热水器 is someone else's
    assert "(Bathroom)" in _sentences(triggers, Action.STOP, BATH)
    anywhere = _sentences(triggers, Action.START, None)
    assert "热水器" in anywhere
    assert "{water}" not in anywhere
    assert "打开|开启|开|启动|开始|预热|准备|加热)[一下]热水[" not in anywhere
    # Washing: the bathroom's fixtures, by the bath word in its name.
    assert [t.fixtures for t in triggers if "洗澡" in "".join(t.sentences)] == [BATH]
