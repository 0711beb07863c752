"""RGAA 4.1 on the demo pages, with the keyboard only (no mouse event: the page counts them).

- 1.6/1.7: each popup's text (template or table, media alternatives, class) is in the list,
  the map's text alternative.
- 3.1: each category differs by more than its colour.
- 12.8/10.7: the focus is never lost on <body> after a popup, a cluster or fullscreen; the
  rest of the page is inert in fullscreen; at 400 % zoom no control covers another.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.helpers import TIMEOUT, open_map, wait_until_ready
from tests.factories import root_page

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PAGES = [
    "chomage",
    "routes",
    "velo-chaleur",
    "velo-groupes",
    "velo-cercles",
    "fete",
    "patrimoine",
    "equipements-umap",
]
# The demo's other pages with maps (load_demo without its 100,000-point page; its home page
# has none): a location block and a map on one page, a page with a block, the map page and its
# English translation.
OTHER_DEMO_PAGES = ["mairie-et-travaux", "elections", "velo", "en/velo"]

COUNT_POINTER_EVENTS = """
window.umapPointerEvents = [];
for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown', 'pointerup', 'mousemove',
                    'pointermove', 'dblclick', 'contextmenu', 'wheel']) {
  window.addEventListener(type, (event) => {
    if (type === 'click' && event.detail === 0 && !event.pointerType) return;  // keyboard
    if (event.isTrusted) window.umapPointerEvents.push(type);
  }, true);
}
"""

# What the popup open now says, and what the list item of its feature says.
POPUP_AND_ITEM = """(key) => {
  const root = document;
  const popup = root.querySelector(`.umap-popup[data-umap-feature="${CSS.escape(key)}"]`);
  const item = root.querySelector(`[data-umap-feature-item="${CSS.escape(key)}"]`);
  if (!popup || !item) return null;
  const body = popup.querySelector('.umap-popup__body');
  // A table's caption is for screen readers in the popup; the list's items need none.
  if (body) body.querySelectorAll('caption').forEach((caption) => caption.remove());
  return {
    title: popup.querySelector('.umap-popup__title').innerText,
    body: body ? body.innerText : '',
    images: [...popup.querySelectorAll('img')].map((image) => image.alt),
    audio: [...popup.querySelectorAll('.umap-popup__audio figcaption')].map((c) => c.innerText),
    video: popup.querySelectorAll('[data-umap-video]').length,
    item: item.innerText,
    itemImages: [...item.querySelectorAll('img')].map((image) => image.alt),
    itemVideo: item.querySelectorAll('.umap-viewer__feature-video a').length,
  };
}"""


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def citizen(page):
    page.add_init_script(COUNT_POINTER_EVENTS)
    page.emulate_media(reduced_motion="reduce")
    return page


@pytest.mark.parametrize("slug", DEMO_PAGES)
def test_each_popup_says_nothing_the_list_does_not(citizen, viz_demo, slug):
    page = citizen
    open_map(page, f"{viz_demo.url}/{slug}/")
    check_every_popup_is_in_the_list(page)


@pytest.fixture
def full_demo(transactional_db, live_server):
    """The whole demo (load_demo), without its 100,000-point page."""
    root_page()
    call_command("load_demo", no_large=True, stdout=io.StringIO())
    return live_server


@pytest.mark.parametrize("path", OTHER_DEMO_PAGES)
def test_each_popup_of_the_other_demo_pages_is_in_the_list(citizen, full_demo, path):
    page = citizen
    page.goto(f"{full_demo.url}/{path}/")
    sections = page.locator("section[data-umap-viewer]")
    assert sections.count() >= 1
    for position in range(sections.count()):
        wait_until_ready(page, sections.nth(position))
    check_every_popup_is_in_the_list(page)


def check_every_popup_is_in_the_list(page) -> None:
    """Open each feature's popup from its "Voir sur la carte" button (keyboard): its title,
    text, image alternatives, audio titles and video are in the list item; Escape brings the
    focus back, never to <body>; no mouse event."""
    buttons = page.locator("section[data-umap-viewer] button[data-umap-feature]:not([hidden])")
    count = buttons.count()
    assert count > 0
    checked = 0
    for position in range(count):
        button = buttons.nth(position)
        key = button.get_attribute("data-umap-feature")
        button.press("Enter")
        popup = page.locator(f'.umap-popup[data-umap-feature="{key}"]')
        popup.first.wait_for(timeout=TIMEOUT)
        seen = page.evaluate(POPUP_AND_ITEM, key)
        item = words(seen["item"])
        assert words(seen["title"]) in item, key
        for line in seen["body"].splitlines():
            assert words(line) in item, (key, line, item)
        for alt in seen["images"]:
            assert alt in seen["itemImages"], (key, alt)
        for title in seen["audio"]:
            assert words(title) in item, (key, title)
        assert seen["itemVideo"] == seen["video"], key
        page.keyboard.press("Escape")
        assert not page.evaluate(FOCUS)["body"], key
        checked += 1
    assert checked == count
    assert page.evaluate("window.umapPointerEvents") == []


# How each feature of a categorized layer looks, without its colour: the marker's shape and
# symbol, or the dash of its line or outline; grouped by the feature's category.
CATEGORY_LOOKS = """async () => {
  const root = document.querySelector('section[data-umap-viewer]');
  const config = JSON.parse(document.getElementById(root.dataset.umapConfig).textContent);
  const found = [];
  for (const layer of config.layers) {
    const rep = layer.representation || {};
    if (rep.type !== 'categorized') continue;
    let data = layer.data;
    if (!data && layer.dataUrl) data = await (await fetch(layer.dataUrl)).json();
    const looks = {};
    data.features.forEach((feature, index) => {
      const value = String((feature.properties || {})[rep.field] ?? '').trim();
      const key = `${layer.id}:${index}`;
      const element = root.querySelector(`[data-umap-feature="${CSS.escape(key)}"]`);
      if (!element || !value) return;
      let look;
      if (element.classList.contains('umap-marker')) {
        const shape = [...element.classList].find((name) => name.startsWith('umap-marker--'));
        const text = element.querySelector('text');
        look = `marker ${shape} ${text ? text.textContent : ''}`;
      } else {
        look = `path ${element.getAttribute('stroke-dasharray') || 'solid'}`;
      }
      (looks[value] = looks[value] || new Set()).add(look);
    });
    found.push({
      layer: layer.name,
      categories: rep.categories.map((c) => c.value),
      looks: Object.fromEntries(Object.entries(looks).map(([k, v]) => [k, [...v]])),
    });
  }
  return found;
}"""

CATEGORIZED_PAGES = ["routes", "fete"]


@pytest.mark.parametrize("slug", CATEGORIZED_PAGES)
def test_each_category_differs_by_more_than_colour(citizen, viz_demo, slug):
    page = citizen
    open_map(page, f"{viz_demo.url}/{slug}/")
    layers = page.evaluate(CATEGORY_LOOKS)
    assert layers, "a categorized layer"
    for layer in layers:
        looks = layer["looks"]
        assert len(looks) >= 2, layer
        for value, seen in looks.items():
            assert len(seen) == 1, (layer["layer"], value, seen)  # one look per category
        signatures = [seen[0] for seen in looks.values()]
        assert len(set(signatures)) == len(signatures), looks  # and no two alike
    # The legend says the same in words and draws the same dashes.
    legend = page.locator("[data-umap-legends]")
    assert legend.count() == 1
    assert legend.locator(".umap-legend__entry").count() >= 2


# --- focus never lost ------------------------------------------------------------------------

FOCUS = """() => {
  const el = document.activeElement;
  return {
    body: !el || el === document.body || el === document.documentElement,
    feature: el && el.getAttribute('data-umap-feature'),
    cluster: el && el.getAttribute('data-umap-cluster'),
    className: el ? String(el.className) : '',
  };
}"""


def focus(page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def redraws(page) -> int:
    return page.evaluate("window.umapRedraws || 0")


def wait_for_redraw(page, before: int) -> None:
    page.wait_for_function("(n) => (window.umapRedraws || 0) > n", arg=before, timeout=TIMEOUT)


def test_focus_survives_cluster_redraws_popups_and_fullscreen(citizen, viz_demo):
    page = citizen
    # Pseudo-fullscreen, as in an iframe without allowfullscreen or on iOS.
    page.add_init_script(
        "Element.prototype.requestFullscreen = function () {"
        " return Promise.reject(new Error('refused')); };"
    )
    page.add_init_script(
        "document.addEventListener('umap:clustered', () => {"
        " window.umapRedraws = (window.umapRedraws || 0) + 1; });"
    )
    section = open_map(page, f"{viz_demo.url}/velo-groupes/")
    section.locator("[data-umap-cluster]").first.wait_for(timeout=TIMEOUT)

    # A cluster, by keyboard: it opens, the map keeps the focus.
    section.locator("[data-umap-map]").focus()
    before = redraws(page)
    tab_to(page, "[data-umap-cluster]")
    page.keyboard.press("Enter")
    wait_for_redraw(page, before)
    assert not focus(page)["body"]
    # Open clusters until single markers show.
    for _ in range(8):
        if section.locator(".umap-marker[data-umap-feature]").count():
            break
        before = redraws(page)
        section.locator("[data-umap-map]").focus()
        tab_to(page, "[data-umap-cluster]")
        page.keyboard.press("Enter")
        wait_for_redraw(page, before)
    key = section.locator(".umap-marker[data-umap-feature]").first.get_attribute(
        "data-umap-feature"
    )
    marker = section.locator(f'.umap-marker[data-umap-feature="{key}"]')
    # The focus on a marker survives the redraws that may still come (each gives the marker a
    # new element): it is on the feature's marker, not on <body>.

    # A popup opened from the marker; the map redraws its clusters meanwhile (the popup's pan,
    # here a nudge): Escape brings the focus to the feature's new marker, not to <body>.
    marker.focus()
    page.wait_for_timeout(400)
    assert focus(page)["feature"] == key
    page.keyboard.press("Enter")
    section.locator(f'.umap-popup[data-umap-feature="{key}"]').wait_for(
        state="attached", timeout=TIMEOUT
    )
    before = redraws(page)
    page.evaluate(
        "(id) => window.wagtailUmap.get(id).map.panBy([3, 3], {animate: false})",
        section.get_attribute("id"),
    )
    wait_for_redraw(page, before)
    page.keyboard.press("Escape")
    now = focus(page)
    assert not now["body"]
    assert now["feature"] == key

    # A popup opened from the list: back to the list's button, scrolled into view.
    button = section.locator(f'button[data-umap-feature="{key}"]')
    button.press("Enter")
    section.locator(f'.umap-popup[data-umap-feature="{key}"]').wait_for(timeout=TIMEOUT)
    page.keyboard.press("Escape")
    assert focus(page)["feature"] == key
    assert button.evaluate(
        "b => { const r = b.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )

    # Fullscreen (pseudo): the focus stays on its button, the page behind is inert; Escape
    # leaves it, the focus still there.
    section.locator(".leaflet-control-zoom-in").focus()
    tab_to(page, 'button[data-umap-control="fullscreen"]')
    page.keyboard.press("Enter")
    assert "umap-viewer--pseudo-fullscreen" in section.get_attribute("class")
    assert not focus(page)["body"]
    outside = page.evaluate(
        "(id) => [...document.body.querySelectorAll('a, button, input')]"
        ".filter(e => !document.getElementById(id).contains(e))"
        ".map(e => !!e.closest('[inert]'))",
        section.get_attribute("id"),
    )
    assert outside and all(outside)
    page.keyboard.press("Escape")
    assert "umap-viewer--pseudo-fullscreen" not in section.get_attribute("class")
    assert page.evaluate("document.querySelectorAll('[inert]').length") == 0
    assert page.evaluate("document.activeElement.getAttribute('data-umap-control')") == "fullscreen"
    assert page.evaluate("window.umapPointerEvents") == []


# --- 400 % zoom: nothing covers anything -------------------------------------------------------

CONTROL_BOXES = """() => {
  const map = document.querySelector('[data-umap-map]');
  const box = (el) => { const r = el.getBoundingClientRect();
    return {name: String(el.className).split(' ')[0], left: r.left, top: r.top, right: r.right,
            bottom: r.bottom}; };
  const controls = [...map.querySelectorAll('.leaflet-control')]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .map(box);
  return {map: box(map), controls};
}"""


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


@pytest.mark.parametrize("slug", ["chomage", "velo-groupes", "fete", "patrimoine"])
def test_at_400_percent_no_control_covers_another(citizen, viz_demo, slug):
    page = citizen
    page.set_viewport_size({"width": 320, "height": 225})  # 1280 × 900 at 400 %
    section = open_map(page, f"{viz_demo.url}/{slug}/")
    section.locator("[data-umap-map]").scroll_into_view_if_needed()
    boxes = page.evaluate(CONTROL_BOXES)
    controls = boxes["controls"]
    for position, first in enumerate(controls):
        for second in controls[position + 1 :]:
            assert not overlap(first, second), (slug, first, second)
        inside = boxes["map"]
        assert first["left"] >= inside["left"] and first["right"] <= inside["right"] + 0.5
        assert first["top"] >= inside["top"] and first["bottom"] <= inside["bottom"] + 0.5
    # A popup's last link, reached with Tab, is seen: nothing covers it (the attribution
    # was the culprit), even when the popup's content scrolls on so short a map.
    button = section.locator("button[data-umap-feature]:not([hidden])").first
    key = button.get_attribute("data-umap-feature")
    button.press("Enter")
    popup = section.locator(f'.umap-popup[data-umap-feature="{key}"]').first
    popup.wait_for(state="attached", timeout=TIMEOUT)
    tab_to(page, ".umap-popup__list-link", limit=10)
    covered = page.evaluate(
        """() => { const link = document.activeElement; const r = link.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const seen = hit && (hit === link || link.contains(hit));
        return seen ? null : String(hit && hit.className); }"""
    )
    assert covered is None, (slug, covered)


# --- clusters say where they are; the map pans without dragging --------------------------------

WHERE = {
    "nw": "nord-ouest",
    "n": "nord",
    "ne": "nord-est",
    "w": "ouest",
    "c": "centre",
    "e": "est",
    "sw": "sud-ouest",
    "s": "sud",
    "se": "sud-est",
}

# Where the focused element's centre is on the map: a third of its width and height each way.
FOCUSED_THIRD = """() => {
  const el = document.activeElement;
  const map = el.closest('[data-umap-map]').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const x = (box.left + box.right) / 2 - map.left, y = (box.top + box.bottom) / 2 - map.top;
  const column = x < map.width / 3 ? 'w' : x > map.width * 2 / 3 ? 'e' : '';
  const row = y < map.height / 3 ? 'n' : y > map.height * 2 / 3 ? 's' : '';
  return (row + column) || 'c';
}"""

CENTER = "(id) => { const c = window.wagtailUmap.get(id).map.getCenter(); return [c.lat, c.lng]; }"


def test_clusters_say_their_count_and_place_and_opening_one_says_what_shows(citizen, viz_demo):
    page = citizen
    section = open_map(page, f"{viz_demo.url}/velo-groupes/")
    section.locator("[data-umap-cluster]").first.wait_for(timeout=TIMEOUT)
    section.locator("[data-umap-map]").focus()
    tab_to(page, "[data-umap-cluster]")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    count = page.evaluate("document.activeElement.getAttribute('data-umap-cluster')")
    where = WHERE[page.evaluate(FOCUSED_THIRD)]
    # "17 280 lieux, nord-est de la carte": the count written in French, then where it is.
    shown_count = format(int(count), ",").replace(",", "\xa0") if int(count) >= 10000 else count
    assert name == f"{shown_count} lieux, {where} de la carte", name
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(id) => /^\\d[\\d\\u00a0]* lieux? affichés?$/.test("
        "document.querySelector(`#${id} [data-umap-status]`).textContent.trim())",
        arg=section.get_attribute("id"),
        timeout=TIMEOUT,
    )
    assert not focus(page)["body"]
    assert page.evaluate("window.umapPointerEvents") == []


def test_pan_buttons_move_the_map_by_keyboard(citizen, viz_demo, screenshot):
    page = citizen
    section = open_map(page, f"{viz_demo.url}/routes/")
    dom_id = section.get_attribute("id")
    pad = section.locator(".umap-pan")
    assert pad.get_attribute("role") == "group"
    assert pad.get_attribute("aria-label") == "Déplacer la carte"
    names = pad.locator("button").evaluate_all("(bs) => bs.map((b) => b.ariaLabel)")
    assert names == [
        "Déplacer la carte vers le nord",
        "Déplacer la carte vers l’ouest",
        "Déplacer la carte vers le sud",
        "Déplacer la carte vers l’est",
    ]
    section.locator(".leaflet-control-zoom-in").focus()
    tab_to(page, 'button[data-umap-control="panEast"]')
    screenshot(page, "viewer-pan-buttons")
    lat, lng = page.evaluate(CENTER, dom_id)
    page.keyboard.press("Enter")
    page.wait_for_function(f"(id) => ({CENTER})(id)[1] > {lng}", arg=dom_id, timeout=TIMEOUT)
    assert section.locator("[data-umap-status]").inner_text().strip() == "Carte déplacée."
    # Space works as on any button; north moves the centre north.
    section.locator(".leaflet-control-zoom-in").focus()
    tab_to(page, 'button[data-umap-control="panNorth"]')
    lat, lng = page.evaluate(CENTER, dom_id)
    page.keyboard.press(" ")
    page.wait_for_function(f"(id) => ({CENTER})(id)[0] > {lat}", arg=dom_id, timeout=TIMEOUT)
    assert not focus(page)["body"]
    assert page.evaluate("window.umapPointerEvents") == []
