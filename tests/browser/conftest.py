"""Browser tests: the app served on 127.0.0.1 by a real HTTP server, driven in Debian's Chromium.

The server runs in this process on the test's database and frozen clock, so a test can set up a case
through the service layer and then look at it through the browser.  Every test saves a screenshot
in test-artifacts/screenshots/; ``axe_check`` runs axe-core (from npm) in the page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers import make_user

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SAGSFLOW_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"  # never served by the app: Playwright fulfils it in axe_check
AXE_URL_GLOB = f"**{AXE_URL}"
VENDOR = ROOT / "src" / "web" / "static" / "vendor"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium findes ikke på {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists() or not VENDOR.exists():
        return "Browser-aktiverne mangler (bash scripts/assets.sh)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if reason := _browser_missing():
        if os.environ.get("SAGSFLOW_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser, live_server, request) -> Iterator:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A script or style the Content-Security-Policy blocked would be a broken page: fail the test on it.
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript-fejl i siden: {errors}"


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "karen", "faglig_konsulent", team=None)
    make_user(services, "lars", "leder", team=None)
    make_user(services, "pia", "procesejer", team=None)


def log_in(page, username: str, password: str = "korrekt-hest-1") -> None:
    page.goto("/log-ind")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/log-ind" not in url)


def axe_check(page, name: str) -> None:
    """axe-core's WCAG 2.0/2.1 A and AA rules: no serious or critical violation may remain.

    axe is loaded from a same-origin URL that Playwright answers, as the pages allow no inline script."""
    page.route(AXE_URL_GLOB, lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"))
    # A click that navigates returns once the new page has committed; a script added before it has loaded
    # can be dropped with the old document.  Wait for the page, and add axe again if it was dropped.
    from playwright.sync_api import Error as PlaywrightError

    page.wait_for_load_state("load")
    try:
        page.add_script_tag(url=AXE_URL)
    except PlaywrightError:
        page.wait_for_load_state("load")
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'] })"""
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe-core på {name}: " + "; ".join(bad)


def snap(page, name: str) -> None:
    """A screenshot of a moment inside a test (the fixture saves the final state too)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fits_width(page) -> bool:
    """No horizontal scrolling: the page works at this window width."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


__all__ = ["log_in", "axe_check", "fits_width", "snap"]
