#!/usr/bin/python3
"""browser_check.py — opens a static HTML page in headless Chromium and checks it as a reader would.

usage: browser_check.py PAGE.html [--screenshot OUT.png] [--width 1280] [--height 1400]
                        [--timeout 60] [--chromium /usr/bin/chromium]

Fails (exit 1, one line per problem on stderr) on:
  - a JavaScript error (an uncaught exception, or console.error),
  - a resource that failed to load (Network.loadingFailed) or an image that did not decode
    (complete but naturalWidth 0),
  - an in-page anchor (href="#x") whose target id does not exist,
  - any request that leaves the page's own folder tree (the report must stay static: no server,
    no network).
Exit 2: bad arguments, or Chromium missing / not answering within the timeout.

How: Chromium's DevTools protocol over a pipe (--remote-debugging-pipe: commands on fd 3, answers
on fd 4, NUL-separated JSON), so nothing beyond the standard library and Debian's chromium is
needed. Chromium runs in its own process group, which is ended (SIGTERM, then SIGKILL) when the
check is done or times out: exactly what this script started, nothing else.
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Browser:
    """One headless Chromium spoken to over --remote-debugging-pipe."""

    def __init__(self, exe, timeout):
        self.deadline = time.monotonic() + timeout
        self.profile = tempfile.mkdtemp(prefix="mc-chromium-")
        r_cmd, w_cmd = os.pipe()  # we write commands -> chromium reads fd 3
        r_ans, w_ans = os.pipe()  # chromium writes answers on fd 4 -> we read
        args = [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--allow-file-access-from-files", "--remote-debugging-pipe",
                "--user-data-dir=" + self.profile, "about:blank"]

        def child_fds():  # in the child: copies first, since a pipe end may already be 3 or 4
            a, b = os.dup(r_cmd), os.dup(w_ans)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        # close_fds=False: subprocess would close the dup2'd 3 and 4 after preexec_fn; the pipes'
        # own descriptors are non-inheritable, so only 0-4 reach Chromium.
        self.proc = subprocess.Popen(args, preexec_fn=child_fds,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=(None if os.environ.get("MC_BROWSER_DEBUG") else subprocess.DEVNULL), start_new_session=True,
                                     close_fds=False)
        os.close(r_cmd)
        os.close(w_ans)
        self.w = w_cmd
        self.r = r_ans
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            os.close(self.w)
        except OSError:
            pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the group we started, by its pid
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        # Chromium's helpers (zygote, renderers) share its process group: wait for them to go,
        # then end whatever of that group is left.
        end = time.monotonic() + 5
        while True:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                break
            if time.monotonic() > end:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                break
            time.sleep(0.05)
        try:
            os.close(self.r)
        except OSError:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self):
        import select
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                raise ConnectionError("Chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None):
        """Sends one command and returns its result; events seen meanwhile are kept."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"].get("message")))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session):
        """Returns the first event `method` of `session` (kept events first)."""
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            m = self._read_message()
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def drain(self, seconds):
        """Keeps reading events for a short while (late errors, late image loads)."""
        import select
        end = min(time.monotonic() + seconds, self.deadline)
        while time.monotonic() < end:
            ready, _, _ = select.select([self.r], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                break
            self.buf += chunk
            while b"\0" in self.buf:
                msg, self.buf = self.buf.split(b"\0", 1)
                self.events.append(json.loads(msg))


CHECK_JS = r"""
(() => {
  const out = {broken: [], anchors: [], height: document.documentElement.scrollHeight};
  for (const img of document.images)
    if (!img.complete || img.naturalWidth === 0) out.broken.push(img.getAttribute('src'));
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (id && !document.getElementById(id)) out.anchors.push(a.getAttribute('href'));
  }
  return JSON.stringify(out);
})()
"""


def check(page, shot, width, height, exe, timeout):
    problems = []
    url = "file://" + os.path.abspath(page)
    root = "file://" + os.path.dirname(os.path.abspath(page)) + "/"
    b = Browser(exe, timeout)
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
               session=s)
        b.send("Page.navigate", {"url": url}, session=s)
        b.wait_event("Page.loadEventFired", s)
        b.drain(0.5)
        res = b.send("Runtime.evaluate", {"expression": CHECK_JS, "returnByValue": True},
                     session=s)
        found = json.loads(res["result"]["value"])
        for src in found["broken"]:
            problems.append("broken image: %s" % src)
        for href in found["anchors"]:
            problems.append("anchor leads nowhere: %s" % href)
        if shot:
            png = b.send("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
            with open(shot, "wb") as f:
                f.write(base64.b64decode(png))
        b.drain(0.2)
        for e in b.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                text = d.get("exception", {}).get("description") or d.get("text", "")
                problems.append("JavaScript error: %s" % text.splitlines()[0] if text else
                                "JavaScript error")
            elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
                args = " ".join(str(a.get("value", a.get("description", ""))) for a in
                                p.get("args", []))
                problems.append("console.error: %s" % args)
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                problems.append("browser error: %s" % p["entry"].get("text", ""))
            elif m == "Network.requestWillBeSent":
                req = p.get("request", {}).get("url", "")
                if not (req.startswith(root) or req.startswith("data:") or req == "about:blank"):
                    problems.append("request outside the report: %s" % req)
            elif m == "Network.loadingFailed":
                problems.append("failed to load: %s (%s)" % (p.get("requestId"),
                                                             p.get("errorText", "")))
        return problems, found["height"]
    finally:
        b.close()


def main():
    ap = argparse.ArgumentParser(description="check a static HTML page in headless Chromium")
    ap.add_argument("page")
    ap.add_argument("--screenshot")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1400)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    a = ap.parse_args()
    if not os.path.isfile(a.page):
        print("browser_check: %s: no such file" % a.page, file=sys.stderr)
        return 2
    if not os.access(a.chromium, os.X_OK):
        print("browser_check: Chromium not found at %s (Debian package chromium)" % a.chromium,
              file=sys.stderr)
        return 2
    try:
        problems, height = check(a.page, a.screenshot, a.width, a.height, a.chromium, a.timeout)
    except (TimeoutError, ConnectionError, RuntimeError) as e:
        print("browser_check: %s" % e, file=sys.stderr)
        return 2
    for p in problems:
        print("browser_check: %s" % p, file=sys.stderr)
    print("browser_check: %s: %d problem(s), page height %d px%s" %
          (a.page, len(problems), height, ", screenshot " + a.screenshot if a.screenshot else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
