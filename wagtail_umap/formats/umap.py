"""uMap's ``.umap`` backup format, read into and written from a map document.

Every option travels through its declaration in ``core.schema`` (its ``UmapLink``): the
reader applies what uMap's options say, the writer gives each option uMap's own key. Three
rules make a backup a backup, both ways (docs/formats.md lists every uMap option):

- **What we cannot show is kept.** A uMap option no option of ours reads is kept verbatim (in
  the map's or the layer's ``umap`` dict, or a feature's ``_umap_options``) and written back;
  each is reported once as an import note. A uMap value we read but would write differently
  (uMap's ``Ball`` icon, drawn here as a circle; an explicit ``zoomControl: true``) is kept
  too, and written back as long as it still means our value.
- **Nothing is added.** An option at the value an absent uMap key means is not written, so a
  backup holds no value its source did not have, and uMap reads it as the same map.
- **What uMap cannot hold goes under one key uMap ignores.** When uMap's keys cannot carry
  one of our values (a filter's label, a category's colour, the square marker), the writer
  adds it under ``"wagtail_umap": {"options": {...}, "check": {...}}`` in the map's ``properties``,
  the layer's options or the feature's ``_umap_options``. The reader takes it back while
  uMap's own keys for that option still hold what we wrote (``check``); if someone changed
  them in uMap since, uMap's value wins.

Reading our own backup therefore gives back exactly the document we wrote (ids aside).
"""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlsplit

from wagtail_umap.core import messages as m
from wagtail_umap.core import schema
from wagtail_umap.core.document import DOCUMENT_VERSION, FULL_FORM_CONTROLS
from wagtail_umap.core.errors import Issue, Location, shown
from wagtail_umap.core.schema import MISSING
from wagtail_umap.core.schema.umap_links import (
    filters_from_umap,
    pictogram_from_icon_url,
    umap_absent,
    umap_equal,
)
from wagtail_umap.core.schema.umap_places import (
    FEATURE_ENTRIES,
    LAYER_ENTRIES,
    MAP_ENTRIES,
    Entry,
    fingerprint,
    merge_kept,
    read_back,
    same,
    shared_keys,
    usable,
)
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, validate_document
from wagtail_umap.formats import FormatError, ImportResult, layer_name_from, parse_json, umap_groups

__all__ = [
    "FEATURE_OPTION_KEYS",
    "LAYER_OPTION_KEYS",
    "NAMESPACE",
    "Notes",
    "feature_from_umap",
    "from_value",
    "layer_from_umap",
    "layer_options",
    "pictogram_from_icon_url",
    "read",
    "read_file",
    "write",
]

NAMESPACE = "wagtail_umap"  # the one key of ours in a uMap file (uMap keeps and ignores it)
# Bookkeeping of a uMap server: kept, but an editor has nothing to learn from a note about it.
SILENT_OPTIONS = frozenset({"umap_id", "id", "permissions", "editMode", "rank"})
LAYER_OPTION_KEYS = ("properties", "_umap_options", "_storage")  # newest first
FEATURE_OPTION_KEYS = ("_umap_options", "_storage_options")
# Layer option names of uMap before 1.0 (Leaflet.Storage), read as their current names.
LEGACY_LAYER_OPTIONS = {"laydescription": "description"}
# uMap options holding the address of a marker's picture; uMap writes its own pictograms as
# server-relative paths ("/uploads/pictogram/x.svg"), resolved on import against the file's
# "uri" so the kept value still means something elsewhere (we never fetch it).
ICON_URL_OPTIONS = ("iconUrl",)
# The map's filters apply to every layer in uMap: each layer that has their property gets
# them (they are not kept at the map's level, the layers carry them back to uMap).
MAP_FILTER_KEYS = ("filters", "filterKey", "facetKey", "advancedFilterKey")
MAX_FILTERS = schema.option("layer", "filters").max_length


class Notes:
    """Import notes, one per (kind, place, option name), in the order they were found."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self._seen: set[tuple] = set()

    def add(self, template: str, where: Location, **params: object) -> None:
        key = (template, where.layer, params.get("name"))
        if key not in self._seen:
            self._seen.add(key)
            self.issues.append(Issue(template, params, where))

    def kept(self, template: str, where: Location, name: str, value: object) -> None:
        """Note an option kept verbatim, unless it is empty or mere bookkeeping."""
        if name not in SILENT_OPTIONS and value not in (None, "", {}, []):
            self.add(template, where, name=name)


# --- reading -------------------------------------------------------------------------------


def read_file(data: bytes, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """A ``.umap`` backup; its unnamed layers are named after the file."""
    return read(data, limits=limits, default_layer_name=layer_name_from(filename))


def read(
    data: bytes, *, limits: Limits = DEFAULT_LIMITS, default_layer_name: str = "Layer"
) -> ImportResult:
    """Read a ``.umap`` file into a validated map document and import notes."""
    value = parse_json(data, limits)
    return from_value(
        value,
        limits=limits,
        default_layer_name=default_layer_name,
        size_checked=True,
        owned=True,
    )


def from_value(
    value: object,
    *,
    limits: Limits = DEFAULT_LIMITS,
    default_layer_name: str = "Layer",
    size_checked: bool = False,
    owned: bool = False,
) -> ImportResult:
    """Like ``read``, from already parsed JSON (``size_checked`` when ``parse_json`` parsed it;
    ``owned``: the caller hands ``value`` over, and its layers' features are taken out of it as
    they are read, so that it and the result are never both whole in memory)."""
    if not isinstance(value, dict) or value.get("type") != "umap":
        found = value.get("type") if isinstance(value, dict) else value
        raise FormatError([Issue(m.NOT_UMAP, {"value": shown(found, 40)})])
    notes = Notes()
    properties = value.get("properties")
    properties = dict(properties) if isinstance(properties, dict) else {}
    layers = value.get("layers")
    base = _base_url(value.get("uri"))
    if base:
        properties = resolve_icon_urls(properties, base)
        layers = _resolve_layers(layers, base)
        if owned:
            value["layers"] = layers  # the layers as read go now, not at the end
    if "geometry" in value:
        properties["geometry"] = value["geometry"]  # the map's centre
    document, inherited = map_from_umap(properties, notes)
    layers, groups, memberships = umap_groups.split(layers)
    document["layers"] = layers_from_umap(layers, notes, default_layer_name, inherited, owned=owned)
    if groups:
        document["groups"] = groups
        for layer, group in zip(document["layers"], memberships, strict=False):
            if isinstance(layer, dict) and group is not None:
                layer["group"] = group
    cleaned = validate_document(document, limits, size_checked=size_checked, owned=owned)
    return ImportResult(cleaned, notes.issues)


def map_from_umap(properties: dict, notes: Notes) -> tuple[dict, dict]:
    """The document without its layers, and the map options its layers inherit."""
    where = Location()
    namespace = properties.pop(NAMESPACE, None)
    inherited = {
        key: properties.pop(key)
        for key in (*schema.INHERITED_BY_LAYERS_AT_IMPORT, *MAP_FILTER_KEYS)
        if key in properties
    }
    if "fields" in properties:
        inherited["fields"] = properties["fields"]  # kept too: uMap's types of the map's fields
    options = {"controls": dict(FULL_FORM_CONTROLS)}
    document = {"version": DOCUMENT_VERSION, "title": "", "summary": "", "options": options}
    kept, rest = _read_entries(MAP_ENTRIES, properties, document, where, notes, namespace)
    for key, item in rest.items():
        kept[key] = item
        if key == "tilelayer":
            name = item.get("name") if isinstance(item, dict) else item
            notes.add(m.NOTE_BASEMAP, where, name=key, value=shown(name, 60))
        else:
            notes.kept(m.NOTE_MAP_OPTION, where, key, item)
    if "shortCredit" in kept:  # beside a long credit, which became ours
        notes.kept(m.NOTE_MAP_OPTION, where, "shortCredit", kept["shortCredit"])
    _apply_namespace(MAP_ENTRIES, namespace, properties, document)
    options["umap"] = kept
    options.setdefault("style", {})
    return document, inherited


def layers_from_umap(
    layers: object,
    notes: Notes,
    default_name: str,
    inherited: dict | None = None,
    *,
    owned: bool = False,
) -> object:
    """Our layers from uMap's FeatureCollections (anything else is left for validation;
    ``owned``: see ``layer_from_umap``)."""
    if not isinstance(layers, list):
        return [] if layers is None else layers
    result, used_ids = [], set()
    for position, collection in enumerate(layers, start=1):
        if not isinstance(collection, dict):
            result.append(collection)
            continue
        layer = layer_from_umap(
            collection, position, notes, f"{default_name} {position}", inherited, owned=owned
        )
        if "id" in layer and layer["id"] in used_ids:
            del layer["id"]  # keep the first; validation gives the others new ids
        used_ids.add(layer.get("id"))
        result.append(layer)
    return result


def layer_from_umap(
    collection: dict,
    position: int,
    notes: Notes,
    default_name: str,
    inherited: dict | None = None,
    *,
    owned: bool = False,
) -> dict:
    """One of our layers from a uMap FeatureCollection with its options (``inherited``: the
    map's options its layers take when they have none of their own; ``owned``: the caller
    hands ``collection`` over, and its features are taken out of it)."""
    options = dict(_layer_options(collection))
    namespace = options.pop(NAMESPACE, None)
    name = options.get("name")
    name = name if isinstance(name, str) and name.strip() else default_name
    where = Location(layer=position, layer_name=name)
    layer: dict = {"name": name, "style": {}}
    kept, rest = _read_entries(LAYER_ENTRIES, options, layer, where, notes, namespace)
    kept.update(rest)
    _drop_legacy_zooms(kept, layer)
    for key in rest:
        notes.kept(m.NOTE_LAYER_OPTION, where, key, kept[key])
    features = collection.pop("features", []) if owned else collection.get("features", [])
    if isinstance(features, list):
        features = [feature_from_umap(feature, where, notes) for feature in features]
    _inherit(layer, options, inherited or {}, features, kept, where, notes)
    _apply_namespace(LAYER_ENTRIES, namespace, options, layer)
    layer["umap"] = kept
    layer["features"] = features
    if layer.get("id") is None:
        layer.pop("id", None)
    return layer


def _drop_legacy_zooms(kept: dict, layer: dict) -> None:
    """``remoteData.from``/``.to`` (before uMap 2) were read as the zooms: ``fromZoom`` and
    ``toZoom`` carry them back, and uMap would prefer a stale ``remoteData.from``."""
    remote = kept.get("remoteData")
    if isinstance(remote, dict) and ("from" in remote or "to" in remote):
        remote = dict(remote)
        if layer.get("min_zoom") is not None:
            remote.pop("from", None)
        if layer.get("max_zoom") is not None:
            remote.pop("to", None)
        kept["remoteData"] = remote


def _inherit(
    layer: dict,
    options: dict,
    inherited: dict,
    features: object,
    kept: dict,
    where: Location,
    notes: Notes,
) -> None:
    """The map's popup, label and filter options, for a layer that has none of its own.

    A layer that gets the map's filters beside its own writes them all back in uMap's words:
    its own uMap filter options are not kept (they would no longer read as its filters).
    """
    for entry in LAYER_ENTRIES:
        link = entry.item.umap
        if not entry.item.inherits or entry.item.key == "filters" or link is None:
            continue
        if any(key in options for key in link.keys):
            continue
        value = link.read(inherited)
        if value is not MISSING and usable(entry.item, value):
            entry.set(layer, value)
    map_filters = filters_from_umap(inherited)
    if not map_filters:
        return
    own = layer.get("filters") or []
    present = _property_names(features)
    added = [
        item
        for item in map_filters
        if item not in own and set(item.get("fields") or [item.get("field")]) & present
    ]
    combined = own + added
    if len(combined) > MAX_FILTERS:
        dropped = [item.get("field") or ",".join(item["fields"]) for item in combined[MAX_FILTERS:]]
        notes.add(
            m.NOTE_FILTERS_DROPPED,
            where,
            name="filters",
            value=shown(dropped, 60),
            limit=MAX_FILTERS,
        )
        combined = combined[:MAX_FILTERS]
    if added:
        layer["filters"] = combined
        for key in schema.option("layer", "filters").umap.keys:
            kept.pop(key, None)


def _property_names(features: object) -> set:
    names: set = set()
    for feature in features if isinstance(features, list) else []:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict):
            names.update(properties)
    return names


def _layer_options(collection: dict) -> dict:
    for key in LAYER_OPTION_KEYS:
        if isinstance(collection.get(key), dict):
            return _modern_names(collection[key])
    return {}


def _modern_names(options: dict) -> dict:
    """Legacy option names renamed, unless the current name is also set (it wins)."""
    if not any(key in options for key in LEGACY_LAYER_OPTIONS):
        return options
    renamed: dict = {}
    for key, value in options.items():
        modern = LEGACY_LAYER_OPTIONS.get(key)
        if modern is None:
            renamed[key] = value
        elif modern not in options:
            renamed[modern] = value
        else:
            renamed[key] = value  # both given: keep the legacy one verbatim
    return renamed


def feature_from_umap(feature: object, where: Location, notes: Notes) -> object:
    """A feature with uMap's per-feature options split into ``_style`` and ``_umap_options``."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return feature
    properties = dict(feature["properties"])
    options: dict = {}
    for key in FEATURE_OPTION_KEYS:
        if isinstance(properties.get(key), dict):
            options = {**properties.pop(key), **options}
    if not options:
        return feature
    namespace = options.pop(NAMESPACE, None)
    root: dict = {"_style": {}}
    kept, rest = _read_entries(FEATURE_ENTRIES, options, root, where, notes, namespace)
    for key, item in rest.items():
        kept[key] = item
        notes.kept(m.NOTE_FEATURE_OPTION, where, key, item)
    _apply_namespace(FEATURE_ENTRIES, namespace, options, root)
    style = root["_style"]
    if style:
        own = properties.get("_style")
        properties["_style"] = {**own, **style} if isinstance(own, dict) else style
    if kept:
        properties["_umap_options"] = kept
    return {**feature, "properties": properties}


def _read_entries(
    entries: tuple[Entry, ...],
    options: dict,
    root: dict,
    where: Location,
    notes: Notes,
    namespace: object = None,
) -> tuple[dict, dict]:
    """Read every entry's uMap keys from ``options`` into ``root``.

    Returns ``(kept, rest)``: the uMap values of our options that are kept verbatim (we
    cannot show them, or we would write them differently), and the uMap options no entry of
    ours reads (the caller keeps them, with a note).
    """
    checks = _checks(namespace)
    kept: dict = {}
    owned: set = set()
    # uMap's keys that two options read (iconUrl: a text pictogram or one of the library's):
    # the note about a value neither can use waits until both have tried.
    shared = shared_keys(entries)
    unread: dict = {}
    claimed: set = set()
    for entry in entries:
        link = entry.item.umap
        if link is None:
            continue
        present = [key for key in link.keys if _has(options, key)]
        owned.update(present)
        if not present:
            continue
        value = link.read(options)
        value = _within_limit(entry, value, where, notes)
        if value is MISSING or not usable(entry.item, value):
            if shared and all(key in claimed for key in present):
                continue  # an earlier option read it
            first = link.keys[0] if link.keys[0] in options else present[0]
            if value is not MISSING or (not link.quiet and not _empty(options[first])):
                if first in shared:
                    unread[first] = options[first]
                else:
                    notes.add(
                        m.NOTE_UNUSABLE_VALUE, where, name=first, value=shown(options[first], 40)
                    )
            kept.update(
                {
                    key: options[key]
                    for key in present
                    if key in options and not umap_absent(key, options[key])
                }
            )
            continue
        for key in present:
            if key in shared:
                claimed.add(key)
                unread.pop(key, None)
                kept.pop(key, None)  # an earlier option could not read it: this one did
        entry.set(root, value)
        original_rules = options.get("rules") if entry.item.key == "rules" else None
        if isinstance(original_rules, list) and len(value) < len(original_rules):
            # Some of uMap's rules cannot be read (no operator, not an object): all are kept.
            notes.add(m.NOTE_UNUSABLE_VALUE, where, name="rules", value=shown(original_rules, 40))
        written = link.write(value, entry.parent(root))
        for key in present:
            if key not in options:
                continue  # a nested key of older files ("remoteData.from"): see its option
            original = options[key]
            ours = checks.get(entry.name) == fingerprint(entry.item, options)
            if link.keep and not umap_absent(key, original) and not ours:
                kept[key] = original  # uMap's own, not what we wrote
                continue
            if key in written and umap_equal(written[key], original):
                continue
            if key not in written and umap_absent(key, original):
                continue
            kept[key] = original  # means our value, in uMap's own words: written back
    for key, item in unread.items():
        notes.add(m.NOTE_UNUSABLE_VALUE, where, name=key, value=shown(item, 40))
    rest = {key: item for key, item in options.items() if key not in owned}
    return kept, rest


def _within_limit(entry: Entry, value: object, where: Location, notes: Notes) -> object:
    """A uMap layer's filters beyond our limit: the first ones are imported, with a note."""
    limit = entry.item.max_length
    if entry.item.key != "filters" or not isinstance(value, list) or len(value) <= limit:
        return value
    dropped = [item.get("field") or ",".join(item.get("fields", [])) for item in value[limit:]]
    notes.add(m.NOTE_FILTERS_DROPPED, where, name="filters", value=shown(dropped, 60), limit=limit)
    return value[:limit]


def _has(options: dict, key: str) -> bool:
    """Whether ``options`` holds ``key``; "a.b" names ``b`` inside the object ``a``."""
    if key in options:
        return True
    outer, _, inner = key.partition(".")
    return bool(inner) and isinstance(options.get(outer), dict) and inner in options[outer]


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def _checks(namespace: object) -> dict:
    """The digests of what our writer put under uMap's keys, by option."""
    if isinstance(namespace, dict) and isinstance(namespace.get("check"), dict):
        return namespace["check"]
    return {}


def _apply_namespace(
    entries: tuple[Entry, ...], namespace: object, options: dict, root: dict
) -> None:
    """Our values uMap's keys could not carry, while those keys still hold what we wrote."""
    if not isinstance(namespace, dict) or not isinstance(namespace.get("options"), dict):
        return
    checks = _checks(namespace)
    by_name = {entry.name: entry for entry in entries}
    for name, value in namespace["options"].items():
        entry = by_name.get(name)
        if entry is None or checks.get(name) != fingerprint(entry.item, options):
            continue  # not ours, or changed in uMap since: uMap's value stands
        if value is None and entry.item.scope == "style":
            entry.unset(root)
        elif usable(entry.item, value):
            entry.set(root, value)


def _base_url(uri: object) -> str | None:
    """The file's ``uri`` when it is an absolute http(s) address, else None."""
    if isinstance(uri, str) and urlsplit(uri).scheme in ("http", "https") and urlsplit(uri).netloc:
        return uri
    return None


def resolve_icon_urls(options: dict, base: str) -> dict:
    """A copy of uMap options with server-relative icon addresses made absolute."""
    resolved = dict(options)
    for key in ICON_URL_OPTIONS:
        url = resolved.get(key)
        if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
            resolved[key] = urljoin(base, url)
    return resolved


def _resolve_layers(layers: object, base: str) -> object:
    """Layers (as read, before mapping) with their own and their features' icons resolved."""
    if not isinstance(layers, list):
        return layers
    return [_resolve_layer(layer, base) if isinstance(layer, dict) else layer for layer in layers]


def _resolve_layer(collection: dict, base: str) -> dict:
    collection = dict(collection)
    for key in LAYER_OPTION_KEYS:
        if isinstance(collection.get(key), dict):
            collection[key] = resolve_icon_urls(collection[key], base)
    features = collection.get("features")
    if isinstance(features, list):
        collection["features"] = [_resolve_feature(feature, base) for feature in features]
    return collection


def _resolve_feature(feature: object, base: str) -> object:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict) or not any(
        isinstance(properties.get(key), dict) for key in FEATURE_OPTION_KEYS
    ):
        return feature  # nothing to resolve: not copied
    properties = dict(properties)
    for key in FEATURE_OPTION_KEYS:
        if isinstance(properties.get(key), dict):
            properties[key] = resolve_icon_urls(properties[key], base)
    return {**feature, "properties": properties}


# --- writing -------------------------------------------------------------------------------


def write(document: dict) -> bytes:
    """A ``.umap`` file of a full (inline features) document, which uMap can import.

    Compact JSON: a backup is about the size of the document, and reads back under the same
    size limit.
    """
    result = map_head(document)
    result["layers"] = umap_groups.nest(document, lambda layer, _: _layer_collection(layer))
    return dump(result).encode("utf-8")


def dump(value: object) -> str:
    """Compact JSON, as every ``.umap`` file is written (also by ``formats.stream``)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def map_head(document: dict) -> dict:
    """The file without its layers: its type, the map's centre and its options."""
    properties = _write_entries(MAP_ENTRIES, document, document["options"].get("umap") or {})
    result: dict = {"type": "umap"}
    geometry = properties.pop("geometry", None)
    if geometry is not None:
        result["geometry"] = geometry
    result["properties"] = properties
    return result


def layer_options(layer: dict) -> dict:
    """A layer's uMap options: the kept ones, then ours in uMap's words."""
    return _write_entries(LAYER_ENTRIES, layer, layer.get("umap") or {})


def _layer_collection(layer: dict) -> dict:
    properties = layer_options(layer)
    features = [_umap_feature(feature) for feature in layer.get("features", [])]
    # "properties" is where uMap 3.7+ reads layer options, "_umap_options" where older ones do.
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": properties,
        "_umap_options": properties,
    }


def _umap_feature(feature: dict) -> dict:
    properties = feature.get("properties") or {}
    if "_style" not in properties and "_umap_options" not in properties:
        return feature  # most features: nothing to convert
    properties = dict(properties)
    kept = properties.pop("_umap_options", None) or {}
    root = {"_style": properties.pop("_style", None) or {}}
    options = _write_entries(FEATURE_ENTRIES, root, kept)
    if options:
        properties["_umap_options"] = options
    return {**feature, "properties": properties}


def _write_entries(entries: tuple[Entry, ...], root: dict, kept: dict) -> dict:
    """uMap's options for the entries of ``root``, over the uMap values kept from an import;
    an option uMap's keys cannot carry goes under ``NAMESPACE`` with the digest of what
    uMap's keys hold."""
    merged = merge_kept(entries, root, {k: v for k, v in kept.items() if k != NAMESPACE})
    out = merged.options
    ours, checks = {}, {}
    for entry in entries:
        value = entry.get(root)
        if not same(entry.item, read_back(entry.item, out), value):
            ours[entry.name] = None if value is MISSING else value
            checks[entry.name] = fingerprint(entry.item, out)
    for entry in merged.authored:
        checks[entry.name] = fingerprint(entry.item, out)
    if checks:
        out[NAMESPACE] = {"options": ours, "check": checks}
    return out
