#!/usr/bin/env python3
"""report.html in a real browser: headless Chromium loads it from disk.

Runs `polku run` on the shipped SampleData and on a hostile corpus (page paths and event
names that are markup, `javascript:` and `data:` URLs, a right-to-left override), opens
each report in headless Chromium over the DevTools protocol (`--remote-debugging-pipe`,
Python's standard library only) and checks what renders: the Sankey's bands, the churn
bars, the funnels, the style sheet applied (its CSP hash accepted), no console error or
CSP violation, no request but the page itself, no script of the data run and the hostile
names shown as text. Saves a screenshot (`--screenshot PATH`, e.g. docs/report.png).

    POLKU=.build/release/polku python3 Tests/Report/test_report_browser.py [--screenshot PATH]
"""
import argparse
import base64
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Browser:
    """Chromium driven over --remote-debugging-pipe (NUL-terminated JSON on fds 3 and 4)."""

    def __init__(self, profile):
        # Debian's /usr/bin/chromium is a wrapper script; run the browser itself.
        exe = next((p for p in ("/usr/lib/chromium/chromium",) if os.access(p, os.X_OK)),
                   shutil.which("chromium") or shutil.which("chromium-browser"))
        if not exe:
            sys.exit("test_report_browser: no chromium (apt-get install chromium)")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():
            # Through high numbers first: a pipe end may itself be fd 3 or 4.
            high_r, high_w = os.dup(to_child_r) + 100, os.dup(from_child_w) + 100
            os.dup2(to_child_r, high_r)
            os.dup2(from_child_w, high_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            close_fds=False, preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile + ".log"), "wb"))
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def open_page(browser, path):
    """Loads `path`; returns the session, the requests and the console errors seen."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send(
        "Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Network", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": 1100, "height": 1400, "deviceScaleFactor": 1, "mobile": False},
                 session=session)
    browser.events.clear()
    url = "file://" + os.path.abspath(path)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired")
    # Anything late (a lazy request, an error) has a moment to show up.
    evaluate(browser, session, "new Promise(r => setTimeout(r, 300))", wait=True)
    requests = [e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"]
    errors = []
    for e in browser.events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning"):
            errors.append(json.dumps(params.get("args")))
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            errors.append(params["entry"].get("text"))
    return session, url, requests, errors


def evaluate(browser, session, expression, wait=False):
    result = browser.send("Runtime.evaluate",
                          {"expression": expression, "returnByValue": True,
                           "awaitPromise": wait}, session=session)
    if "exceptionDetails" in result:
        raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
    return result["result"].get("value")


def run_polku(polku, pipeline, out, inputs):
    subprocess.run([polku, "run", "--pipeline", pipeline, "--out", out, "--quiet", *inputs],
                   check=True)


def hostile_corpus(folder):
    """Segment events whose page paths and event names are markup and URLs."""
    names = ["/<script>alert(1)</script>", '/"><img src=x onerror=alert(1)>',
             "/javascript:alert(1)", "/data:text/html,<script>alert(1)</script>",
             "/a\u202egpj.exe", "/x</script><script>alert(2)</script>", "/" + "w" * 10_000]
    os.makedirs(folder)
    with gzip.open(os.path.join(folder, "hostile.jsonl.gz"), "wt", encoding="utf-8") as f:
        for visitor in range(30):
            for step, page in enumerate(names + names):
                f.write(json.dumps({
                    "type": "page", "anonymousId": f"a{visitor}", "messageId": f"m{visitor}-{step}",
                    "timestamp": f"2026-11-01T10:{step:02d}:00Z",
                    "context": {"page": {"path": page}}}) + "\n")
            f.write(json.dumps({
                "type": "track", "event": "<script>alert(3)</script>",
                "anonymousId": f"a{visitor}", "userId": f"<b>u{visitor}</b>",
                "messageId": f"t{visitor}", "timestamp": "2026-11-01T10:30:00Z"}) + "\n")
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshot", help="also save the sample report's screenshot here")
    args = parser.parse_args()
    polku = os.path.abspath(os.environ.get("POLKU", os.path.join(ROOT, ".build/release/polku")))
    failures = []

    def check(condition, what):
        print(("  ok   " if condition else "  FAIL ") + what)
        if not condition:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="polku-report-browser-") as tmp:
        sample = os.path.join(tmp, "sample")
        run_polku(polku, os.path.join(ROOT, "Pipelines/omnichannel.json"), sample,
                  [os.path.join(ROOT, "SampleData/segment"),
                   os.path.join(ROOT, "SampleData/touchpoints")])
        hostile_in = os.path.join(tmp, "hostile-in")
        names = hostile_corpus(hostile_in)
        hostile = os.path.join(tmp, "hostile")
        run_polku(polku, os.path.join(ROOT, "Pipelines/segment-web.json"), hostile, [hostile_in])

        control = os.path.join(tmp, "control.html")
        with open(control, "w") as f:
            f.write("<!DOCTYPE html><img src='http://127.0.0.1:9/x.png'>"
                    "<script>console.error('control')</script>")
        browser = Browser(os.path.join(tmp, "profile"))
        try:
            print("control page (the checks below can fail):")
            _, url, requests, errors = open_page(browser, control)
            check(len(requests) > 1, "a request the page makes is seen")
            check(errors != [], "a console error is seen")
            print("sample report:")
            session, url, requests, errors = open_page(browser, f"{sample}/report.html")
            check(requests == [url], f"no request but the page itself (saw {requests})")
            check(errors == [], f"no console error or CSP violation (saw {errors})")
            with open(os.path.join(sample, "transitions.csv")) as f:
                rows = f.read().splitlines()[1:]
            total = sum(int(line.rsplit(",", 2)[1]) for line in rows)
            bands = evaluate(browser, session,
                             "[...document.querySelectorAll('svg.sankey path.band')]"
                             ".map(p => [+p.dataset.count, p.getBBox().height > 0])")
            check(len(bands) > 10 and all(visible for _, visible in bands),
                  f"the Sankey's bands render ({len(bands)})")
            check(sum(count for count, _ in bands) == total,
                  f"the bands add up to transitions.csv's {total}")
            data = json.loads(evaluate(browser, session,
                                       "document.getElementById('polku-data').textContent"))
            check(data["sankey"]["total"] == total, "the data block's total")
            check(evaluate(browser, session,
                           "document.querySelectorAll('#churn svg.bars > g').length") == 3,
                  "the churn section shows its three bands")
            check(evaluate(browser, session,
                           "document.querySelectorAll('#funnels svg.bars > g').length") == 7,
                  "the funnels show their 7 steps (funnels.csv rows)")
            check(evaluate(browser, session,
                           "getComputedStyle(document.querySelector('.card'))"
                           ".backgroundColor") not in ("rgba(0, 0, 0, 0)", None),
                  "the style sheet applies (its CSP hash is accepted)")
            check(evaluate(browser, session, "document.scripts.length") == 1,
                  "one script element: the JSON data block")
            if args.screenshot:
                shot = browser.send("Page.captureScreenshot",
                                    {"format": "png", "clip": {"x": 0, "y": 0, "width": 1100,
                                                               "height": 1400, "scale": 0.6}},
                                    session=session)
                with open(args.screenshot, "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
                print(f"  screenshot: {args.screenshot}")

            print("hostile report:")
            session, url, requests, errors = open_page(browser, f"{hostile}/report.html")
            check(requests == [url], f"no request but the page itself (saw {requests})")
            check(errors == [], f"no console error or CSP violation (saw {errors})")
            check(evaluate(browser, session, "document.querySelectorAll('img').length") == 0,
                  "no <img> from the data")
            check(evaluate(browser, session, "document.scripts.length") == 1,
                  "no script element from the data")
            check(evaluate(browser, session,
                           "document.querySelectorAll('[onerror],[onload],[href],[src]').length")
                  == 0, "no handler, link or source attribute")
            text = evaluate(browser, session, "document.body.innerText")
            for name in names[:2] + ["<script>alert(3)</script>"]:
                check(name in text, f"shown as text: {name[:40]}")
            check("\u202e" not in text and "[U+202E]" in text,
                  "the right-to-left override is shown as a mark")
            data = json.loads(evaluate(browser, session,
                                       "document.getElementById('polku-data').textContent"))
            labels = {node["label"] for node in data["sankey"]["sources"]}
            check(names[0] in labels and names[5] in labels,
                  "the data block holds the hostile names unchanged")
            size = os.path.getsize(f"{hostile}/report.html")
            check(size < 2_000_000, f"report size {size} bytes")
        finally:
            browser.close()
    if failures:
        sys.exit(f"test_report_browser: {len(failures)} failure(s)")
    print("test_report_browser: all passed")


if __name__ == "__main__":
    main()
