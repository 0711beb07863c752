"""The browser tests of this folder drive Chromium with the fixtures of tests/browser (no
request leaves the machine, console errors and CSP violations are recorded)."""

from tests.browser.conftest import axe, browser, page, watch  # noqa: F401  (fixtures)
