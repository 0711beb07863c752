"""System checks of wagtail-umap's basemaps (``manage.py check``).

- ``wagtail_umap.W001``: a basemap's (or an overlay's) tile host is not allowed by the site's
  Content Security Policy ``img-src`` (django-csp's ``CONTENT_SECURITY_POLICY`` or Django's
  ``SECURE_CSP``): the browser would block its tiles. Skipped when the site sets no CSP.
- ``wagtail_umap.W002``: an OpenStreetMap basemap is offered while ``WAGTAIL_UMAP["OSM_CONTACT"]``
  is empty (the OpenStreetMap tile usage policy wants the operator of a site reachable).
- ``wagtail_umap.W003``: a basemap's (or an overlay's) tile URL is not ``https://`` (mixed
  content, and a citizen's browsing would travel in clear text).
- ``wagtail_umap.W004``: an OpenStreetMap basemap is fetched with ``no-referrer`` (the tile usage
  policy asks for a referrer identifying the site).
- ``wagtail_umap.W006``: the site's geocoder (``WAGTAIL_UMAP["GEOCODER"]``, the address search
  of public maps and of the editor's toolbar) is not allowed by the CSP's ``connect-src``: the
  browser would block each search. Skipped when the site sets no CSP.
- ``wagtail_umap.E001``: ``WAGTAIL_UMAP["DEFAULT_BASEMAP"]`` is not a preset basemap.
- ``wagtail_umap.W005``: Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is below 1 MB, what the map
  editor's form needs. The editor sends each changed layer on its own, gzip-compressed as a
  file part, to its layer endpoint (limited by ``WAGTAIL_UMAP["MAX_UPLOAD_BYTES"]`` on the wire
  and ``MAX_LAYER_BYTES`` once decompressed), and each imported file the same way to its import
  endpoint (``MAX_IMPORT_BYTES``, the readers' limit too), never limited by
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``; then it posts the form with the map's settings and a
  reference per layer: a few kilobytes a layer. Django's default (2.5 MB) is enough. Only a
  script posting whole documents inline through the admin form needs more: urlencoded, up to
  three times the document's JSON.

- ``wagtail_umap.E002``: ``WAGTAIL_UMAP["THEME"]`` names no theme ("default" or "dsfr").
- ``wagtail_umap.E003``: the "dsfr" theme is on but django-dsfr (the app ``dsfr``, whose static
  files hold DSFR's CSS, JS and fonts) is not installed.

- ``wagtail_umap.E017``: a ``REMOTE_DATA_*HOSTS`` setting is not a list of host names;
  ``wagtail_umap.W017``: the test-only ``REMOTE_DATA_HTTP_HOSTS`` or
  ``REMOTE_DATA_PRIVATE_HOSTS`` is set while ``DEBUG`` is off (docs/live-data.md).

The site's CSP is read by ``csp.py``, which the custom basemap form asks too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

from wagtail_umap.conf import get_setting
from wagtail_umap.csp import csp_blocked_urls, csp_blocks, csp_img_sources, csp_sources

OSM_HOSTS = ("tile.openstreetmap.org", "tile.openstreetmap.fr")


def is_osm(basemap: dict) -> bool:
    host = urlsplit(basemap.get("url", "").replace("{s}", "a")).hostname or ""
    return bool(basemap.get("osm")) or any(
        host == osm_host or host.endswith("." + osm_host) for osm_host in OSM_HOSTS
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@register()
def check_basemaps(app_configs=None, **kwargs):
    from wagtail_umap.conf import get_overlays, get_preset_basemaps
    from wagtail_umap.models.basemaps import get_basemaps

    messages = []
    presets = get_preset_basemaps()
    default = get_setting("DEFAULT_BASEMAP")
    if default not in presets:
        messages.append(
            Error(
                f"WAGTAIL_UMAP['DEFAULT_BASEMAP'] is {default!r}, which is not a preset basemap.",
                hint=f"Use one of: {', '.join(presets)}.",
                id="wagtail_umap.E001",
            )
        )
    basemaps = get_basemaps()  # presets + custom ones (none while the table does not exist)
    policies = csp_img_sources()
    # Overlays (transparent tiles over the basemap) are fetched by the same browsers.
    tile_layers = [("basemap", key, basemap) for key, basemap in basemaps.items()]
    tile_layers += [("overlay", key, overlay) for key, overlay in get_overlays().items()]
    for kind, key, basemap in tile_layers:
        url = basemap.get("url", "")
        if not url.startswith("https://"):
            messages.append(
                Warning(
                    f"The tile URL of {kind} {key!r} is not https: {url}",
                    hint="Use the https:// URL of the tile service; browsers block or flag "
                    "http images on an https site.",
                    obj=key,
                    id="wagtail_umap.W003",
                )
            )
        if blocked := csp_blocked_urls(basemap, policies):
            origins = sorted({_origin(blocked_url) for blocked_url in blocked})
            messages.append(
                Warning(
                    f"The Content Security Policy's img-src does not allow the tiles of {kind} "
                    f"{key!r} ({', '.join(origins)}): browsers will block them.",
                    hint=f"Add {' '.join(origins)} to img-src, or remove the {kind}.",
                    obj=key,
                    id="wagtail_umap.W001",
                )
            )
    osm = [key for key, basemap in basemaps.items() if is_osm(basemap)]
    if osm and not get_setting("OSM_CONTACT"):
        messages.append(
            Warning(
                f"OpenStreetMap basemaps are offered ({', '.join(osm)}) but "
                "WAGTAIL_UMAP['OSM_CONTACT'] is not set.",
                hint="Set OSM_CONTACT to an e-mail address or URL where the tile operators can "
                "reach this site's team (OpenStreetMap tile usage policy), or remove the "
                "OpenStreetMap presets from WAGTAIL_UMAP['BASEMAPS'].",
                id="wagtail_umap.W002",
            )
        )
    for key in osm:
        if basemaps[key].get("referrer_policy") == "no-referrer":
            messages.append(
                Warning(
                    f"OpenStreetMap basemap {key!r} is fetched without a referrer.",
                    hint="The OpenStreetMap tile usage policy asks for a referrer: keep "
                    "'strict-origin-when-cross-origin'.",
                    obj=key,
                    id="wagtail_umap.W004",
                )
            )
    return messages


# What the editor's form post needs: the map's settings and one reference per layer (the
# features travel to the layer endpoint as files), a few kilobytes a layer.
EDITOR_FORM_BYTES = 1_000_000


@register()
def check_upload_size(app_configs=None, **kwargs):
    form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if form_limit is None or form_limit >= EDITOR_FORM_BYTES:
        return []
    return [
        Warning(
            f"DATA_UPLOAD_MAX_MEMORY_SIZE ({form_limit:,} bytes) is below {EDITOR_FORM_BYTES:,} "
            "bytes: the map editor's form (the map's settings and a reference per layer) may "
            "be refused.",
            hint="Keep Django's default (2.5 MB) or more. Layer features and imported files do "
            "not count: the editor uploads each changed layer as a compressed file (at most "
            f"WAGTAIL_UMAP['MAX_UPLOAD_BYTES'] = {get_setting('MAX_UPLOAD_BYTES'):,} bytes) "
            "and each imported file the same way (at most "
            f"WAGTAIL_UMAP['MAX_IMPORT_BYTES'] = {get_setting('MAX_IMPORT_BYTES'):,} bytes, "
            "the readers' limit too); the web server in front must accept both.",
            id="wagtail_umap.W005",
        )
    ]


@register()
def check_theme(app_configs=None, **kwargs):
    from django.apps import apps

    from wagtail_umap.viewer.theme import THEMES

    theme = get_setting("THEME") or "default"
    if theme not in THEMES:
        return [
            Error(
                f'WAGTAIL_UMAP["THEME"] is "{theme}", which is no theme.',
                hint=f"Choose one of: {', '.join(sorted(THEMES))}.",
                id="wagtail_umap.E002",
            )
        ]
    if theme == "dsfr" and not apps.is_installed("dsfr"):
        return [
            Error(
                'The "dsfr" theme needs django-dsfr, whose static files hold DSFR.',
                hint='pip install "wagtail-umap[dsfr]" and add "dsfr" to INSTALLED_APPS.',
                id="wagtail_umap.E003",
            )
        ]
    return []


@register()
def check_geocoder(app_configs=None, **kwargs):
    from wagtail_umap.conf import get_geocoder

    geocoder = get_geocoder()
    url = (geocoder or {}).get("url", "")
    if not url.startswith(("http://", "https://")) or not csp_blocks(
        url, csp_sources("connect-src")
    ):
        return []
    return [
        Warning(
            f"The Content Security Policy's connect-src does not allow the geocoder "
            f"{geocoder['id']!r} ({_origin(url)}): browsers will block the address searches.",
            hint=f"Add {_origin(url)} to connect-src, or set WAGTAIL_UMAP['GEOCODER'] to None.",
            obj=geocoder["id"],
            id="wagtail_umap.W006",
        )
    ]


@register()
def check_remote_data(app_configs=None, **kwargs):
    """Live data layers (docs/live-data.md): the allowlist is a list of host names, and its
    test-only loosenings are not left on in production."""
    messages = []
    for name in ("REMOTE_DATA_HOSTS", "REMOTE_DATA_HTTP_HOSTS", "REMOTE_DATA_PRIVATE_HOSTS"):
        hosts = get_setting(name)
        listed = hosts if isinstance(hosts, list | tuple) else [hosts]
        bad = [
            host
            for host in listed
            if not isinstance(host, str) or not host or any(c in host for c in "/:*@ ")
        ]
        if not isinstance(hosts, list | tuple) or bad:
            messages.append(
                Error(
                    f'WAGTAIL_UMAP["{name}"] must be a list of host names, not {bad or hosts!r}.',
                    hint='e.g. ["www.data.gouv.fr", ".opendatasoft.com"] (a leading dot: its '
                    "subdomains too); no scheme, port, path or wildcard.",
                    id="wagtail_umap.E017",
                )
            )
    loosened = get_setting("REMOTE_DATA_HTTP_HOSTS") or get_setting("REMOTE_DATA_PRIVATE_HOSTS")
    if loosened and not settings.DEBUG:
        messages.append(
            Warning(
                'WAGTAIL_UMAP["REMOTE_DATA_HTTP_HOSTS"] or ["REMOTE_DATA_PRIVATE_HOSTS"] is set '
                "while DEBUG is off: live layers may then be fetched over http or from the "
                "site's own network.",
                hint="These exist for tests and a local demo: empty them in production.",
                id="wagtail_umap.W017",
            )
        )
    return messages
