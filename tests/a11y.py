"""Accessibility and HTML validity checks for browser tests: axe-core and the Nu HTML checker.

Both come from the npm registry, pinned in tools/node/package.json + package-lock.json and
installed by `make test` / .ci/run with `npm ci` into tools/node/node_modules (git-ignored):

- `axe_violations(page)` runs axe-core (WCAG 2.0/2.1 A and AA rules) in a Playwright page.
  The site's CSP allows no injected script, so pages checked with axe come from a context
  made by `a11y_context()` (Playwright's `bypass_csp`; the CSP itself is tested elsewhere).
- `Validator` collects the HTML of many pages and runs the Nu HTML checker (vnu-jar) ONCE
  over all of them in one java process: java starts slowly, a page takes milliseconds.

Without the tools (no java, no npm packages) the tests skip with the reason, except in CI
(CI=true), where a missing tool is a failure that says how to install it.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parent.parent / "tools" / "node" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INSTALL = "run `make node-tools` (npm ci in tools/node)"


def _missing(*paths, java=False):
    for path in paths:
        if not path.exists():
            return f"{path.relative_to(NODE_MODULES.parent.parent)} is missing: {INSTALL}"
    if java and shutil.which("java") is None:
        return "java is not installed (the Nu HTML checker needs it)"
    return None


def require(reason):
    """Skip (locally) or fail (in CI) when a tool is missing."""
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"accessibility checks are required in CI: {reason}")
        pytest.skip(reason)


def require_axe():
    require(_missing(AXE_JS))


def require_vnu():
    require(_missing(VNU_JAR, java=True))


def a11y_context(chromium, width, height):
    """A Chromium context at `width` × `height` in which axe-core may be injected."""
    return chromium.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, bypass_csp=True,
        is_mobile=width < 600, device_scale_factor=1,
    )


def axe_violations(page, tags=WCAG_AA):
    """axe-core's violations on the page as it is now: ["rule: target …", …]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


class Validator:
    """Collect pages' HTML with `add(name, html)`, then `errors()` checks them all at once."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="vnu-"))
        self.names = {}

    def add(self, name, html):
        safe = re.sub(r"[^\w-]+", "_", name)
        path = self.folder / f"{len(self.names):02d}-{safe}.html"
        path.write_text(html, encoding="utf-8")
        self.names[path.name] = name

    def errors(self):
        """{page name: ["line N: message", …]} for every page with an error."""
        done = subprocess.run(
            ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
             "--exit-zero-always", str(self.folder)],
            capture_output=True, text=True, timeout=300,
        )
        report = json.loads(done.stderr or done.stdout)  # vnu writes its report to stderr
        found = {}
        for message in report["messages"]:
            if message.get("type") != "error":
                continue
            name = self.names.get(Path(message.get("url", "")).name, message.get("url", "?"))
            found.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
        shutil.rmtree(self.folder, ignore_errors=True)
        return found
