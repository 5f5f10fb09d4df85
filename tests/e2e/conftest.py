"""A real Home Assistant process with the simulated home, and a headless Chromium to drive it.

These fixtures run without the Home Assistant test plugin (`scripts/test` calls pytest with
`-p no:homeassistant -p no:socket -m e2e tests/e2e`): that plugin blocks sockets and replaces the
event loop for a `hass` in the test process, while these tests talk to a separate process.

Everything stays on loopback: Home Assistant binds 127.0.0.1 on a free port (not 8123, so a
developer's `scripts/develop` keeps running), and the browser aborts every request for any other
host. Screenshots and Home Assistant's log go to artifacts/e2e/.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
import contextlib
from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
import yaml

from demo import bootstrap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "artifacts" / "e2e"))
START_TIMEOUT_S = 90.0
SPEED = 4.0
"""The simulated home runs this much faster than real time in the browser test."""
# Playwright adds --headless and a fresh temporary --user-data-dir itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests in a pytest with the Home Assistant plugin (the unit test run).

    They need their own pytest (`-p no:homeassistant -p no:socket -m e2e tests/e2e`), which
    `scripts/test` runs after the unit tests.
    """
    if not config.pluginmanager.has_plugin("homeassistant"):
        return
    skip = pytest.mark.skip(reason="browser test: run by scripts/test in a pytest of its own")
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _is_local(url: str) -> bool:
    return url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
    )


@dataclass(slots=True)
class HomeAssistant:
    """The Home Assistant under test."""

    url: str
    config_dir: Path
    log: Path

    def run[T](self, call: Callable[[bootstrap.HomeAssistantClient], Awaitable[T]]) -> T:
        """Run ``call`` with a logged-in API client (the demo account)."""

        async def go() -> T:
            async with aiohttp.ClientSession() as session:
                client = bootstrap.HomeAssistantClient(session, self.url)
                await client.log_in()
                try:
                    return await call(client)
                finally:
                    await client.close()

        return _run(go())

    def state(self, entity_id: str) -> dict[str, Any]:
        """An entity's state, through the REST API."""

        async def get(client: bootstrap.HomeAssistantClient) -> dict[str, Any]:
            result: dict[str, Any] = await client.call("GET", f"/api/states/{entity_id}")
            return result

        return self.run(get)


def _run[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` in a thread of its own: Playwright's sync API runs a loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass(frozen=True, slots=True)
class _Include:
    """A YAML `!include_dir_named` of the demo's configuration, written back as it was."""

    folder: str


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_constructor(
    "!include_dir_named",
    lambda loader, node: _Include(str(loader.construct_scalar(node))),
)
_Dumper.add_representer(
    _Include, lambda dumper, include: dumper.represent_scalar("!include_dir_named", include.folder)
)


def _write_config(config_dir: Path) -> None:
    """The demo's configuration, with a faster simulated home and no people.

    Its HTTP settings (the port) are bootstrap.preseed's, as in the demo.
    """
    text = (ROOT / "demo" / "config" / "configuration.yaml").read_text()
    config = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader with one more tag
    config["zcw_simulated_home"].update(speed=SPEED, people=False)
    config["logger"]["logs"]["custom_components.zero_cold_water"] = "debug"
    (config_dir / "configuration.yaml").write_text(
        yaml.dump(config, Dumper=_Dumper, sort_keys=False)
    )
    components = config_dir / "custom_components"
    components.mkdir()
    (components / "zero_cold_water").symlink_to(ROOT / "custom_components" / "zero_cold_water")
    (components / "zcw_simulated_home").symlink_to(ROOT / "demo" / "zcw_simulated_home")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Home Assistant: SIGTERM (it saves its state and exits), SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """An empty artifacts/e2e folder for this run's screenshots and logs."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def home_assistant(artifacts: Path) -> Iterator[HomeAssistant]:
    """Home Assistant with the frontend and the simulated home, onboarded with the demo account.

    No installation yet: the test adds it through the UI.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="zcw-e2e-") as tmp:
        config_dir = Path(tmp)
        _write_config(config_dir)
        bootstrap.preseed(config_dir, port)
        log = artifacts / "home-assistant.log"
        began = time.monotonic()
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "homeassistant", "--config", str(config_dir), "--skip-pip"],
                cwd=config_dir,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            try:
                _run(asyncio.wait_for(bootstrap.prepare(url, installation=False), START_TIMEOUT_S))
                ha = HomeAssistant(url=url, config_dir=config_dir, log=log)
                ha.run(lambda client: client.wait_until_running(bootstrap.PUMP))
                print(f"\nHome Assistant up at {url} in {time.monotonic() - began:.1f} s")  # noqa: T201
                yield ha
            finally:
                _stop(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (never a downloaded browser), with a fresh profile."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, artifacts: Path) -> Iterator[Page]:
    """A page that can reach only loopback; a screenshot of it is kept when the test fails."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 860}, locale="en-US", timezone_id="Asia/Shanghai"
    )
    blocked: list[str] = []

    def route(route: Route) -> None:
        if _is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        with contextlib.suppress(Exception):
            page.screenshot(path=artifacts / "last.png", full_page=True)
        (artifacts / "blocked-requests.txt").write_text("\n".join(blocked))
        context.close()
