"""The viewer's themes: the neutral default and DSFR, chosen by ``WAGTAIL_UMAP["THEME"]``.

A theme is not a second copy of the templates. It is:

- a few extra CSS classes on the server-rendered elements (``Theme.classes``, each value
  starting with a space so that the templates write ``class="umap-viewer__skip{{ theme.skip }}"``
  and the default theme's HTML stays exactly as it was);
- whether a layer of the feature list is an accordion (``Theme.accordion``);
- extra classes for the elements the script builds (search, filters, slideshow, popups), by CSS
  selector: they travel in the viewer's configuration and ``js/viewer/theme.js`` adds them as the
  elements appear, so no viewer script knows about themes;
- a stylesheet loaded after ``viewer.css`` that maps the viewer's custom properties on the
  theme's tokens and styles what classes alone cannot;
- for the pages wagtail-umap draws whole (the embed page), the design system's own CSS.

The DSFR theme takes DSFR's CSS, icons and fonts (Marianne) from django-dsfr's static files
at run time: none of them is shipped in this package. DSFR's licence reserves it to the State's
sites; see docs/themes.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wagtail_umap.conf import get_setting

# Server-rendered elements a theme may add classes to (the keys of Theme.classes).
CLASS_KEYS = (
    "section",
    "skip",
    "caption",
    "credits",
    "list",
    "layer",
    "layer_description",
    "locate",
    "note",
    "download",
    "legend_entry",
    "list_search_label",
    "list_search_input",
    "list_search_button",
    "pager_link",
    "sr_only",
)


@dataclass(frozen=True)
class Theme:
    name: str
    classes: dict[str, str] = field(default_factory=dict)
    accordion: bool = False
    # Static paths, loaded after viewer.css / before viewer.js with the viewer's assets.
    stylesheets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    # CSS selector → classes, added by js/viewer/theme.js to the elements the script builds.
    script_classes: dict[str, str] = field(default_factory=dict)
    # The design system's CSS, for the pages wagtail-umap draws whole (embed.html). Pages of
    # the site load it through their own base template (django-dsfr's {% dsfr_css %}).
    page_stylesheets: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> str:
        """``{{ theme.skip }}`` in a template: the extra classes, or "". Other names raise
        KeyError, so that Django's template lookup falls back to the attribute
        (``{{ theme.accordion }}``)."""
        if key not in CLASS_KEYS:
            raise KeyError(key)
        return self.classes.get(key, "")

    def config(self) -> dict[str, Any] | None:
        """What the script needs (None for the default theme: nothing to add)."""
        if not self.script_classes:
            return None
        return {"name": self.name, "classes": dict(self.script_classes)}


DEFAULT = Theme(name="default")

DSFR_BUTTON = "fr-btn fr-btn--sm"
DSFR_SECONDARY = "fr-btn fr-btn--sm fr-btn--secondary"

DSFR = Theme(
    name="dsfr",
    classes={
        "section": " umap-viewer--dsfr",
        "skip": " fr-link",
        "caption": " fr-text--sm",
        "credits": " fr-text--xs",
        "layer": " fr-accordion",
        "layer_description": " fr-text--sm",
        "locate": f" {DSFR_SECONDARY} fr-btn--icon-left fr-icon-map-pin-2-line",
        "note": " fr-tag fr-tag--sm",
        "download": " fr-link fr-link--sm fr-link--download",
        "legend_entry": " fr-tag fr-tag--sm",
        "list_search_label": " fr-label",
        "list_search_input": " fr-input",
        "list_search_button": f" {DSFR_BUTTON}",
        "pager_link": " fr-link",
        "sr_only": " fr-sr-only",
    },
    accordion=True,
    stylesheets=("wagtail_umap/css/theme-dsfr.css",),
    scripts=("wagtail_umap/js/viewer/theme.js",),
    script_classes={
        ".umap-search__label": "fr-label",
        ".umap-search__input": "fr-input",
        ".umap-search__submit": "fr-btn",
        ".umap-search__source": "fr-hint-text",
        ".umap-search__result": "fr-btn fr-btn--sm fr-btn--tertiary",
        ".umap-filters__title": "fr-h6",
        ".umap-filters__reset": "fr-btn fr-btn--sm fr-btn--tertiary",
        ".umap-filters input[type=number], .umap-filters input[type=date],"
        " .umap-filters input[type=search]": "fr-input",
        ".umap-filters__search label": "fr-label",
        ".umap-slideshow__title": "fr-h6",
        ".umap-slideshow__button": DSFR_SECONDARY,
        ".umap-popup__list-link": "fr-link fr-link--sm",
        ".umap-video-facade__play": DSFR_BUTTON,
        ".umap-viewer__panel-close": "fr-btn fr-btn--sm fr-btn--tertiary",
    },
    # django-dsfr's static files (the app "dsfr" must be installed). No DSFR script: the viewer
    # needs none (its accordions are opened by js/viewer/theme.js).
    page_stylesheets=("dsfr/dist/dsfr/dsfr.min.css", "dsfr/dist/utility/utility.min.css"),
)

THEMES = {theme.name: theme for theme in (DEFAULT, DSFR)}


def current_theme() -> Theme:
    """The site's theme (system check E002 says so when the setting names none)."""
    return THEMES.get(get_setting("THEME") or "default", DEFAULT)
