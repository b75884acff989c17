"""Open a page in headless Chromium with the network unreachable, for tests of offline HTML.

Talks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (JSON messages ending in NUL on
file descriptors 3 and 4), so it needs no websocket package and opens no port. The network is cut
three ways, so a page that reaches for a CDN fails visibly instead of quietly loading from it:
Chromium runs in an empty network namespace (``unshare -n``) where the system allows one, every
non-file request goes to a dead proxy, and DevTools puts the page offline.

    with open_page(path.as_uri()) as page:
        page.evaluate("document.querySelectorAll('video').length")
        page.failed_requests        # ['file:///.../missing.js (net::ERR_FILE_NOT_FOUND)', ...]
        page.press("ArrowRight")
        page.screenshot(Path("/tmp/slide.png"))

Debian's package is ``chromium`` (scripts/install-system-deps.sh installs it). As root Chromium
needs ``--no-sandbox``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Windows virtual key codes of the keys tests press (CDP wants them next to the DOM key name).
KEY_CODES = {
    "ArrowRight": 39,
    "ArrowLeft": 37,
    "ArrowUp": 38,
    "ArrowDown": 40,
    "Home": 36,
    "End": 35,
    "PageDown": 34,
    "PageUp": 33,
    " ": 32,
    "Enter": 13,
    "Escape": 27,
    "Tab": 9,
}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-sync",
    "--mute-audio",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
    # every http(s)/ws request to a proxy that is not there; names resolve to nothing
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class BrowserError(RuntimeError):
    """Chromium is missing, died, or did not answer in time."""


def chromium_path() -> str | None:
    """The Chromium binary (Debian: ``chromium``), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if found := shutil.which(name):
            return found
    return None


def _no_network_prefix() -> list[str]:
    """``unshare -n`` when this process may make a network namespace (root, unshare present, not
    forbidden by a container); else nothing (the proxy and DevTools' offline mode still apply)."""
    tool = shutil.which("unshare")
    if tool is None or os.geteuid() != 0:
        return []
    ok = subprocess.run([tool, "-n", "true"], capture_output=True).returncode == 0
    return [tool, "-n"] if ok else []


class Page:
    """One tab of a running Chromium: commands, the events they cause, and what failed to load."""

    def __init__(self, proc: subprocess.Popen[bytes], to_chrome: int, from_chrome: int) -> None:
        self.proc = proc
        self._out = to_chrome
        self._next_id = 0
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._replies: dict[int, dict[str, Any]] = {}
        self._urls: dict[str, str] = {}
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.events: list[dict[str, Any]] = []
        self.session = ""
        threading.Thread(target=self._reader, args=(from_chrome,), daemon=True).start()

    # -------------------------------------------------------------- protocol plumbing

    def _reader(self, fd: int) -> None:
        buf = b""
        with os.fdopen(fd, "rb", buffering=0) as src:
            while chunk := src.read(65536):
                buf += chunk
                *messages, buf = buf.split(b"\0")
                for m in messages:
                    self._inbox.put(json.loads(m))
        self._inbox.put(None)  # Chromium closed the pipe

    def _dispatch(self, msg: dict[str, Any]) -> None:
        if "id" in msg:
            self._replies[msg["id"]] = msg
            return
        self.events.append(msg)
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            self._urls[p["requestId"]] = p["request"]["url"]
        elif method == "Network.loadingFailed" and not p.get("canceled"):
            # A media element that stops fetching a file it already has is "canceled", not failed.
            self.failed_requests.append(f"{self._urls.get(p['requestId'], '?')} ({p.get('errorText')})")
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            self.console_errors.append(p["entry"].get("text", ""))
        elif method == "Runtime.exceptionThrown":
            self.console_errors.append(p["exceptionDetails"].get("text", "exception"))

    def _pump(self, deadline: float) -> None:
        try:
            msg = self._inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            return
        if msg is None:
            raise BrowserError(f"chromium exited (code {self.proc.poll()})")
        self._dispatch(msg)

    def send(self, method: str, timeout: float = 20.0, **params: Any) -> dict[str, Any]:
        """Send one DevTools command (to the page once attached) and return its result."""
        self._next_id += 1
        ident = self._next_id
        msg: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            if time.monotonic() > deadline:
                raise BrowserError(f"no answer to {method} in {timeout} s")
            self._pump(deadline)
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def wait_event(self, method: str, timeout: float = 20.0) -> dict[str, Any]:
        """The first event ``method`` (already received or arriving within ``timeout``)."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for ev in self.events[seen:]:
                if ev.get("method") == method:
                    self.events.remove(ev)
                    return ev.get("params", {})
            seen = len(self.events)
            if time.monotonic() > deadline:
                raise BrowserError(f"no {method} in {timeout} s")
            self._pump(deadline)

    def settle(self, seconds: float) -> None:
        """Keep receiving events for ``seconds`` (late requests, media loads)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._pump(deadline)

    # -------------------------------------------------------------- what tests use

    def goto(self, url: str, timeout: float = 30.0) -> None:
        """Load ``url`` and wait for its load event."""
        self.send("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired", timeout)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise BrowserError(
                f"{expression[:60]}: {d.get('exception', {}).get('description') or d.get('text')}"
            )
        return r["result"].get("value")

    def dom(self) -> str:
        """The page's current DOM as HTML (after scripts ran)."""
        return self.evaluate("document.documentElement.outerHTML")

    def press(self, key: str) -> None:
        """Press and release ``key`` (a DOM key name such as ``ArrowRight``) as a user would."""
        code = KEY_CODES.get(key, ord(key.upper()[0]) if len(key) == 1 else 0)
        common = {
            "key": key,
            "code": key if len(key) > 1 else f"Key{key.upper()}",
            "windowsVirtualKeyCode": code,
            "nativeVirtualKeyCode": code,
        }
        self.send("Input.dispatchKeyEvent", type="rawKeyDown", **common)
        if len(key) == 1:
            self.send("Input.dispatchKeyEvent", type="char", text=key, **common)
        self.send("Input.dispatchKeyEvent", type="keyUp", **common)

    def screenshot(self, path: Path) -> Path:
        """Save what the viewport shows as a PNG."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path


def _attach(page: Page, url: str, width: int, height: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        pages = [t for t in page.send("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        if pages:
            break
        if time.monotonic() > deadline:
            raise BrowserError("chromium opened no page")
        page.settle(0.1)
    page.session = page.send("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)[
        "sessionId"
    ]
    for domain in ("Page", "Network", "Runtime", "Log"):
        page.send(f"{domain}.enable")
    page.send(
        "Network.emulateNetworkConditions",
        offline=True,
        latency=0,
        downloadThroughput=-1,
        uploadThroughput=-1,
    )
    page.send(
        "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
    )
    page.goto(url)


@contextlib.contextmanager
def open_page(url: str, *, width: int = 1280, height: int = 720) -> Iterator[Page]:
    """Chromium showing ``url`` (loaded), offline; closed (and its profile deleted) on exit."""
    exe = chromium_path()
    if exe is None:
        raise BrowserError("chromium not found (Debian: apt-get install chromium)")
    profile = tempfile.mkdtemp(prefix="mfml-chromium-")
    cmd_r, cmd_w = os.pipe()  # we write commands, Chromium reads them on fd 3
    ev_r, ev_w = os.pipe()  # Chromium writes replies and events on fd 4, we read them

    def wire() -> None:
        """In the child, before exec: the pipe ends go to fds 3 and 4 (inheritable copies, via
        high numbers so an end that already sits on 3 or 4 is not overwritten first)."""
        os.dup2(cmd_r, 200)
        os.dup2(ev_w, 201)
        os.dup2(200, 3)
        os.dup2(201, 4)

    cmd = [
        *_no_network_prefix(),
        exe,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "about:blank",
    ]
    proc = subprocess.Popen(
        cmd,
        preexec_fn=wire,
        close_fds=False,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(cmd_r)
    os.close(ev_w)
    page = Page(proc, cmd_w, ev_r)
    try:
        _attach(page, url, width, height)
        yield page
    finally:
        with contextlib.suppress(OSError, BrowserError):
            page.send("Browser.close", timeout=5)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with contextlib.suppress(OSError):
            os.close(cmd_w)
        shutil.rmtree(profile, ignore_errors=True)
