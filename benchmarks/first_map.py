"""A newcomer's first map, from the login to a published public page, counted.

A script, not a test. The "Fête de la musique" path of issue 19, through the UI only, in
headless Chromium (Playwright, /usr/bin/chromium), on the example site's settings with a fresh
SQLite database and a live server in a thread:

1. log in (the admin's login page, then the dashboard);
2. on the dashboard, "Créer une carte" → the "Événement : lieux avec photo" starting point;
3. a title and a summary, then 3 places: each a marker on the map, its name, a one-line
   description and a photo from the computer (the place panel's "Choisir une image sur votre
   ordinateur" is the file field: the photo is sent as soon as it is chosen); the marker tool
   stays on from one place to the next;
4. "Publier" (the main button), which goes on to "Mettre cette carte sur une page";
5. "Publier la page": the public page opens with the map.

It counts what the newcomer does: page loads (each "load" of the main frame, redirects
followed), clicks (mouse clicks; choosing the file counts as one), typed fields, and distinct
screens (the admin's screens, the chooser's modal, the public page).

    python benchmarks/first_map.py [--chromium /usr/bin/chromium] [--headed]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "agent", "mot-de-passe-agent"
TIMEOUT = 30_000
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
PLACES = [
    ("Scène du kiosque", "Fanfares de 18 h à 20 h.", (0.35, 0.4)),
    ("Place de l’église", "Chorales et rock à partir de 20 h.", (0.55, 0.55)),
    ("Parvis de la mairie", "DJ jusqu’à minuit.", (0.45, 0.7)),
]


@dataclass
class Tally:
    loads: int = 0
    clicks: int = 0
    typed: int = 0
    screens: list[str] = field(default_factory=list)

    def screen(self, name: str) -> None:
        if name not in self.screens:
            self.screens.append(name)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    database = Path(tempfile.mkdtemp()) / "first-map.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="first-map-media-")
    call_command("migrate", verbosity=0)


def start_server() -> tuple[str, object]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(StaticFilesHandler(get_wsgi_application()))  # media: the DEBUG URLs
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def photos() -> list[Path]:
    """Three small JPEG photos, as a phone would give (one colour each)."""
    from PIL import Image

    folder = Path(tempfile.mkdtemp(prefix="first-map-photos-"))
    paths = []
    for number, colour in enumerate([(200, 80, 40), (40, 120, 200), (60, 160, 80)], start=1):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 600), colour).save(buffer, "JPEG")
        path = folder / f"scene-{number}.jpg"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def route(route_):
    host = route_.request.url.split("/")[2].split(":")[0]
    if host in ("127.0.0.1", "localhost"):
        route_.continue_()
    else:  # tiles: a blank image; nothing else leaves the machine
        route_.fulfill(status=200, content_type="image/png", body=BLANK_TILE)


def run(page, base: str, tally: Tally) -> str:
    def click(locator) -> None:
        tally.clicks += 1
        locator.click()

    def typed(locator, text: str) -> None:
        tally.typed += 1
        locator.fill(text)

    # 1. Log in.
    page.goto(f"{base}/admin/")
    tally.screen("login")
    typed(page.locator("input[name=username]"), USERNAME)
    typed(page.locator("input[name=password]"), PASSWORD)
    click(page.locator("form button[type=submit]"))
    page.wait_for_url(f"{base}/admin/", timeout=TIMEOUT)
    tally.screen("dashboard")

    # 2. "Créer une carte" on the dashboard: the event's starting point.
    click(page.get_by_role("link", name="Événement : lieux avec photo"))
    page.locator(".umap-editor[data-umap-editor-state=ready]").wait_for(timeout=TIMEOUT)
    tally.screen("map editor")
    typed(page.get_by_role("textbox", name="Titre"), "Fête de la musique")
    typed(
        page.get_by_role("textbox", name="Résumé"),
        "Les scènes de la Fête de la musique, le 21 juin.",
    )

    # 3. Three places, each with a name, a one-line description and a photo.
    editor_map = page.locator(".umap-editor__map")
    tool = page.get_by_role("button", name="Ajouter un marqueur", exact=False).first
    for (name, description, (x, y)), photo in zip(PLACES, photos(), strict=True):
        if tool.get_attribute("aria-pressed") != "true":  # the tool stays on after a place
            click(tool)
        editor_map.scroll_into_view_if_needed()
        box = editor_map.bounding_box()
        tally.clicks += 1
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        panel = page.locator(".umap-editor__feature")
        name_field = panel.get_by_label("Nom", exact=True)
        name_field.wait_for(timeout=TIMEOUT)
        tally.typed += 1
        page.keyboard.type(name)  # the new place's name field has the focus
        name_field.press("Tab")
        click(panel.locator("[data-focus-key=feature-description]"))
        tally.typed += 1
        page.keyboard.type(description)
        # "Choisir une image sur votre ordinateur", then the file in the system's dialog: one
        # click, as "Choisir un fichier" and the file were in Wagtail's upload tab. The photo
        # is sent at once (no "Transférer").
        tally.clicks += 1
        panel.get_by_label("Choisir une image sur votre ordinateur").set_input_files(str(photo))
        panel.locator(".umap-media__chosen", has_text=photo.stem).wait_for(timeout=TIMEOUT)

    # 4. Publish: the next step, "Mettre cette carte sur une page", comes at once.
    with page.expect_navigation(timeout=TIMEOUT):
        click(page.locator("footer button[name=action-publish]"))
    page.get_by_label("Titre de la page").wait_for(timeout=TIMEOUT)
    tally.screen("put the map on a page")

    # 5. Publish the page: the public page opens with the map.
    with page.expect_navigation(timeout=TIMEOUT):
        click(page.get_by_role("button", name="Publier la page"))
    page.locator("section[data-umap-viewer][data-umap-state=ready]").wait_for(timeout=TIMEOUT)
    tally.screen("public page")
    return page.url


def check(url: str) -> None:
    """The public page is published and shows the map's three places, each with its photo."""
    from wagtail_umap.models import Map, MapPage

    map_page = MapPage.objects.get()
    map_ = Map.objects.get()
    assert map_page.live and map_.live and map_page.map_id == map_.pk, "not published"
    features = map_.full_document()["layers"][0]["features"]
    assert [f["properties"]["name"] for f in features] == [name for name, _, _ in PLACES]
    assert all(f["properties"]["_media"]["image"]["id"] for f in features), "a photo is missing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--headed", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    get_user_model().objects.create_superuser(USERNAME, "agent@example.org", PASSWORD)
    base, server = start_server()
    tally = Tally()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium,
            headless=not args.headed,
            args=["--no-sandbox", "--disable-gpu"],
        )
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        context.route("**/*", route)
        page = context.new_page()
        page.on("load", lambda _page: setattr(tally, "loads", tally.loads + 1))
        page.on("pageerror", lambda error: print("page error:", error, file=sys.stderr))
        page.on(
            "console",
            lambda m: print("console:", m.text, file=sys.stderr) if m.type == "error" else None,
        )
        try:
            url = run(page, base, tally)
        except Exception:
            page.screenshot(path=os.path.join(tempfile.gettempdir(), "first-map-failure.png"))
            raise
        browser.close()
    server.shutdown()
    check(url)
    print(f"Published at {url.replace(base, '')}")
    print("\n| | wagtail-umap |\n|---|---:|")
    print(f"| page loads | {tally.loads} |")
    print(f"| clicks | {tally.clicks} |")
    print(f"| typed fields | {tally.typed} |")
    print(f"| distinct screens | {len(tally.screens)} ({', '.join(tally.screens)}) |")


if __name__ == "__main__":
    main()
