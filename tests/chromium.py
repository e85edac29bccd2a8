"""Headless Chromium driven over the DevTools protocol, for tests of HTML pages.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol commands from file
descriptor 3 and writes replies and events to descriptor 4, each message a JSON text ended
by a NUL byte. That needs nothing beyond the standard library and the browser itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

BINARY = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
INSTALL = "Chromium is not installed (Debian or Ubuntu: apt-get install -y chromium)"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT = 60.0


class BrowserError(Exception):
    """The browser answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, profile: Path, *, width: int = 1280, height: int = 900, scripts: bool = True) -> None:
        assert BINARY is not None, INSTALL
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire() -> None:  # in the child: the pipes become descriptors 3 and 4
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

        args = [
            BINARY,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--remote-debugging-pipe",
        ]
        if not scripts:
            args.append("--blink-settings=scriptEnabled=false")
        self.process = subprocess.Popen(
            [*args, "about:blank"],
            pass_fds=(3, 4),
            preexec_fn=wire,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._last = 0
        self._events: list[dict[str, Any]] = []
        self.exceptions: list[str] = []
        """Every uncaught error of the page's scripts, as the console would show it."""
        target = self.command("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.command("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Page.enable")
        self.page("Runtime.enable")
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *error: object) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.command("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)

    # -- protocol -------------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._last += 1
        message: dict[str, Any] = {"id": self._last, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._last

    def _next_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._replies], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed its end of the pipe")
            self._buffer += chunk
        text, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(text)
        if message.get("method") == "Runtime.exceptionThrown":
            details = message["params"]["exceptionDetails"]
            self.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        return message

    def _call(self, method: str, params: dict[str, Any], session: str | None) -> dict[str, Any]:
        number = self._send(method, params, session)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._next_message(deadline)
            if message.get("id") == number:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def command(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the browser itself."""
        return self._call(method, params, None)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page."""
        return self._call(method, params, self.session)

    def wait_for(self, event: str) -> dict[str, Any]:
        """The next page event named ``event`` (those that came before are looked at first)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for number, message in enumerate(self._events):
                if message.get("method") == event:
                    del self._events[: number + 1]
                    return message
            self._events.clear()
            message = self._next_message(deadline)
            if "method" in message:
                self._events.append(message)

    # -- what tests use -------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Load ``url`` afresh (even when only its fragment differs) and wait until it has loaded."""
        for address in ("about:blank", url):
            self._events.clear()
            self.page("Page.navigate", url=address)
            self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-like values only)."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> bytes:
        """Save what the page shows (its first screen) as PNG at ``path``; returns the bytes."""
        data = base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(data)
        return data
