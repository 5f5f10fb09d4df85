"""The engine's side of the automatic cycles: what they see, and starting what they want.

``automatic.py`` decides *when* a cycle should start by itself; this module gives it what it
decides on (believed readings, readiness, uses and draws), asks it once per fixture per pass,
and starts what it wants through admission like any other start (``admission.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from .admission import Admission
from .automatic import Automatic
from .commands import Command, Refused
from .config import FixtureSettings
from .events import DrawObserved, Line, TriggerReason
from .fixtures import Fixtures
from .hardware import Hardware
from .keepwarm import Facts
from .modes import Mode, policy
from .site import Site


@dataclass(eq=False)
class Autopilot:
    """Feeds :class:`Automatic` and carries out its starts (internal, mutable)."""

    site: Site
    fixtures: Fixtures
    hardware: Hardware
    admission: Admission
    auto: Automatic

    def note_usage(self, name: str, at: float, hit: bool | None, mode: Mode) -> None:
        """Someone used (``hit``: a draw) or asked for hot water at ``name``; not in mode off."""
        if mode is Mode.OFF:
            return
        data = self.auto.record_usage(name, at, hit=hit, learned=self.site.learned)
        if data is not None:
            self.site.learn(data)

    def _hit(self, name: str, before_c: float | None) -> bool:
        """Whether a draw at ``name`` found the water hot (ready, or the pipe in the band)."""
        if self.fixtures.is_ready(name):
            return True
        return before_c is not None and before_c >= self.site.hot_band(name)

    def reading(self, fx: FixtureSettings, value: float, at: float, mode: Mode) -> None:
        """A believed reading of ``fx``'s own hot-pipe sensor: cooling time, draw detection."""
        quiet = not self.fixtures.any_running and not self.hardware.pump_running
        site = self.site
        changed, base = self.auto.reading(
            fx, value, at, quiet=quiet, settings=site.settings, learned=site.learned
        )
        if changed is not None:
            site.learn(changed)
        if base is not None:
            self.note_usage(fx.name, at, self._hit(fx.name, base), mode)

    def draw(self, event: DrawObserved, now: float, mode: Mode) -> None:
        """A draw sensor saw hot water drawn at a fixture."""
        fx = self.site.settings.fixture(event.fixture)
        if fx is None or not fx.has_draw_sensor:
            return
        at = min(event.at, now) if math.isfinite(event.at) else now
        path = self.site.settings.path(fx.name)
        before = self.auto.before(path, at)
        if before is None:
            before = self.site.believed(path, Line.HOT, now)
        self.note_usage(fx.name, at, self._hit(fx.name, before), mode)

    def run(self, now: float, mode: Mode, out: list[Command], *, shut_down: bool) -> None:
        """Expired pre-heats, then the cycles the engine starts by itself."""
        site = self.site
        s = site.settings
        if self.auto.has_open_preheats:
            busy = {r.name for r in (*self.fixtures.running(), *self.fixtures.ready())}
            expired = self.auto.expire_preheats(now, site.learned, busy=busy)
            if expired is not None:
                site.learn(expired)
        self.auto.clear_times()
        self.admission.retry_at = None
        rules = policy(mode)
        if shut_down or not (
            rules.keep_warm
            or rules.predictive
            or (rules.freeze_protection and s.freeze_protect_c is not None)
        ):
            return
        busy_paths = {s.path(r.name) for r in self.fixtures.running()}
        # a fixture refused in this very step is not started by the engine in the same breath
        refused = {f for c in out if isinstance(c, Refused) for f in c.fixtures}
        for fx in s.fixtures:
            name = fx.name
            path = s.path(name)
            if self.fixtures.is_running(name) or path in busy_paths or name in refused:
                continue
            reason = self.auto.wanted(
                fx, self._facts(name, now), now, mode=mode, settings=s, learned=site.learned
            )
            if reason is not None and self._start(name, reason, now, out):
                busy_paths.add(path)

    def _facts(self, name: str, now: float) -> Facts:
        """What the automatic decisions see of ``name`` now."""
        site = self.site
        path = site.settings.path(name)
        pipe_c = site.believed(path, Line.HOT, now)
        path_fx = site.settings.fixture(path)
        return Facts(
            pipe_c=pipe_c,
            own_c=pipe_c if path == name else site.believed(name, Line.HOT, now),
            cold_c=site.believed(name, Line.COLD, now),
            ready=self.fixtures.is_ready(name),
            awaiting_sensor=path_fx is not None
            and path_fx.has_sensor
            and (path, Line.HOT) not in site.sensors,
        )

    def _start(self, name: str, reason: TriggerReason, now: float, out: list[Command]) -> bool:
        """Start an automatic cycle if admitted; a pre-heat is logged as it starts."""
        if not self.admission.automatic(name, reason, now, out):
            return False
        if reason is TriggerReason.PREDICTION:
            self.site.learn(self.auto.preheat_started(name, now, self.site.learned))
        return True
