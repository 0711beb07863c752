"""uMap's groups of layers (uMap 3.7+) read into our ``groups`` and written back.

In a ``.umap`` file uMap writes a group as a layer whose options say ``"group": true``, with
no features, and nests its children (layers and groups) under its ``layers`` key, in their
order; the ids and the ``parent`` links of its server are left out. Its API gives the same
layers flat, each with an ``id`` and a ``parent``: both are read. A group's children inherit
its options in uMap: at import a layer takes its groups' style and popup options when it has
none of its own, and it is hidden when the map opens if a group of it is.
"""

from __future__ import annotations

import re

from wagtail_umap.core import schema
from wagtail_umap.core.document import new_layer_id
from wagtail_umap.core.schema.options import LAYER_ID_PATTERN
from wagtail_umap.core.validation_groups import flatten, tree

LAYER_OPTION_KEYS = ("properties", "_umap_options", "_storage")  # newest first, as umap.py
ID_RE = re.compile(LAYER_ID_PATTERN)
# A group's own options, read into the group (the rest is kept for the round trip).
GROUP_OWN = ("name", "description", "group", "id", "rank")
# What a layer takes from its group when it has none of its own, as uMap's children do.
INHERITED = frozenset(
    {key for item in schema.options_in("style") if item.umap is not None for key in item.umap.keys}
    | set(schema.INHERITED_BY_LAYERS_AT_IMPORT)
)


def _options(collection: dict) -> dict:
    for key in LAYER_OPTION_KEYS:
        if isinstance(collection.get(key), dict):
            return collection[key]
    return {}


def _with_options(collection: dict, options: dict) -> dict:
    result = {key: value for key, value in collection.items() if key not in LAYER_OPTION_KEYS}
    result["properties"] = options
    return result


def _nest_flat(layers: list) -> list:
    """uMap's API form (each layer with ``id`` and ``parent``) as the nested form."""
    if not any(isinstance(item, dict) and item.get("parent") for item in layers):
        return layers
    by_id = {
        str(item["id"]): dict(item, layers=list(item.get("layers") or []))
        for item in layers
        if isinstance(item, dict) and item.get("id") is not None
    }
    root = []
    for item in layers:
        if not isinstance(item, dict) or item.get("id") is None:
            root.append(item)
            continue
        node = by_id[str(item["id"])]
        parent = by_id.get(str(item.get("parent"))) if item.get("parent") else None
        (parent["layers"] if parent is not None and parent is not node else root).append(node)
    return root


def split(layers: object) -> tuple[object, list[dict], list[str | None]]:
    """``(collections, groups, memberships)``: the layers that hold features, flat, in
    reading order; our groups; and the group id of each collection (or None)."""
    if not isinstance(layers, list):
        return layers, [], []
    flat: list = []
    groups: list[dict] = []
    memberships: list[str | None] = []
    hidden: list[bool] = []
    used: set[str] = set()

    def walk(items: list, parent: str | None, inherited: dict, parent_hidden: bool) -> None:
        for collection in items:
            if not isinstance(collection, dict):
                flat.append(collection)
                memberships.append(parent)
                hidden.append(parent_hidden)
                continue
            options = _options(collection)
            children = collection.get("layers")
            children = children if isinstance(children, list) else []
            if options.get("group") is True or children:
                group_id = _group_id(options.get("id", collection.get("id")), used)
                name = options.get("name")
                count = len(groups) + 1
                group = {
                    "id": group_id,
                    "name": name if isinstance(name, str) and name.strip() else f"Group {count}",
                    "parent": parent,
                }
                if isinstance(options.get("description"), str) and options["description"]:
                    group["description"] = options["description"]
                kept = {k: v for k, v in options.items() if k not in GROUP_OWN}
                if kept:
                    group["umap"] = kept
                groups.append(group)
                own = {k: v for k, v in options.items() if k in INHERITED}
                down = {**inherited, **own}
                is_hidden = parent_hidden or options.get("displayOnLoad") is False
                if collection.get("features"):  # a layer with children and data: both kept
                    rest = {k: v for k, v in collection.items() if k != "layers"}
                    flat.append(_with_options(rest, _clean({**down, **options})))
                    memberships.append(group_id)
                    hidden.append(is_hidden)
                walk(children, group_id, down, is_hidden)
                continue
            clean = _clean({**inherited, **options})
            flat.append(_with_options(collection, clean) if clean != options else collection)
            memberships.append(parent)
            hidden.append(parent_hidden)

    walk(_nest_flat(layers), None, {}, False)
    for position, is_hidden in enumerate(hidden):
        if is_hidden and isinstance(flat[position], dict):
            options = dict(_options(flat[position]))
            options["displayOnLoad"] = False
            flat[position] = _with_options(flat[position], options)
    return flat, groups, memberships


def _clean(options: dict) -> dict:
    """A layer's options without uMap's group flag (uMap's default, or the group's)."""
    if "group" not in options:
        return options
    return {k: v for k, v in options.items() if k != "group"}


def _group_id(value: object, used: set[str]) -> str:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not ID_RE.fullmatch(text) or text in used:
        text = new_layer_id()
    used.add(text)
    return text


def nest(document: dict, collection_of) -> list[dict]:
    """uMap's nested ``layers`` of ``document``: ``collection_of(layer, position)`` writes a
    layer; a group becomes a layer with ``"group": true``, no features, its children under
    ``layers``. Without groups: the layers in their order."""
    if not document.get("groups"):
        return [collection_of(layer, position) for position, layer in enumerate(document["layers"])]
    return [_node(node, collection_of) for node in tree(document)]


def _node(node: dict, collection_of) -> dict:
    if "layer" in node:
        return collection_of(node["layer"], node["position"])
    group = node["group"]
    properties = dict(group.get("umap") or {})
    properties["name"] = group["name"]
    if group.get("description"):
        properties["description"] = group["description"]
    properties["group"] = True
    properties["id"] = group["id"]
    return {
        "type": "FeatureCollection",
        "features": [],
        "properties": properties,
        "_umap_options": properties,
        "layers": [_node(child, collection_of) for child in node["children"]],
    }


def reading_order(document: dict) -> list[int]:
    """The positions of the layers in the order ``nest`` writes them."""
    if not document.get("groups"):
        return list(range(len(document["layers"])))
    return [node["position"] for _depth, node in flatten(tree(document)) if "layer" in node]
