"""Where our options sit in a uMap file, and how kept uMap values meet ours (pure Python).

A uMap file has three places with options: the map's ``properties``, each layer's options,
each feature's ``_umap_options``. ``MAP_ENTRIES``, ``LAYER_ENTRIES`` and ``FEATURE_ENTRIES``
list the options of ours each place holds, as paths from the object they are read into (the
document, a layer, a feature's properties).

An import keeps some of uMap's own values beside ours (``umap`` dicts): those we cannot show,
and those we read but would write differently (uMap's ``Ball`` icon, drawn as a circle; an
explicit ``zoomControl: true``). ``merge_kept`` decides, for the writer, which kept values
still mean our value (written back as they came) and which no longer do (an editor changed
the option since); ``prune_kept`` lets validation drop the latter, so that what a document
keeps is always what its backup gives back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from wagtail_umap.core import schema
from wagtail_umap.core.content import canonical_json
from wagtail_umap.core.schema.model import MISSING, Option
from wagtail_umap.core.schema.umap_links import umap_absent, umap_equal


@dataclass(frozen=True)
class Entry:
    """One option of ours at one place of a uMap file."""

    path: tuple[str, ...]
    item: Option

    @property
    def name(self) -> str:
        return ".".join(self.path)

    def get(self, root: dict) -> object:
        value: object = root
        for key in self.path:
            if not isinstance(value, dict) or key not in value:
                return MISSING
            value = value[key]
        return value

    def set(self, root: dict, value: object) -> None:
        parent = root
        for key in self.path[:-1]:
            parent = parent.setdefault(key, {})
        parent[self.path[-1]] = value

    def unset(self, root: dict) -> None:
        self.parent(root).pop(self.path[-1], None)

    def parent(self, root: dict) -> dict:
        for key in self.path[:-1]:
            root = root.get(key) if isinstance(root.get(key), dict) else {}
        return root


def _entries(prefix: tuple[str, ...], scope: str, skip: tuple[str, ...] = ()) -> list[Entry]:
    """The options of ``scope`` a uMap file can carry: those with a uMap link, and our own
    values (which travel under the namespace key) but not objects of nested scopes, nor the
    uMap options we keep (``umap``, ``_umap_options``: the file's own keys already)."""
    return [
        Entry((*prefix, item.key), item)
        for item in schema.options_in(scope)
        if item.key not in skip
        and item.key not in KEPT_UMAP_OPTIONS
        and (item.umap is not None or item.type not in ("object", "list"))
    ]


KEPT_UMAP_OPTIONS = ("umap", "_umap_options")


MAP_ENTRIES = (
    *_entries((), "document", skip=("version",)),
    *_entries(("options",), "map", skip=("controls",)),
    *_entries(("options", "controls"), "controls"),
    *_entries(("options", "style"), "style"),
)
LAYER_ENTRIES = (
    *_entries((), "layer", skip=("features", "data", "group")),
    *_entries(("style",), "style"),
)
FEATURE_ENTRIES = _entries(("_style",), "style")
FEATURE_KEYS = frozenset(key for entry in FEATURE_ENTRIES for key in entry.item.umap.keys)


# --- comparing values as a document holds them -----------------------------------------------


def same(item: Option, left: object, right: object) -> bool:
    """Whether two values of ``item`` are the same once validated (MISSING: left out)."""
    return as_stored(item, left) == as_stored(item, right)


def as_stored(item: Option, value: object) -> object:
    """``value`` as a validated document holds it (MISSING: the key is left out)."""
    from wagtail_umap.core.document import _default

    if value is MISSING:
        if item.scope == "style" or item.sparse:
            return MISSING
        return _default(item.scope, item.key) if item.scope in ("map", "layer") else item.default
    cleaned, _valid = cleaned_value(item, value)
    if item.sparse and item.scope != "style" and cleaned in (None, "", {}, [], item.default):
        return MISSING
    return cleaned


def usable(item: Option, value: object) -> bool:
    """Whether validation accepts ``value`` for ``item``. "Strict" options always pass, so
    that a bad title or centre gets validation's located message, not a silent drop."""
    return bool(item.extra.get("strict")) or cleaned_value(item, value)[1]


def cleaned_value(item: Option, value: object) -> tuple[object, bool]:
    """``(value as validation cleans it, whether it is valid)``."""
    from wagtail_umap.core.errors import IssueCollector, Location, MapDocumentError

    issues = IssueCollector()
    try:
        cleaned = _clean(item, value, Location(), issues)
    except MapDocumentError:
        return value, False
    return cleaned, not issues.issues


def _clean(item: Option, value: object, where: object, issues: object) -> object:
    from wagtail_umap.core import messages as m
    from wagtail_umap.core import validation_viz as viz
    from wagtail_umap.core.errors import shown
    from wagtail_umap.core.validation import LAYER_ID_RE, check_value

    key = item.key
    if item.scope == "layer" and key == "representation":
        return viz.representation(value, where, issues)
    if item.scope == "layer" and key == "filters":
        return viz.filters(value, where, issues)
    if key == "rules":
        return viz.rules(value, where, issues)
    if key == "slideshow":
        layer = value.get("layer") if isinstance(value, dict) else None
        return viz.slideshow(value, {layer} if isinstance(layer, str) else set(), issues)
    if item.scope == "map" and key == "center":
        return _rounded_centre(value)
    if item.scope == "layer" and key == "id":
        if not (isinstance(value, str) and LAYER_ID_RE.fullmatch(value)):
            issues.add(m.BAD_LAYER_ID, where, value=shown(value))
        return value
    if item.type in ("object", "list", "json"):
        return value
    return check_value(item, value, where, issues)


def _rounded_centre(value: object) -> object:
    if isinstance(value, dict) and all(
        isinstance(value.get(key), int | float) and not isinstance(value.get(key), bool)
        for key in ("lat", "lng")
    ):
        return {key: round(value[key], 6) for key in ("lat", "lng")}
    return value


def read_back(item: Option, options: dict) -> object:
    """Our value of ``item`` in uMap ``options``, as the reader takes it: a value it cannot
    use (kept with a note on import) counts as none."""
    value = item.umap.read(options) if item.umap is not None else MISSING
    return value if value is MISSING or usable(item, value) else MISSING


def fingerprint(item: Option, options: dict) -> str:
    """A short digest of the uMap keys of one option, as a file holds them."""
    keys = item.umap.keys if item.umap else ()
    values = {key: options[key] for key in keys if key in options}
    return hashlib.sha256(canonical_json(values)).hexdigest()[:8]


# --- kept uMap values ------------------------------------------------------------------------


@dataclass
class Merged:
    """uMap's options for one place: ``options`` (kept values, and ours in uMap's words),
    ``kept`` (the kept values that still belong beside the document), ``authored`` (the
    options whose uMap keys we wrote ourselves, for links that otherwise keep uMap's own)."""

    options: dict
    kept: dict
    authored: list


def merge_kept(entries: tuple[Entry, ...], root: dict, kept: dict) -> Merged:
    """Our options of ``root`` in uMap's words, over the uMap values ``kept`` from an import.

    A kept value goes back as it came while it still reads as our value; otherwise ours, as
    ``link.write`` gives it, replaces it. A kept value equal to what we write is redundant.
    """
    out = {key: value for key, value in kept.items()}
    still = dict(kept)
    authored = []
    shared, seen, fresh = shared_keys(entries), set(), set()
    for entry in entries:
        link = entry.item.umap
        if link is None:
            continue
        value = entry.get(root)
        written = link.write(value, entry.parent(root))  # MISSING too: "no centre" is "data"
        original = {key: kept[key] for key in link.keys if key in kept}
        chosen = written
        if original:
            candidate = {**written, **original}
            if same(entry.item, read_back(entry.item, {**out, **candidate}), value):
                chosen = candidate
        for key in original:
            if chosen is written:
                still.pop(key, None)  # no longer our value: an editor changed the option
            elif not link.keep and _redundant(key, original[key], written):
                still.pop(key, None)
        if link.keep and chosen is written and written:
            authored.append(entry)
        if shared.isdisjoint(link.keys):
            for key in link.keys:
                out.pop(key, None)
            out.update(chosen)
            continue
        for key in link.keys:
            if key not in seen:  # the first of the options sharing it
                seen.add(key)
                out.pop(key, None)
                _share(out, fresh, key, chosen, chosen is written)
            elif key in chosen or (key in original and key not in fresh):
                _share(out, fresh, key, chosen, chosen is written)
    return Merged(out, still, authored)


def _share(out: dict, fresh: set, key: str, chosen: dict, written: bool) -> None:
    """A uMap key two options write (``iconUrl``: the text pictogram, the library's): a value
    one of them wrote anew wins over another's kept value; a kept value neither means any
    more goes."""
    if key not in chosen:
        out.pop(key, None)
    elif written or key not in fresh:
        out[key] = chosen[key]
        if written:
            fresh.add(key)


def shared_keys(entries: tuple[Entry, ...]) -> frozenset:
    """uMap's keys that more than one of ``entries`` reads and writes."""
    seen: set = set()
    shared: set = set()
    for entry in entries:
        for key in entry.item.umap.keys if entry.item.umap else ():
            (shared if key in seen else seen).add(key)
    return frozenset(shared)


def _redundant(key: str, original: object, written: dict) -> bool:
    if key in written:
        return umap_equal(written[key], original)
    return umap_absent(key, original)


def prune_kept(entries: tuple[Entry, ...], root: dict, kept: dict) -> dict:
    """``kept`` without the uMap values that no longer mean (or merely repeat) ``root``'s."""
    if not kept:
        return kept
    return merge_kept(entries, root, kept).kept
