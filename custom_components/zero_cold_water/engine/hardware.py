"""Hardware reconciliation: what is commanded against what the actuators report.

Each pass the controller hands over the wanted state (the running cycles' valves, whether water
should move, the daily cap); :meth:`Hardware.reconcile` applies the safety rules
(``safety.py``) and commands the difference in a safe order. A report that contradicts its
command is commanded again; one that stays against it past its confirm timeout is a fault (a
pump that does not start, an actuator stuck on or open).
"""

from __future__ import annotations

from collections.abc import Iterable
import math

from .commands import Command, Fault, FaultKind
from .config import InstallationSettings
from .events import Actuator, ActuatorReading, ActuatorState
from .safety import ordered_commands, violations, wanted_pump, wanted_valves
from .site import Site
from .topology import valves

PUMP = "pump"
"""Actuator id of the pump in the engine's bookkeeping."""


class Hardware:
    """The commanded and reported state of the pump and valves (internal, mutable)."""

    def __init__(self, site: Site) -> None:
        """Everything off and closed, nothing reported yet."""
        self._site = site
        self.pump_cmd = False
        self.valve_cmd: dict[str, bool] = dict.fromkeys(valves(site.settings), False)
        self.pump_reported: ActuatorReading | None = None
        self.valve_reported: dict[str, ActuatorReading] = {}
        self._reported_at: dict[str, float] = {}
        self._mismatch_since: dict[str, float] = {}
        """Since when each actuator's report has contradicted its command."""
        self.stuck: set[str] = set()
        """Actuators that stayed on/open against an off/closed command (until they comply)."""
        self._resend: set[str] = set()

    @property
    def pump_running(self) -> bool:
        """Whether the pump is commanded on or reports on."""
        return self.pump_cmd or self.pump_reported is ActuatorReading.ON

    def confirmed(self, valve: str | None) -> bool:
        """Whether a cycle's valve (None: it has none) reports open."""
        return valve is None or self.valve_reported.get(valve) is ActuatorReading.ON

    def reported_open(self) -> list[str]:
        """The valves that report open."""
        return [v for v, state in self.valve_reported.items() if state is ActuatorReading.ON]

    def unavailable(self, valve: str | None) -> bool:
        """Whether ``valve`` (None: none) reports unavailable."""
        return valve is not None and self.valve_reported.get(valve) is ActuatorReading.UNAVAILABLE

    @property
    def pump_unavailable(self) -> bool:
        """Whether the installation's pump reports unavailable."""
        return (
            self._site.settings.topology.has_pump
            and self.pump_reported is ActuatorReading.UNAVAILABLE
        )

    @property
    def any_unavailable(self) -> bool:
        """Whether any actuator reports unavailable."""
        return self.pump_reported is ActuatorReading.UNAVAILABLE or any(
            state is ActuatorReading.UNAVAILABLE for state in self.valve_reported.values()
        )

    def report(self, event: ActuatorState, now: float) -> None:
        """Take an actuator's report; a contradiction of its command is commanded again."""
        if event.actuator is Actuator.PUMP:
            if not self._site.settings.topology.has_pump:
                return
            key = PUMP
        else:
            if event.fixture is None or event.fixture not in self.valve_cmd:
                return
            key = event.fixture
        at = event.at if math.isfinite(event.at) else now
        if key in self._reported_at and at < self._reported_at[key]:
            return
        self._reported_at[key] = min(at, now)
        if key == PUMP:
            self.pump_reported = event.state
        else:
            self.valve_reported[key] = event.state
        commanded, _ = self._states(key)
        if event.state is not ActuatorReading.UNAVAILABLE and (
            (event.state is ActuatorReading.ON) != commanded
        ):
            self._resend.add(key)

    def reconcile(
        self, now: float, *, cycle_valves: set[str], running: bool, active: bool, cap_reached: bool
    ) -> list[Command]:
        """Compute the wanted actuator states under the safety rules; command the difference."""
        settings = self._site.settings
        want_valves = wanted_valves(
            settings,
            cycle_valves=cycle_valves,
            limit_reached=self._site.limit_reached(now),
            active=active,
        )
        want_pump = wanted_pump(
            settings,
            running=active and running,
            valve_open=want_valves,
            valve_reported=self.valve_reported,
            cap_reached=cap_reached,
        )
        commands = ordered_commands(
            pump_was=self.pump_cmd,
            pump_now=want_pump,
            valves_were=self.valve_cmd,
            valves_now=want_valves,
            resend=self._resend & set(want_valves),
            resend_pump=PUMP in self._resend and settings.topology.has_pump,
        )
        self._resend.clear()
        if want_pump != self.pump_cmd:
            self._mismatch_since.pop(PUMP, None)
        for valve, open_ in want_valves.items():
            if open_ != self.valve_cmd.get(valve):
                self._mismatch_since.pop(valve, None)
        self.pump_cmd = want_pump
        self.valve_cmd = want_valves
        self._note_mismatches(now)
        return list(commands)

    def _note_mismatches(self, now: float) -> None:
        """Track since when each report contradicts its command (the timeouts count from it)."""
        keys = [*self.valve_cmd, PUMP] if self._site.settings.topology.has_pump else self.valve_cmd
        for key in keys:
            commanded, reported = self._states(key)
            if commanded is (reported is ActuatorReading.ON) and reported is not None:
                self._mismatch_since.pop(key, None)
                self.stuck.discard(key)
            elif (commanded or reported is not None) and key not in self._mismatch_since:
                self._mismatch_since[key] = now

    def _states(self, key: str) -> tuple[bool, ActuatorReading | None]:
        """(commanded on/open, reported) of an actuator."""
        if key == PUMP:
            return self.pump_cmd, self.pump_reported
        return self.valve_cmd.get(key, False), self.valve_reported.get(key)

    def _timeout(self, key: str) -> float | None:
        """How long ``key``'s report may contradict its command before that is a fault.

        A pump commanded on that does not report on; an actuator that stays on/open against an
        off/closed command. None: no such contradiction (a valve that does not open is the
        cycle's own timeout, counted from when it began to wait).
        """
        s = self._site.settings
        commanded, reported = self._states(key)
        if key == PUMP and commanded:
            return s.pump_confirm_timeout_s
        if not commanded and reported is ActuatorReading.ON:
            return s.pump_confirm_timeout_s if key == PUMP else s.valve_confirm_timeout_s
        return None

    def pump_overdue(self, now: float) -> bool:
        """Whether the pump, commanded on, has not reported on within its confirm timeout."""
        since = self._mismatch_since.get(PUMP)
        timeout = self._timeout(PUMP)
        return (
            self.pump_cmd and since is not None and timeout is not None and now - since >= timeout
        )

    def check_stuck(self, now: float, out: list[Command]) -> None:
        """An actuator that stays on/open against an off/closed command: fault and resend."""
        for key, since in list(self._mismatch_since.items()):
            timeout = self._timeout(key)
            if self._states(key)[0] or timeout is None or now - since < timeout:
                continue
            kind = FaultKind.PUMP_NOT_CONFIRMED if key == PUMP else FaultKind.VALVE_NOT_CONFIRMED
            out.append(Fault(kind=kind, detail=key))
            self.stuck.add(key)
            self._resend.add(key)
            self._mismatch_since[key] = now

    def wakeups(self) -> list[float]:
        """When a contradiction times out."""
        return [
            since + timeout
            for key, since in self._mismatch_since.items()
            if (timeout := self._timeout(key)) is not None
        ]

    def safe(self) -> list[Command]:
        """Pump off, then every valve closed, whatever was commanded before."""
        out: list[Command] = list(
            ordered_commands(
                pump_was=self._site.settings.topology.has_pump,
                pump_now=False,
                valves_were=dict.fromkeys(self.valve_cmd, True),
                valves_now=dict.fromkeys(self.valve_cmd, False),
            )
        )
        self.pump_cmd = False
        self.valve_cmd = dict.fromkeys(self.valve_cmd, False)
        self._mismatch_since.clear()
        return out

    def reconfigure(self, old: InstallationSettings, new: InstallationSettings) -> list[Command]:
        """New settings: the old and the new hardware both end safe (pump off, valves closed)."""
        every_valve = list(dict.fromkeys((*self.valve_cmd, *valves(new))))
        self.valve_cmd = dict.fromkeys(valves(new), False)
        self.pump_cmd = False
        kept = set(self.valve_cmd) | ({PUMP} if new.topology.has_pump else set())
        self.valve_reported = {k: v for k, v in self.valve_reported.items() if k in kept}
        self._reported_at = {k: v for k, v in self._reported_at.items() if k in kept}
        self._mismatch_since = {k: v for k, v in self._mismatch_since.items() if k in kept}
        if not new.topology.has_pump:
            self.pump_reported = None
        return list(
            ordered_commands(
                pump_was=old.topology.has_pump or new.topology.has_pump,
                pump_now=False,
                valves_were=dict.fromkeys(every_valve, True),
                valves_now=dict.fromkeys(every_valve, False),
            )
        )

    def violations(self, cycle_valves: Iterable[str], now: float) -> list[str]:
        """Every safety rule the commanded state breaks right now."""
        return violations(
            self._site.settings,
            pump_on=self.pump_cmd,
            valve_open=self.valve_cmd,
            valve_reported=self.valve_reported,
            cycle_valves=cycle_valves,
            limit_reached=self._site.limit_reached(now),
        )
