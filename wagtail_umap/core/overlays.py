"""Overlays a site may offer: transparent tile layers drawn over the basemap (pure data).

The presets are the Géoplateforme's cadastral parcels and administrative limits. They live in
the core, not in ``conf.py``, because the ``.umap`` reader and writer (``schema/umap_links.py``)
recognise a uMap ``overlay`` by its tile address; the site's settings may add others
(``WAGTAIL_UMAP["OVERLAYS"]``). Labels are English, marked for translation.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from wagtail_umap.core.messages import gettext_noop as _

GEOPF_WMTS = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE={style}&TILEMATRIXSET=PM&FORMAT=image/png"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}"
)
IGN_ATTRIBUTION = '<a href="https://www.ign.fr/">© IGN</a> – Géoplateforme'

OVERLAY_PRESETS: dict[str, dict] = {
    "cadastre": {
        "label": _("Cadastral parcels"),
        "url": GEOPF_WMTS.format(
            layer="CADASTRALPARCELS.PARCELLAIRE_EXPRESS", style="PCI%20vecteur"
        ),
        "attribution": IGN_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
        "cors": True,
    },
    "admin_limits": {
        "label": _("Administrative limits"),
        "url": GEOPF_WMTS.format(layer="LIMITES_ADMINISTRATIVES_EXPRESS.LATEST", style="normal"),
        "attribution": IGN_ATTRIBUTION,
        "min_zoom": 0,
        "max_zoom": 19,
        "cors": True,
    },
}
DEFAULT_OPACITY = 0.7


def tile_signature(url: str) -> tuple[str, str]:
    """What identifies a tile service whatever the spelling of its address: the host, and the
    WMTS layer when there is one (uMap's copies of the Géoplateforme's URLs order their query
    differently, or in lower case)."""
    parts = urlsplit(url or "")
    query = {key.lower(): value for key, value in parse_qsl(parts.query)}
    return (parts.hostname or "").lower(), query.get("layer", parts.path).upper()


def overlay_for_url(url: object, overlays: dict[str, dict] | None = None) -> str | None:
    """The key of the overlay whose tiles ``url`` asks for, or None."""
    if not isinstance(url, str):
        return None
    wanted = tile_signature(url)
    for key, overlay in (overlays or OVERLAY_PRESETS).items():
        if tile_signature(overlay["url"]) == wanted:
            return key
    return None
