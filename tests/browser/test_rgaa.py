"""RGAA 4.1 on the demo pages, with the keyboard only (no mouse event: the page counts them).

- 1.6/1.7: each popup's text (template or table, media alternatives, class) is in the list,
  the map's text alternative.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import TIMEOUT, open_map

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PAGES = [
    "chomage",
    "routes",
    "velo-chaleur",
    "velo-groupes",
    "velo-cercles",
    "fete",
    "patrimoine",
]

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
  const root = document.querySelector('section[data-umap-viewer]');
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
    section = open_map(page, f"{viz_demo.url}/{slug}/")
    buttons = section.locator("button[data-umap-feature]:not([hidden])")
    count = buttons.count()
    assert count > 0
    checked = 0
    for position in range(count):
        button = buttons.nth(position)
        key = button.get_attribute("data-umap-feature")
        button.press("Enter")
        popup = section.locator(f'.umap-popup[data-umap-feature="{key}"]')
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
        checked += 1
    assert checked == count
    assert page.evaluate("window.umapPointerEvents") == []
