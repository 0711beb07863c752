"""Shared by the data-visualisation browser tests: the demo's data-visualisation pages, built
by the same code as `load_demo` (example_site/home/demo.py), without the rest of the demo."""

from __future__ import annotations

import pytest

from example_site.home.demo import add_viz_pages
from example_site.home.management.commands.load_demo import Command
from tests.factories import make_home

TIMEOUT = 10_000


@pytest.fixture
def viz_demo(transactional_db, live_server):
    """The live server, with the pages /chomage/, /routes/, /velo-chaleur/, /velo-groupes/,
    /velo-cercles/, /fete/ and /patrimoine/ published."""
    home = make_home("accueil")
    add_viz_pages(home, Command().publish_map)
    return live_server


def open_map(page, url: str):
    page.goto(url)
    section = page.locator("section[data-umap-viewer]").first
    section.and_(page.locator("[data-umap-state=ready]")).wait_for(timeout=TIMEOUT)
    return section


def status_text(section) -> str:
    return section.locator("[data-umap-status]").inner_text().strip()
