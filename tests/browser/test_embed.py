"""Embeds in Chromium, on another local origin: a published map's embed view mounts inside a
partner's iframe; an ordinary page of the site refuses to be framed; the share screen's code,
pasted in a plain HTML page, shows the map. Nothing leaves the machine but (stubbed) tiles.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.browser.helpers import TIMEOUT, log_in_as_editor
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.models import MapPage

pytestmark = pytest.mark.django_db(transaction=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def partner(tmp_path):
    """A plain static site on another origin (127.0.0.1 and its own port): a partner's site."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def publish_page(name: str, body: str) -> str:
        (tmp_path / name).write_text(
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>Site partenaire</title></head><body><h1>Partenaire</h1>{body}</body></html>",
            encoding="utf-8",
        )
        return f"{origin}/{name}"

    publish_page.origin = origin
    yield publish_page
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_partner(settings, partner):
    """The site lists the partner among the origins that may frame its embeds."""
    settings.WAGTAIL_UMAP = {
        **settings.WAGTAIL_UMAP,
        "EMBED_FRAME_ANCESTORS": ["'self'", partner.origin],
    }


@pytest.fixture
def home(transactional_db):
    return make_home("accueil-embed")


@pytest.fixture
def schools(home):
    return make_map(
        "Écoles et parcs",
        layers=[
            layer("Écoles", point(2.35, 48.85, "École A"), point(2.36, 48.86, "École B")),
            layer("Parcs", point(2.37, 48.87, "Parc C")),
        ],
    )


def embed_iframe(src: str, title: str = "Carte des écoles") -> str:
    return f'<iframe src="{src}" title="{title}" width="800" height="600"></iframe>'


def test_embed_mounts_inside_a_partner_iframe(
    page, watch, live_server, partner, allow_partner, schools
):
    url = partner("carte.html", embed_iframe(f"{live_server.url}/cartes/{schools.pk}/embed/"))
    page.goto(url)
    frame = page.frame_locator("iframe")
    frame.locator("[data-umap-viewer][data-umap-state=ready]").wait_for(timeout=TIMEOUT)
    assert frame.locator(".umap-marker").count() == 3
    labels = {m.get_attribute("aria-label") for m in frame.locator(".umap-marker").all()}
    assert labels == {"École A", "École B", "Parc C"}
    assert frame.locator(".umap-viewer__feature").count() == 3  # the accessible list
    assert watch.tile_requests  # the basemap, stubbed
    watch.assert_clean()


def test_a_partner_not_listed_cannot_frame_the_embed(page, watch, live_server, partner, schools):
    # Default setting: 'self' and https: only; the partner is plain http on another origin.
    url = partner("carte.html", embed_iframe(f"{live_server.url}/cartes/{schools.pk}/embed/"))
    page.goto(url)
    page.wait_for_timeout(1500)
    assert not frame_shows_a_map(page)
    assert watch.outside_requests == []


def frame_shows_a_map(page) -> bool:
    for frame in page.frames[1:]:
        try:
            if frame.locator("[data-umap-viewer]").count():
                return True
        except Exception:  # an error frame (chrome-error://) may refuse scripting
            continue
    return False


def test_site_pages_refuse_framing_while_the_embed_works(
    page, watch, live_server, partner, allow_partner, home, schools
):
    map_page = home.add_child(instance=MapPage(title="Écoles", slug="ecoles", map=schools))
    map_page.save_revision().publish()
    url = partner(
        "deux.html",
        embed_iframe(f"{live_server.url}/cartes/{schools.pk}/embed/", "Intégration")
        + embed_iframe(f"{live_server.url}/ecoles/", "Page du site"),
    )
    page.goto(url)
    # The embed mounts: by then the other frame had all the time it needed.
    page.frame_locator('iframe[title="Intégration"]').locator("[data-umap-state=ready]").wait_for(
        timeout=TIMEOUT
    )
    page.wait_for_timeout(500)
    blocked = page.frame_locator('iframe[title="Page du site"]')
    assert blocked.locator("[data-umap-viewer]").count() == 0
    assert blocked.locator(".site-header").count() == 0  # the page's own content never rendered
    frame = page.locator('iframe[title="Page du site"]').element_handle().content_frame()
    assert frame.url.startswith("chrome-error:") or frame.url == "about:blank", frame.url
    assert watch.outside_requests == []


def test_share_screen_code_pasted_in_a_plain_page_shows_the_map(
    page, watch, live_server, partner, allow_partner, django_user_model, schools, screenshot
):
    share_url = f"/admin/snippets/wagtail_umap/map/share/{schools.pk}/"
    log_in_as_editor(page, live_server, django_user_model, share_url)

    code = page.locator("#umap-share-code")
    initial = code.input_value()
    # The editor hides the parks and the scale, and sets a height: the code follows.
    page.get_by_label("Parcs").uncheck()
    page.locator("#umap-share-height").fill("450")
    page.locator("#umap-share-height").dispatch_event("input")
    written = code.input_value()
    assert written != initial
    assert f"/cartes/{schools.pk}/embed/?layers=" in written
    assert 'title="Écoles et parcs"' in written and 'height="450"' in written
    # The preview follows too.
    preview = page.frame_locator(".umap-share__preview iframe")
    preview.locator("[data-umap-state=ready]").wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "() => document.querySelector('.umap-share__preview iframe').src.includes('layers=')",
        timeout=TIMEOUT,
    )
    page.get_by_role("button", name="Copier").wait_for(timeout=TIMEOUT)
    page.locator("#umap-share-code").focus()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(800)
    screenshot(page, "share-panel")

    pasted = partner("colle.html", written)
    page.goto(pasted)
    frame = page.frame_locator("iframe")
    frame.locator("[data-umap-viewer][data-umap-state=ready]").wait_for(timeout=TIMEOUT)
    # Only the schools are on the map; the list still names every feature.
    assert frame.locator(".umap-marker").count() == 2
    assert frame.locator(".umap-viewer__feature").count() == 3
    assert page.locator("iframe").get_attribute("title") == "Écoles et parcs"
    assert watch.outside_requests == []
