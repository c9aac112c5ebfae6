"""A headless Chromium driven over the DevTools protocol, for checking the HTML report renders.

Only what the report test needs: open a page, collect console messages, exceptions and failed
loads, read each image's state, and screenshot a region of the page.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
import pytest

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


def chromium_or_skip() -> str:
    """The Chromium executable; skips the test without one unless CI requires it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is not None:
        return found
    reason = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI") or os.environ.get("CHORUS_REQUIRE_BROWSER"):
        pytest.fail(reason + "; CI and CHORUS_REQUIRE_BROWSER need it")
    pytest.skip(reason)


class Browser:
    """One headless Chromium with one page, closed on exit."""

    def __init__(self, executable: str, profile: Path) -> None:
        self._executable = executable
        self._profile = profile
        self._process: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    async def __aenter__(self) -> Browser:
        self._process = await asyncio.create_subprocess_exec(
            self._executable,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self._profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        port = await self._port()
        self._http = aiohttp.ClientSession()
        async with self._http.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t["type"] == "page")
        self._socket = await self._http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        for domain in ("Page", "Runtime", "Log", "Network"):
            await self.call(f"{domain}.enable")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._http is not None:
            await self._http.close()
        if self._process is not None:
            self._process.terminate()
            await asyncio.wait_for(self._process.wait(), 10)

    async def _port(self) -> int:
        # With port 0 Chromium picks a free port and writes it to this file in the profile.
        marker = self._profile / "DevToolsActivePort"
        for _ in range(300):
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().splitlines()[0])
            await asyncio.sleep(0.05)
        raise RuntimeError("Chromium did not open its DevTools port within 15 seconds")

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Sends one DevTools command and returns its result, keeping events seen meanwhile."""
        assert self._socket is not None
        self._next_id += 1
        await self._socket.send_json({"id": self._next_id, "method": method, "params": params})
        while True:
            message = json.loads(await self._socket.receive_str(timeout=30))
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    async def open(self, url: str) -> None:
        """Navigates and waits for the load event."""
        await self.call("Page.navigate", url=url)
        for _ in range(600):
            if any(e.get("method") == "Page.loadEventFired" for e in self.events):
                return
            await self.call("Runtime.evaluate", expression="1")
            await asyncio.sleep(0.05)
        raise RuntimeError(f"{url} did not finish loading")

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    async def screenshot(self, x: float, y: float, width: float, height: float) -> bytes:
        """A PNG of a region of the page, in page coordinates (beyond the viewport too)."""
        clip = {"x": x, "y": y, "width": width, "height": height, "scale": 1}
        result = await self.call(
            "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
        )
        return base64.b64decode(result["data"])

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and failed loads seen so far."""
        found: list[str] = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params["exceptionDetails"].get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "warning",
            ):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log: {params['entry'].get('text')}")
            elif method == "Network.loadingFailed":
                found.append(f"failed to load: {params.get('errorText')}")
        return found
