"""A layer patch: the features an editor changed, over the stored layer it started from.

The editor sends, for a large layer it changed a little, its base layer's digest and the layer
as it is now, in order, where each run of features unchanged since the base is the pair
``[start, end]`` of their 0-based positions in the base (``end`` excluded), and each added or
changed feature is the feature itself::

    {"base": "<sha-256 of the stored layer>", "features": [[0, 812], {"type": "Feature", …},
     [813, 35000]]}

A feature the base has and no run names is deleted. Each position of the base is named at most
once, so the merged layer has at most as many features as the base plus the ones sent.

This module reads a patch (structure only: the features sent are validated by the caller as any
upload's) and merges it at the byte level into the base's canonical GeoJSON: the stored layer
is not parsed, the unchanged features are copied as they are stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wagtail_umap.core.errors import Issue, Location, MapDocumentError
from wagtail_umap.core.messages import gettext_noop

NOT_A_PATCH = gettext_noop(
    'the changes sent are not a layer patch: an object with "base" and "features" was expected'
)
BAD_RUN = gettext_noop(
    "the changes sent name features %(value)s of the saved layer, which has %(count)s features:"
    " send the whole layer"
)
RUN_TWICE = gettext_noop(
    "the changes sent name feature %(value)s of the saved layer twice: send the whole layer"
)
BAD_ITEM = gettext_noop(
    "the changes sent hold %(value)s where a feature or a run of saved features was expected"
)

DIGEST = re.compile(r"[0-9a-f]{64}")
NOWHERE = Location()
# The canonical GeoJSON of a stored layer (``core.content.canonical_json``): sorted keys, no
# spaces. Every validated feature has a geometry (null or an object), and "geometry" sorts
# before its other keys ("id", "properties", "type"), so each feature starts with it.
HEAD = b'{"features":['
TAIL = b'],"type":"FeatureCollection"}'
FEATURE_START = b'{"geometry":'
BOUNDARY = b'},{"geometry":'


@dataclass
class Patch:
    """A patch read against a base of ``base_count`` features."""

    base: str
    # In the merged layer's order: ("run", start, end) or ("new", index into ``features``).
    pieces: list[tuple] = field(default_factory=list)
    features: list = field(default_factory=list)  # the features sent, as received
    positions: list[int] = field(default_factory=list)  # 1-based merged position of each
    removed: list[int] = field(default_factory=list)  # 0-based base positions not kept
    count: int = 0  # features of the merged layer


def patch_base(value: object) -> str | None:
    """The base digest a patch names, or None when it is no patch."""
    if not isinstance(value, dict):
        return None
    base = value.get("base")
    return base if isinstance(base, str) and DIGEST.fullmatch(base) else None


def read_patch(value: object, base_count: int, where: Location = NOWHERE) -> Patch:
    """``value`` (parsed JSON) as a ``Patch`` over a base of ``base_count`` features, or
    ``MapDocumentError`` with located issues. The features sent are not validated here."""
    base = patch_base(value)
    items = value.get("features") if isinstance(value, dict) else None
    if base is None or not isinstance(items, list):
        raise MapDocumentError([Issue(NOT_A_PATCH, {}, where)])
    patch = Patch(base=base)
    kept = bytearray(base_count)  # 1 where a run names the base position
    for item in items:
        if isinstance(item, dict):
            patch.pieces.append(("new", len(patch.features)))
            patch.features.append(item)
            patch.count += 1
            patch.positions.append(patch.count)
            continue
        if not (
            isinstance(item, list) and len(item) == 2 and all(type(bound) is int for bound in item)
        ):
            raise MapDocumentError([Issue(BAD_ITEM, {"value": _brief(item)}, where)])
        start, end = item
        if not 0 <= start < end <= base_count:
            params = {"value": f"{start}–{end}", "count": base_count}
            raise MapDocumentError([Issue(BAD_RUN, params, where)])
        if any(kept[start:end]):
            twice = start + kept[start:end].index(1)
            raise MapDocumentError([Issue(RUN_TWICE, {"value": twice + 1}, where)])
        kept[start:end] = b"\x01" * (end - start)
        patch.pieces.append(("run", start, end))
        patch.count += end - start
    patch.removed = [index for index, flag in enumerate(kept) if not flag]
    return patch


def _brief(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def feature_spans(data: bytes, count: int) -> list[tuple[int, int]] | None:
    """The (start, end) byte span of each of the ``count`` features of a stored layer's
    canonical GeoJSON, found without parsing it; None when they cannot be told apart that way
    (a property holding a list of objects, one with a "geometry" key: the caller parses)."""
    if not (data.startswith(HEAD) and data.endswith(TAIL)):
        return None
    start, body_end = len(HEAD), len(data) - len(TAIL)
    if count == 0:
        return [] if start == body_end else None
    spans = []
    find = data.find
    at = find(BOUNDARY, start, body_end)
    while at != -1:
        if len(spans) >= count - 1:
            return None  # more boundaries than features: one is inside a feature
        spans.append((start, at + 1))
        start = at + 2
        at = find(BOUNDARY, start, body_end)
    spans.append((start, body_end))
    if len(spans) != count or not data.startswith(FEATURE_START, spans[0][0]):
        return None
    return spans


def merged_bytes(
    data: bytes, spans: list[tuple[int, int]], patch: Patch, encoded: list[bytes]
) -> bytes:
    """The merged layer's canonical GeoJSON: each run copied from the base's bytes (one slice
    per run), each feature sent as ``encoded`` (its canonical JSON, validated)."""
    parts = []
    for piece in patch.pieces:
        if piece[0] == "run":
            parts.append(data[spans[piece[1]][0] : spans[piece[2] - 1][1]])
        else:
            parts.append(encoded[piece[1]])
    return HEAD + b",".join(parts) + TAIL


def merged_lines(lines: list[bytes], patch: Patch, new_lines: list[bytes]) -> bytes:
    """The same merge for a one-line-per-feature index (the store's feature index)."""
    parts = []
    for piece in patch.pieces:
        if piece[0] == "run":
            parts.extend(lines[piece[1] : piece[2]])
        else:
            parts.append(new_lines[piece[1]])
    return b"\n".join(parts)


def merged_features(base: list, patch: Patch, cleaned: list) -> list:
    """The same merge on parsed features (when the base's bytes cannot be split)."""
    merged = []
    for piece in patch.pieces:
        if piece[0] == "run":
            merged.extend(base[piece[1] : piece[2]])
        else:
            merged.append(cleaned[piece[1]])
    return merged
