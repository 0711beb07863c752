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
