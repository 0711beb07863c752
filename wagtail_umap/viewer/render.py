"""The viewer's HTML: one map, its assets once per request, and the feature list.

Behind the template tags of ``templatetags/wagtail_umap.py``. A map's HTML is kept in Django's
cache (``VIEWER_CACHE_TIMEOUT``), keyed on a digest of everything it is built from: the map's
content, its options on the page, the language, the assets flag, the settings and the static
URLs. Publishing a new version changes the content, hence the key. Previews are never cached,
nor maps with media (images and documents resolve through the database). The feature list is
written in Python: a template per item cost most of a page's render time (docs/large-data.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import marshal

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

from wagtail_umap import safe_cache
from wagtail_umap.conf import get_geocoder, get_setting
from wagtail_umap.viewer.config import default_view, template_context
from wagtail_umap.viewer.map import FeatureItem, ViewerMap
from wagtail_umap.viewer.theme import DEFAULT, Theme, current_theme

ASSETS_FLAG = "_wagtail_umap_viewer_assets_rendered"
CACHE_PREFIX = "wagtail_umap:viewer:1:"


def _claim_assets(context: template.Context) -> bool:
    """True the first time in a request (or, without a request, in a render) and never after."""
    request = context.get("request")
    holder = request if request is not None else context.render_context.dicts[0]
    if isinstance(holder, dict):
        if holder.get(ASSETS_FLAG):
            return False
        holder[ASSETS_FLAG] = True
        return True
    if getattr(holder, ASSETS_FLAG, False):
        return False
    setattr(holder, ASSETS_FLAG, True)
    return True


def viewer_assets(context: template.Context) -> str:
    """The viewer's stylesheets and scripts, the first time in a request; then nothing."""
    if not _claim_assets(context):
        return ""
    return render_to_string(
        "wagtail_umap/viewer/assets.html",
        {"theme": current_theme()},
        request=context.get("request"),
    )


def _features_digest(features: list[dict]) -> str:
    """A digest of a layer's features. marshal is lossless (other content, other bytes) and
    ten times faster than json; version 2 writes no back-references, so the same content
    always gives the same bytes."""
    try:
        encoded = marshal.dumps(features, 2)
    except ValueError:  # not plain JSON values
        encoded = json.dumps(features, default=_encode).encode()
    return hashlib.blake2b(encoded, digest_size=20).hexdigest()


def _layer_source(layer) -> list:
    """Everything of a layer the HTML depends on (a large layer's list comes from its data,
    named by the digest in its data URL)."""
    return [
        layer.id,
        layer.name,
        layer.description,
        layer.shown_on_load,
        layer.style,
        layer.popup_template,
        _features_digest(layer.features),
        layer.data_url,
        layer.downloads,
        layer.feature_count,
        layer.vertex_count,
        layer.geometry_types,
        layer.bbox,
        layer.viz,
        getattr(layer, "digest", None),  # set on a large layer (views.feature_list)
        layer.language,
        layer.tiles,  # its vector tiles, once built
        layer.group,  # its place in the list and the legend (viewer/groups.py)
    ]


def _encode(value):
    """JSON for what json cannot write: dataclasses (downloads) and lazy translations."""
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return str(value)


def viewer_cache_key(viewer_map: ViewerMap, include_assets: bool) -> str:
    """The cache key of a map's HTML: a digest of its content and of what surrounds it."""
    source = [
        {name: value for name, value in vars(viewer_map).items() if name != "layers"},
        [_layer_source(layer) for layer in viewer_map.layers],
    ]
    # Its whole content is in the key: no generation to renew.
    return _surrounded_key(source, include_assets, generation="")


def _has_media(viewer_map: ViewerMap) -> bool:
    """Media resolve through the database (images, documents): such a map is not cached."""
    return any(
        (feature.get("properties") or {}).get("_media")
        for layer in viewer_map.layers
        for feature in layer.features
    )


def _render_viewer(context: template.Context, viewer_map: ViewerMap, include_assets: bool) -> str:
    return render_to_string(
        "wagtail_umap/viewer.html",
        template_context(viewer_map, include_assets=include_assets),
        request=context.get("request"),
    )


def render_viewer(context: template.Context, viewer_map: ViewerMap) -> str:
    """A map's HTML, from Django's cache when it may be kept there."""
    include_assets = _claim_assets(context)
    timeout = get_setting("VIEWER_CACHE_TIMEOUT")
    request = context.get("request")
    if not timeout or getattr(request, "is_preview", False) or _has_media(viewer_map):
        return _render_viewer(context, viewer_map, include_assets)
    key = viewer_cache_key(viewer_map, include_assets)
    html = safe_cache.get(key)  # a cache error is logged and counts as a miss
    if html is None:
        html = _render_viewer(context, viewer_map, include_assets)
        safe_cache.set(key, str(html), timeout)
    return mark_safe(html)  # our own template's output, escaped when it was rendered


# Kept in place of the HTML of a map whose media resolve through the database at each render.
NOT_CACHED = "wagtail_umap:not-cached"


def map_cache_key(map_, options: dict, include_assets: bool, generation: str) -> str:
    """The cache key of a live map's HTML on a page, from what is known before anything of it
    is read: the map's row (its document names its layers' data by content digest), the block's
    options, the surroundings of :func:`viewer_cache_key`, and the "viewer" generation of
    everything else it is built from (basemaps, tile archives, settings rows:
    ``safe_cache.generation``), which a page edited elsewhere does not renew.
    The HTML holds no visitor's answer: whether its data travels inline or by URL is an option,
    decided at each request (``blocks.map_on_page_context``)."""
    source = [
        "map",
        map_.pk,
        map_.live,
        map_.title,
        map_.summary,
        _features_digest(map_.document),
        sorted(options.items()),
    ]
    return _surrounded_key(source, include_assets, generation)


def location_cache_key(place: dict, dom_id: str, include_assets: bool, generation: str) -> str:
    """The cache key of a LocationBlock's HTML: its place (name, validated point, summary,
    zoom), its id, and the surroundings (its basemap is the site's default: a setting, or a
    custom basemap's row, renewed with the generation)."""
    return _surrounded_key(["location", place, dom_id], include_assets, generation)


def _surrounded_key(source: list, include_assets: bool, generation: str) -> str:
    # Settings and deployments: thresholds, basemap view defaults, geocoder, static URLs, theme.
    surroundings = [
        get_language(),
        include_assets,
        getattr(settings, "WAGTAIL_UMAP", None),
        default_view(),
        get_geocoder(),
        static("wagtail_umap/js/viewer.js"),
        current_theme().name,
        generation,
    ]
    encoded = json.dumps([*source, *surroundings], default=_encode, ensure_ascii=False).encode()
    return CACHE_PREFIX + hashlib.blake2b(encoded, digest_size=20).hexdigest()


def render_map(context: template.Context, map_, options: dict) -> str:
    """A Map's HTML (``{% umap_map %}``): a live map's from the cache without reading anything
    of it (a warm page costs no query per map); built by ``viewer_map_for`` on a miss."""
    from wagtail_umap.viewer.build import viewer_map_for

    if not (map_.pk and map_.live):
        return render_viewer(context, viewer_map_for(map_, **options))
    return _render_cached(
        context,
        lambda include_assets, generation: map_cache_key(map_, options, include_assets, generation),
        lambda: viewer_map_for(map_, **options),
    )


def render_location(context: template.Context, place: dict, dom_id: str) -> str:
    """A LocationBlock's HTML (``{% umap_location %}``), from the cache without building it."""
    from wagtail_umap.viewer.build import location_viewer_map

    return _render_cached(
        context,
        lambda include_assets, generation: location_cache_key(
            place, dom_id, include_assets, generation
        ),
        lambda: location_viewer_map(dom_id=dom_id, **place),
    )


def _render_cached(context: template.Context, key_for, build) -> str:
    """The HTML under ``key_for(include_assets, generation)``, else ``build()``'s, rendered and
    kept (unless it resolves media at each render). Previews are never cached."""
    request = context.get("request")
    timeout = get_setting("VIEWER_CACHE_TIMEOUT")
    if not timeout or getattr(request, "is_preview", False):
        return render_viewer(context, build())
    include_assets = _claim_assets(context)
    key = key_for(include_assets, safe_cache.generation(safe_cache.VIEWER))
    # Bounded in a per-process cache: a tile archive built by the worker renews the
    # "viewer" generation in the worker's memory only.
    kept = safe_cache.generation_timeout(timeout)
    html = safe_cache.get_generational(key, kept)
    if html is None or html == NOT_CACHED:
        viewer_map = build()
        rendered = _render_viewer(context, viewer_map, include_assets)
        kept_html = NOT_CACHED if _has_media(viewer_map) else str(rendered)
        safe_cache.set_generational(key, kept_html, kept)
        return mark_safe(rendered)
    return mark_safe(html)  # our own template's output, escaped when it was rendered


def _escape(value: object) -> str:
    """Django's conditional_escape without its lazy-string wrapper, which cost more than the
    escaping itself over a thousand items: safe HTML as is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _text_with_breaks(value: str) -> str:
    """The ``linebreaksbr`` filter: escaped, each line break a <br>."""
    text = value if isinstance(value, SafeData) else html.escape(str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _rows_html(rows: list, lang: str = "") -> str:
    """The "table" popup's fields as a description list (field, value)."""
    lines = [f'  <dl class="umap-viewer__feature-fields"{lang}>']
    for name, text, html_value in rows:
        value = html_value if html_value else _text_with_breaks(text)
        lines.append(f"    <div><dt>{_escape(name)}</dt><dd>{value}</dd></div>")
    lines.append("  </dl>")
    return "\n".join(lines)


def _media_html(media: dict) -> str:
    """A feature's image (with its alternative), audio and video, as the popup has them; the
    video is a link to its page (nothing loads from its host until the citizen follows it)."""
    from django.utils.translation import gettext

    lines = ['  <div class="umap-viewer__feature-media">']
    image = media.get("image")
    if image:
        lines.append(
            f'    <img class="umap-viewer__feature-image" src="{_escape(image["url"])}" '
            f'alt="{_escape(image.get("alt", ""))}" width="{int(image["width"])}" '
            f'height="{int(image["height"])}" loading="lazy">'
        )
    audio = media.get("audio")
    if audio:
        label = gettext("Listen to “%(title)s” (audio file)") % {"title": audio["title"]}
        lines.append(
            f'    <p class="umap-viewer__feature-audio"><a href="{_escape(audio["url"])}">'
            f"{_escape(label)}</a></p>"
        )
    video = media.get("video")
    if video:
        label = gettext("Watch the video on %(host)s") % {"host": video.get("host", "")}
        lines.append(
            f'    <p class="umap-viewer__feature-video"><a href="{_escape(video["url"])}" '
            f'rel="noopener noreferrer">{_escape(label)}</a></p>'
        )
    transcript = media.get("transcript")
    if transcript:
        lines.append(
            '    <details class="umap-viewer__feature-transcript" open>'
            f"<summary>{_escape(gettext('Transcript'))}</summary>"
            f'<div class="umap-viewer__transcript-text">{transcript}</div></details>'
        )
    lines.append("  </div>")
    return "\n".join(lines)


def feature_item_html(item: FeatureItem, show_on_map: str, theme: Theme = DEFAULT) -> SafeString:
    """One <li> of the feature list; every value is escaped (a cleaned description is
    already safe HTML). The theme adds its classes to the note and the button."""
    dom_id, key, name = _escape(item.dom_id), _escape(item.key), _escape(item.name)
    unnamed = "" if item.has_name else " umap-viewer__feature-name--unnamed"
    # The data's language on what shows the data (its name, popup, fields, description); the
    # "Élément sans nom" fallback, the class note and the buttons are in the page's (RGAA 8.7).
    lang = f' lang="{_escape(item.lang)}"' if item.lang else ""
    name_lang = lang if item.has_name else ""
    parts = [
        f'<li class="umap-viewer__feature" id="{dom_id}" data-umap-feature-item="{key}" '
        f'tabindex="-1">\n  <span class="umap-viewer__feature-name{unnamed}" '
        f'id="{dom_id}-name"{name_lang}>{name}</span>'
    ]
    if item.note:
        parts.append(
            f'  <p class="umap-viewer__feature-note{theme["note"]}" data-umap-feature-note>'
            f"{_escape(item.note)}</p>"
        )
    if item.popup_rows:
        parts.append(_rows_html(item.popup_rows, lang))
    elif item.popup_html:
        popup = _escape(item.popup_html)
        parts.append(f'  <div class="umap-viewer__feature-popup"{lang}>{popup}</div>')
    elif item.popup_text.strip():
        text = _text_with_breaks(item.popup_text.strip("\r\n"))
        parts.append(f'  <p class="umap-viewer__feature-popup"{lang}>{text}</p>')
    elif not item.popup_description:
        pass  # the popup's template says nothing more for this feature
    elif item.description_html:
        description = _escape(item.description_html)
        parts.append(f'  <div class="umap-viewer__feature-description"{lang}>{description}</div>')
    elif item.description:
        description = _text_with_breaks(item.description)
        parts.append(f'  <p class="umap-viewer__feature-description"{lang}>{description}</p>')
    if item.media:
        parts.append(_media_html(item.media))
    if item.locatable:
        parts.append(
            f'  <button type="button" class="umap-viewer__locate{theme["locate"]}" '
            f'data-umap-feature="{key}" hidden>{show_on_map}'
            f'<span class="umap-visually-hidden{theme["sr_only"]}"> – '
            f"{f'<span{name_lang}>{name}</span>' if name_lang else name}</span></button>"
        )
    parts.append("</li>")
    return mark_safe("\n".join(parts))


# The first render of a new version, off the visitor's request (docs/large-data.md, "Pages with
# maps"): after a publish, a background task renders each live public page that shows the map
# as an anonymous visitor would, through the page's own view and ``render_map``'s own keys.

PREWARMED_PREFIX = "wagtail_umap:prewarmed:1:"


def prewarm_page(page) -> list[str]:
    """Render ``page`` as an anonymous visitor would, in each language it is served in, so that
    its maps' HTML is in the cache before the first visitor asks. Nothing for a page that is not
    live, is restricted, or shows a map that is not public (they render on their first visit,
    for that visitor). Returns the languages it rendered (none when nothing changed since the
    last warm-up: each is noted under both generations)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils import translation

    if not get_setting("VIEWER_CACHE_TIMEOUT") or not _public_page_of_public_maps(page):
        return []
    _site_id, root_url, path = page.get_url_parts() or (None, None, None)
    if path is None:  # outside every site: nobody sees it
        return []
    scheme, _, host = (root_url or "http://localhost").partition("://")
    rendered = []
    for language in _languages_of(page):
        noted = (
            f"{PREWARMED_PREFIX}{safe_cache.generation(safe_cache.PAGES)}:"
            f"{safe_cache.generation(safe_cache.VIEWER)}:{page.pk}:{language}"
        )
        if safe_cache.get(noted):
            continue
        request = RequestFactory().get(path, HTTP_HOST=host, secure=scheme == "https")
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = page.serve(request)
            if hasattr(response, "render"):
                response.render()
        if response.status_code == 200:
            safe_cache.set(noted, True, get_setting("VIEWER_CACHE_TIMEOUT"))
            rendered.append(language)
    return rendered


def _public_page_of_public_maps(page) -> bool:
    """Whether anyone may see ``page`` and every map it shows is public (shared, or shown on a
    public page as the reference index knows it): what the warm-up may render."""
    from wagtail_umap.models.page_maps import _read_facts, maps_on_page

    if not page.live:
        return False
    maps = maps_on_page(page)
    if not maps:
        return False
    facts = _read_facts(page, maps)
    if facts.restricted:
        return False
    return all(visibility.public for visibility in facts.visibilities.values())


def _languages_of(page) -> list[str]:
    """The languages a visitor's request renders ``page`` in: its locale's with Wagtail's
    internationalisation (each translation is its own page, warmed when it is published); each
    of the site's languages when LocaleMiddleware picks one from the visitor's browser; else the
    site's language."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return [page.locale.language_code]
    if "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE:
        return [code for code, _name in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE]
