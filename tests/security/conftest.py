"""The browser tests of this folder use the fixtures of tests/browser/fixtures.py (no request
leaves the machine, console errors and CSP violations are recorded), through tests/conftest.py."""
