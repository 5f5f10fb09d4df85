"""Prepare the demo Home Assistant once it listens: an account, an installation, a dashboard.

Runs beside `scripts/develop` (and, for its account only, in the browser test). Uses only HA's
public HTTP and websocket APIs (onboarding, login flow, config flow, subentry flow, entity
registry, dashboards), the same way a person's browser does, so it works on every supported HA.

    python -m demo.bootstrap [--url http://127.0.0.1:8123]     (from the repository's root)
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
import itertools
import json
from pathlib import Path
from typing import Any

import aiohttp

from demo import dashboard

BASE = "http://127.0.0.1:8123"
USERNAME = "demo"
PASSWORD = "demo-zero-cold-water"  # noqa: S105  (a local-only demo account, printed on start)
DOMAIN = "zero_cold_water"
INSTALLATION = "Home"
PUMP = "switch.recirculation_pump"
PUMP_FLOW_LPM = 8.0  # reference home B's pump
DASHBOARD_URL = "zero-cold-water"

# Reference home B's fixtures on the simulated home's entities (see demo/zcw_simulated_home).
FIXTURES: tuple[dict[str, Any], ...] = (
    {
        "name": "Kitchen",
        "sensor": "sensor.kitchen_hot_pipe",
        "valve": "switch.kitchen_valve",
        "cold_sensor": "sensor.kitchen_ro_inlet",
    },
    {"name": "Basin", "sensor": "sensor.basin_hot_pipe", "valve": "switch.basin_valve"},
    {"name": "Shower", "sensor": "sensor.shower_hot_pipe", "valve": "switch.shower_valve"},
)


class HomeAssistantClient:
    """The few calls the demo needs, over HTTP and one websocket."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        """Talk to the Home Assistant at ``base``."""
        self.session = session
        self.base = base.rstrip("/")
        self.client_id = f"{self.base}/"
        self.token: str | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)

    async def call(self, method: str, path: str, body: Any = None, *, form: bool = False) -> Any:
        """One HTTP request; returns the JSON answer (raises on an HTTP error)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        kwargs: dict[str, Any] = {"data": body} if form else {"json": body}
        async with self.session.request(
            method, f"{self.base}{path}", headers=headers, **kwargs
        ) as response:
            if response.status >= 400:
                text = await response.text()
                raise RuntimeError(f"{method} {path}: HTTP {response.status}: {text[:300]}")
            return await response.json(content_type=None) if response.content_length != 0 else None

    async def wait_until_up(self, within_s: float = 120) -> None:
        """Wait for the HTTP server to answer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within_s
        while loop.time() < deadline:
            try:
                await self.call("GET", "/api/onboarding")
            except (aiohttp.ClientError, RuntimeError, OSError):
                await asyncio.sleep(0.3)
            else:
                return
        raise SystemExit(f"Home Assistant did not start listening at {self.base} in time")

    async def _token_from_code(self, code: str) -> str:
        answer = await self.call(
            "POST",
            "/auth/token",
            {"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
            form=True,
        )
        return str(answer["access_token"])

    async def onboard(self, username: str = USERNAME, password: str = PASSWORD) -> bool:
        """Create the owner account on a new instance; False if that was done before."""
        steps = {step["step"]: step["done"] for step in await self.call("GET", "/api/onboarding")}
        if steps.get("user"):
            return False
        answer = await self.call(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": self.client_id,
                "name": "Demo",
                "username": username,
                "password": password,
                "language": "en",
            },
        )
        self.token = await self._token_from_code(answer["auth_code"])
        for step, done in steps.items():
            if not done and step != "user":  # preseed() not run: finish it the public way
                await self.call(
                    "POST",
                    f"/api/onboarding/{step}",
                    {"client_id": self.client_id, "redirect_uri": self.client_id}
                    if step == "integration"
                    else {},
                )
        return True

    async def wait_until_running(self, entity_id: str | None = None, within_s: float = 120) -> None:
        """Wait until Home Assistant has started (and ``entity_id``, if given, exists)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within_s
        while loop.time() < deadline:
            config = await self.call("GET", "/api/config")
            if config.get("state") == "RUNNING":
                if entity_id is None:
                    return
                try:
                    await self.call("GET", f"/api/states/{entity_id}")
                except RuntimeError:
                    pass
                else:
                    return
            await asyncio.sleep(0.3)
        raise SystemExit(f"Home Assistant did not finish starting at {self.base} in time")

    async def log_in(self, username: str = USERNAME, password: str = PASSWORD) -> None:
        """Log in through the login flow, as the browser does."""
        flow = await self.call(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        answer = await self.call(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
        )
        self.token = await self._token_from_code(answer["result"])

    async def ws(self, message: Mapping[str, Any]) -> Any:
        """One websocket command; returns its result (raises on an error answer)."""
        if self._ws is None:
            self._ws = await self.session.ws_connect(f"{self.base}/api/websocket")
            await self._ws.receive_json()  # auth_required
            await self._ws.send_json({"type": "auth", "access_token": self.token})
            answer = await self._ws.receive_json()
            if answer.get("type") != "auth_ok":
                raise RuntimeError(f"websocket auth failed: {answer}")
        msg_id = next(self._ids)
        await self._ws.send_json({**message, "id": msg_id})
        while True:
            answer = await self._ws.receive_json()
            if answer.get("id") == msg_id and answer.get("type") == "result":
                break
        if not answer.get("success"):
            raise RuntimeError(f"{message['type']}: {answer.get('error')}")
        return answer.get("result")

    async def close(self) -> None:
        """Close the websocket."""
        if self._ws is not None:
            await self._ws.close()

    async def entries(self) -> list[dict[str, Any]]:
        """This integration's config entries."""
        result: list[dict[str, Any]] = await self.call(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        return result

    async def subentries(self, entry_id: str) -> list[dict[str, Any]]:
        """An entry's subentries ([] where the integration has none)."""
        result: list[dict[str, Any]] = await self.ws(
            {"type": "config_entries/subentries/list", "entry_id": entry_id}
        )
        return result


def preseed(config_dir: Path, port: int = 8123) -> None:
    """Before the first start: settle what Home Assistant would otherwise ask a person about.

    - Onboarding's later steps are marked done, so only the account is left: finishing the
      "core_config" step through the API would set up the integrations onboarding adds (met.no
      weather, radio browser, Google Translate), which reach for the internet.
    - The HTTP settings (loopback, ``port``) go where this Home Assistant reads them. Before
      2026.x, that is YAML: a package, ``packages/http.yaml`` (configuration.yaml includes the
      folder). From 2026.x on, it is storage, ``.storage/http``: a YAML ``http:`` section there
      is migrated once as a *trial* that reverts, after five minutes unconfirmed, to the
      default (every interface), and raises a repair issue on every start after. So the store
      is written with the loopback settings as the confirmed ones, and the package removed.
    """
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    onboarding = storage / "onboarding"
    if not onboarding.exists():
        data = {"done": ["core_config", "analytics", "integration"]}
        onboarding.write_text(
            json.dumps({"version": 4, "minor_version": 1, "key": "onboarding", "data": data})
        )
    packages = config_dir / "packages"
    packages.mkdir(exist_ok=True)
    http_yaml = packages / "http.yaml"
    try:
        from homeassistant.components.http import config as http_config  # noqa: PLC0415
    except ImportError:  # Home Assistant before 2026.x: YAML is the HTTP config
        http_yaml.write_text(f"http:\n  server_host: 127.0.0.1\n  server_port: {port}\n")
        return
    http_yaml.unlink(missing_ok=True)
    http = storage / "http"
    if http.exists():
        return
    stable = dict(
        http_config.HTTP_STORAGE_SCHEMA({"server_host": "127.0.0.1", "server_port": port})
    )
    stable.update(created_at=datetime.now(UTC).isoformat(), error=None, error_message=None)
    http.write_text(
        json.dumps(
            {
                "version": http_config.STORAGE_VERSION,
                "minor_version": http_config.STORAGE_MINOR_VERSION,
                "key": "http",
                "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
            }
        )
    )


async def _fill(
    client: HomeAssistantClient, url: str, flow: dict[str, Any], values: dict[str, Any]
) -> Any:
    """Answer a flow's form with those of ``values`` it asks for; return the next step."""
    asked = {field["name"] for field in flow.get("data_schema", [])}
    return await client.call(
        "POST", f"{url}/{flow['flow_id']}", {k: v for k, v in values.items() if k in asked}
    )


async def ensure_installation(client: HomeAssistantClient) -> str:
    """Create the demo installation through the config flow unless one exists; its entry id."""
    for entry in await client.entries():
        if entry["title"] == INSTALLATION:
            return str(entry["entry_id"])
    url = "/api/config/config_entries/flow"
    flow = await client.call("POST", url, {"handler": DOMAIN})
    flow = await _fill(client, url, flow, {"name": INSTALLATION, "topology": "cold_line"})
    flow = await _fill(client, url, flow, {"pump": PUMP, "pump_flow_lpm": PUMP_FLOW_LPM})
    if flow.get("type") != "create_entry":
        raise SystemExit(f"could not create the demo installation: {flow}")
    return str(flow["result"]["entry_id"])


async def ensure_fixtures(client: HomeAssistantClient, entry_id: str) -> int:
    """Add the home's fixtures through the subentry flow; how many exist after."""
    entries = {e["entry_id"]: e for e in await client.entries()}
    if "fixture" not in entries.get(entry_id, {}).get("supported_subentry_types", {}):
        return 0  # an integration without fixture subentries yet
    have = {s["title"] for s in await client.subentries(entry_id)}
    url = "/api/config/config_entries/subentries/flow"
    for fixture in FIXTURES:
        if fixture["name"] in have:
            continue
        flow = await client.call("POST", url, {"handler": [entry_id, "fixture"]})
        answer = await _fill(client, url, flow, {"target_c": 40.0, **fixture})
        if answer.get("type") != "create_entry":
            raise SystemExit(f"could not add the fixture {fixture['name']}: {answer}")
        have.add(fixture["name"])
    return len(have)


async def ensure_remotes(client: HomeAssistantClient, entry_id: str) -> int:
    """Bind each fixture's simulated remote to it through the remote subentry flow, if any.

    Returns how many remotes are bound after (0 when the integration has no remote subentries).
    """
    entries = {e["entry_id"]: e for e in await client.entries()}
    if "remote" not in entries.get(entry_id, {}).get("supported_subentry_types", {}):
        return 0
    subentries = await client.subentries(entry_id)
    fixtures = {s["title"]: s["subentry_id"] for s in subentries if s["subentry_type"] == "fixture"}
    have = {s["title"] for s in subentries if s["subentry_type"] == "remote"}
    url = "/api/config/config_entries/subentries/flow"
    for fixture in FIXTURES:
        name = f"{fixture['name']} remote"
        if name in have or fixture["name"] not in fixtures:
            continue
        entity = f"event.{fixture['name'].lower()}_remote"
        flow = await client.call("POST", url, {"handler": [entry_id, "remote"]})
        flow = await _fill(client, url, flow, {"name": name, "remote_entity": entity})
        answer = await _fill(
            client, url, flow, {"fixtures": [fixtures[fixture["name"]]], "start_on": ["press"]}
        )
        if answer.get("type") != "create_entry":
            raise SystemExit(f"could not bind the remote {name}: {answer}")
        have.add(name)
    return len(have)


async def ensure_dashboard(
    client: HomeAssistantClient, url_path: str = DASHBOARD_URL, hours_to_show: float = 1.0
) -> None:
    """(Re)write the demo dashboard from the entities that exist now; also the default one."""
    await asyncio.sleep(1.0)  # let the entities of a just-created entry register
    registry = await client.ws({"type": "config/entity_registry/list"})
    subentries = {
        e["entry_id"]: await client.subentries(e["entry_id"]) for e in await client.entries()
    }
    config = dashboard.build(registry, subentries, hours_to_show=hours_to_show)
    dashboards = await client.ws({"type": "lovelace/dashboards/list"})
    if not any(d.get("url_path") == url_path for d in dashboards):
        await client.ws(
            {
                "type": "lovelace/dashboards/create",
                "url_path": url_path,
                "title": "Zero Cold Water",
                "icon": "mdi:water-boiler",
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            }
        )
    await client.ws({"type": "lovelace/config/save", "url_path": url_path, "config": config})
    await client.ws({"type": "lovelace/config/save", "url_path": None, "config": config})


async def prepare(base: str = BASE, *, installation: bool = True) -> None:
    """Onboard if needed; then (optionally) the installation, its fixtures and the dashboard."""
    async with aiohttp.ClientSession() as session:
        client = HomeAssistantClient(session, base)
        await client.wait_until_up()
        if not await client.onboard():
            await client.log_in()
        try:
            # The demo account may log in from this machine's network only.
            me = await client.ws({"type": "auth/current_user"})
            await client.ws({"type": "config/auth/update", "user_id": me["id"], "local_only": True})
            if installation:
                await client.wait_until_running(PUMP)
                entry_id = await ensure_installation(client)
                await ensure_fixtures(client, entry_id)
                await ensure_remotes(client, entry_id)
                await ensure_dashboard(client)
        finally:
            await client.close()


def main() -> None:
    """Prepare the demo and print how to log in."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=BASE)
    parser.add_argument("--preseed", type=Path, help="only preseed this config dir, then exit")
    args = parser.parse_args()
    if args.preseed:
        preseed(args.preseed, port=int(args.url.rsplit(":", 1)[1].strip("/")))
        return
    asyncio.run(prepare(args.url))
    print(  # noqa: T201
        f"\n  Zero Cold Water demo ready: {args.url}/{DASHBOARD_URL}/hot-water"
        f"\n  user: {USERNAME}   password: {PASSWORD}\n",
        flush=True,
    )


if __name__ == "__main__":
    main()
