"""What browser tests do again and again, in one place: log into the admin, wait for the map
editor, save a draft or publish through Wagtail's footer, open a public map and wait until its
viewer is ready."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

TIMEOUT = 10_000
USERNAME, PASSWORD = "redactrice", "mot-de-passe"
MAP_ADD_URL = "/admin/snippets/wagtail_umap/map/add/"
EDITOR_READY = ".umap-editor[data-umap-editor-state=ready]"
MAP_EDIT_URL = re.compile(r"/admin/snippets/wagtail_umap/map/edit/\d+/")
# Where a publish lands: the map list, or “Put this map on a page” for a map on no page.
MAP_PUBLISHED_URL = re.compile(r"/admin/snippets/wagtail_umap/map/((\?.*)?|place/\d+/)$")


# --- the admin ----------------------------------------------------------------------------


def log_in(
    page,
    live_server,
    next_url: str,
    username=USERNAME,
    password=PASSWORD,
    keyboard: bool = False,
    admin: str = "/admin",
) -> None:
    """Log in through Wagtail's login form (at ``admin``, the admin's path) and land on
    ``next_url``; with ``keyboard``, the form is sent with Enter, no pointer event."""
    page.goto(f"{live_server.url}{admin}/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    if keyboard:
        page.locator("input[name=password]").press("Enter")
    else:
        page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**{next_url}", timeout=TIMEOUT)


def log_in_as_editor(
    page, live_server, django_user_model, next_url: str, keyboard: bool = False
) -> None:
    """A new superuser, logged in on ``next_url`` (by keyboard only with ``keyboard``)."""
    django_user_model.objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    log_in(page, live_server, next_url, keyboard=keyboard)


def log_in_by_keyboard(page, live_server, django_user_model, next_url: str) -> None:
    """A new superuser, logged in on ``next_url`` with the keyboard only."""
    log_in_as_editor(page, live_server, django_user_model, next_url, keyboard=True)


def wait_for_editor(page, timeout: int = TIMEOUT) -> None:
    page.locator(EDITOR_READY).wait_for(timeout=timeout)


def open_map_editor(page, live_server, django_user_model, map_) -> None:
    """A new superuser, logged in on ``map_``'s edit view, once its editor is ready."""
    log_in_as_editor(
        page, live_server, django_user_model, f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/"
    )
    wait_for_editor(page)


def hidden_document(page) -> dict:
    """What Wagtail's form would post: the hidden document field the editor writes."""
    return json.loads(page.locator("input[name=document]").input_value())


def wait_for_autosave_idle(page) -> None:
    """Wait until Wagtail's autosave (when the site has it) is not saving: a late autosave of
    older content landing after a save or a publish would be refused."""
    if page.locator(".w-autosave-indicator").count():
        page.wait_for_timeout(1500)  # an autosave due now has started
        saving = page.locator(".w-autosave-indicator__state--saving")
        if saving.count():
            saving.wait_for(state="hidden", timeout=TIMEOUT)


def save_draft(page) -> None:
    """Click "Save draft" once Wagtail's autosave is idle (a late autosave of older content
    would otherwise land after the draft), and wait for the edit view's editor."""
    wait_for_autosave_idle(page)
    page.locator("button[name=action-publish]").wait_for(state="attached")
    if saved_in_place(page, save_draft_button(page), TIMEOUT) is None:
        page.wait_for_url(MAP_EDIT_URL, timeout=TIMEOUT)
    wait_for_editor(page)


# The revision the editor's "Save draft" in place last saved (save.js), "" before any; null
# once the page has reloaded (the marker set before the click is gone).
SAVED_REVISION_JS = """() => window.umapBeforeSave
  ? (document.querySelector('form[data-edit-form]')?.dataset.umapSavedRevision || '')
  : null"""


def saved_in_place(page, button, timeout: int = TIMEOUT) -> str | None:
    """Click ``button`` ("Save draft") and wait until the map is saved: in place, without a
    reload (Wagtail with autosave: the revision saved is returned), or by Wagtail's ordinary
    post (None, once the next page has started loading)."""
    page.evaluate("window.umapBeforeSave = true")
    before = page.evaluate(SAVED_REVISION_JS)
    button.click()
    for _ in range(timeout // 100):
        try:
            now = page.evaluate(SAVED_REVISION_JS)
        except Exception:  # the page is navigating: its context went away
            now = None
        if now is None:
            page.wait_for_load_state()
            return None
        if now != before:
            return now
        page.wait_for_timeout(100)
    raise AssertionError("Save draft: neither saved in place nor reloaded")


def save_draft_button(page, keyboard: bool = False):
    """Wagtail's "Save draft" button, shown: for maps "Publish" is the main button of the
    footer and "Save draft" waits in its menu (opened with Enter when ``keyboard``)."""
    save = page.locator("footer button.action-save:not([name])").first
    toggle = page.locator("footer [data-w-dropdown-target=toggle]").first
    # Whether the menu is open, from its toggle: after a save in place the menu may still be
    # fading out, its button visible for a moment more.
    in_menu = save.evaluate("button => !!button.closest('.w-dropdown__content, .tippy-box')")
    if in_menu and toggle.get_attribute("aria-expanded") != "true":
        toggle.press("Enter") if keyboard else toggle.click()
    save.wait_for(state="visible", timeout=TIMEOUT)
    return save


def publish(page, keyboard: bool = False) -> None:
    """Click Wagtail's "Publish" action (the main button for maps, else in the dropdown); with
    ``keyboard``, open the dropdown and press the button with Enter instead."""
    button = page.locator("button[name=action-publish]")
    if not button.is_visible():
        toggle = page.locator("footer [data-w-dropdown-target=toggle]").first
        if keyboard:
            toggle.press("Enter")
            button.wait_for(state="visible", timeout=TIMEOUT)
        else:
            toggle.click()
    button.press("Enter") if keyboard else button.click()


def publish_page_with_its_map(page) -> None:
    """Publish the page being edited by keyboard (Wagtail's footer menu) and wait for the
    message that its map was published with it."""
    page.locator("footer [data-w-dropdown-target=toggle]").first.press("Enter")
    publish = page.locator("footer button[name=action-publish]")
    publish.wait_for(state="visible", timeout=TIMEOUT)
    with page.expect_navigation(timeout=TIMEOUT):
        publish.press("Enter")
    page.locator(".messages li", has_text="publiée avec la page").wait_for(timeout=TIMEOUT)


# --- public maps --------------------------------------------------------------------------


def viewer_of(page, title: str):
    """The section of the viewer whose title is ``title`` (a page may hold several)."""
    return page.locator("section[data-umap-viewer]").filter(
        has=page.locator(".umap-viewer__title", has_text=title)
    )


def wait_until_ready(page, section, timeout: int = TIMEOUT):
    section.and_(page.locator("[data-umap-state=ready]")).wait_for(timeout=timeout)
    return section


def open_map(page, url: str, title: str | None = None, timeout: int = TIMEOUT):
    """Go to ``url`` and return its map's section (the one titled ``title``, else the first)
    once the viewer has drawn it."""
    page.goto(url)
    section = viewer_of(page, title) if title else page.locator("section[data-umap-viewer]").first
    return wait_until_ready(page, section, timeout)


def click_map_at(page, dom_id: str, lat: float, lng: float) -> None:
    """Click the viewer ``dom_id``'s map where ``lat``, ``lng`` is drawn."""
    point = page.evaluate(
        """([id, lat, lng]) => { const map = wagtailUmap.get(id).map;
            const p = map.latLngToContainerPoint([lat, lng]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y]; }""",
        [dom_id, lat, lng],
    )
    page.mouse.click(*point)


def status_text(section) -> str:
    return section.locator("[data-umap-status]").inner_text().strip()


def wait_for_opaque_popup(page) -> None:
    """Leaflet fades a popup in: wait until it is opaque before a picture or a contrast check."""
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )


def page_showing(parent, map_, title: str, slug: str):
    """A published StandardPage under ``parent`` that shows ``map_`` in a MapBlock."""
    from example_site.home.models import StandardPage

    body = [{"type": "map", "value": {"map": map_.pk, "height": None, "caption": ""}}]
    page = parent.add_child(instance=StandardPage(title=title, slug=slug, body=body))
    page.save_revision().publish()
    return page


@contextmanager
def visitor_page(browser, watch=None) -> Iterator:
    """A citizen's tab, in a browser context of its own (no admin session), French, with no
    request leaving the machine; ``watch`` (a PageWatch) records its console errors and
    outside requests."""
    from tests.browser.fixtures import PageWatch, route_request

    watch = watch if watch is not None else PageWatch()
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", lambda route: route_request(route, watch))
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda m: watch.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
        yield page
    finally:
        context.close()


def past_the_side_column(page, selector: str) -> list[str]:
    """The elements under ``selector`` whose right edge passes the editor's side column, where
    they are cut (a long select or help text once widened its panel): [] when all fit."""
    return page.evaluate(
        """(selector) => {
            const side = document.querySelector('.umap-editor__side').getBoundingClientRect();
            return [...document.querySelectorAll(selector + ', ' + selector + ' *')]
              .filter((node) => {
                const box = node.getBoundingClientRect();
                return box.width > 0 && box.right > side.right + 1;
              })
              .map((node) => node.tagName + '.' + node.className);
        }""",
        selector,
    )
