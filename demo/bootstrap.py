"""Prepare the demo Home Assistant once it listens: an owner account and an installation.

Runs beside `scripts/develop`. Uses only HA's public HTTP API (onboarding, login flow, config
flow), the same way a person does in the browser, so it works with every supported HA version.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

BASE = "http://127.0.0.1:8123"
CLIENT_ID = f"{BASE}/"
USERNAME = "demo"
PASSWORD = "demo-zero-cold-water"  # noqa: S105  (a local-only demo account, printed on start)


def call(
    method: str, path: str, body: Any = None, token: str | None = None, form: bool = False
) -> Any:
    """One HTTP request to the local Home Assistant; returns its JSON answer."""
    headers = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        if form:
            data = "&".join(f"{k}={v}" for k, v in body.items()).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
    request = Request(f"{BASE}{path}", data=data, headers=headers, method=method)  # noqa: S310
    with urlopen(request, timeout=30) as response:  # noqa: S310  (loopback only)
        text = response.read().decode()
    return json.loads(text) if text else None


def wait_until_up(timeout: float = 120) -> None:
    """Wait for the HTTP server to answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            call("GET", "/api/onboarding")
        except (URLError, ConnectionError, HTTPError, TimeoutError):
            time.sleep(0.5)
        else:
            return
    raise SystemExit("Home Assistant did not start listening in time")


def token_from_code(code: str) -> str:
    """Exchange an authorization code for an access token."""
    answer = call(
        "POST",
        "/auth/token",
        {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
        form=True,
    )
    return str(answer["access_token"])


def onboard() -> str | None:
    """Create the owner account on a new instance; returns a token, or None if already done."""
    steps = {step["step"]: step["done"] for step in call("GET", "/api/onboarding")}
    if steps.get("user"):
        return None
    answer = call(
        "POST",
        "/api/onboarding/users",
        {
            "client_id": CLIENT_ID,
            "name": "Demo",
            "username": USERNAME,
            "password": PASSWORD,
            "language": "en",
        },
    )
    token = token_from_code(answer["auth_code"])
    call("POST", "/api/onboarding/core_config", {}, token)
    call("POST", "/api/onboarding/analytics", {}, token)
    call(
        "POST",
        "/api/onboarding/integration",
        {"client_id": CLIENT_ID, "redirect_uri": CLIENT_ID},
        token,
    )
    return token


def log_in() -> str:
    """Log in with the demo account through the login flow, as the browser does."""
    flow = call(
        "POST",
        "/auth/login_flow",
        {"client_id": CLIENT_ID, "handler": ["homeassistant", None], "redirect_uri": CLIENT_ID},
    )
    answer = call(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        {"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD},
    )
    return token_from_code(answer["result"])


def ensure_installation(token: str) -> None:
    """Create a demo installation through the config flow unless one exists."""
    entries = call("GET", "/api/config/config_entries/entry?domain=zero_cold_water", token=token)
    if entries:
        return
    flow = call("POST", "/api/config/config_entries/flow", {"handler": "zero_cold_water"}, token)
    flow = call(
        "POST",
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"name": "Home", "topology": "cold_line"},
        token,
    )
    flow = call(
        "POST",
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"pump": "input_boolean.recirculation_pump"},
        token,
    )
    if flow.get("type") != "create_entry":
        raise SystemExit(f"could not create the demo installation: {flow}")


def main() -> None:
    """Onboard if needed, then make sure the demo installation exists."""
    wait_until_up()
    token = onboard() or log_in()
    ensure_installation(token)
    print(f"Zero Cold Water demo ready: {BASE}  user: {USERNAME}  password: {PASSWORD}", flush=True)  # noqa: T201


if __name__ == "__main__":
    sys.exit(main())
