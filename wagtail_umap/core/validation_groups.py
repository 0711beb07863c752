"""Validation of the document's groups of layers, and the tree they make (pure Python).

``groups``: ``[{"id", "name", "parent", "description"?}]``; a layer names its group in
``group``. Checked here: each group's keys, a duplicate id, a parent or a layer's group that
is no group of the map, a group inside itself, and groups nested deeper than
``MAX_GROUP_DEPTH``. Every message names the group by its position and name.

``tree(document)`` gives the order the list, the legend and the editor show: siblings in
document order, a layer where it comes in ``layers``, a group where its first layer (direct
or nested) comes, and groups without any layer after, in the order of ``groups``.
"""

from __future__ import annotations

from wagtail_umap.core import messages as m
from wagtail_umap.core import schema
from wagtail_umap.core.errors import IssueCollector, Location, shown
from wagtail_umap.core.schema.options import MAX_GROUP_DEPTH, MAX_GROUPS

GROUP_KEYS = schema.keys("group")
WHERE = Location(detail="groups")


def validate_groups(value: object, layers: list[dict], issues: IssueCollector) -> list[dict]:
    """The cleaned groups (``[]`` for none); each layer's ``group`` is checked against them
    (the layers are validated already: ``layers`` is their cleaned list)."""
    from wagtail_umap.core.validation import check_value

    if value is None:
        value = []
    if not isinstance(value, list):
        issues.add(m.NOT_LIST, WHERE, field="groups", value=shown(value))
        return []
    if len(value) > MAX_GROUPS:
        issues.add(m.TOO_MANY_ITEMS, WHERE, field="groups", value=len(value), limit=MAX_GROUPS)
        return []
    cleaned: list[dict] = []
    positions: dict[str, int] = {}
    for position, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            issues.add(m.GROUP_NOT_OBJECT, WHERE, group=position, value=shown(raw))
            continue
        for key in raw:
            if key not in GROUP_KEYS:
                issues.add(m.UNKNOWN_GROUP_KEY, WHERE, group=position, key=key)
        group: dict = {}
        for item in schema.options_in("group"):
            if item.sparse and item.key not in raw:
                continue
            raw_value = raw.get(item.key, item.default)
            if item.key == "name" and not (isinstance(raw_value, str) and raw_value.strip()):
                issues.add(m.GROUP_NAME_MISSING, WHERE, group=position)
                raw_value = ""
            elif item.key == "umap":
                if not isinstance(raw_value, dict):
                    issues.add(m.NOT_OBJECT, WHERE, field="umap", value=shown(raw_value))
                    continue
                if raw_value:
                    group["umap"] = dict(raw_value)
                continue
            elif item.key == "id" and raw_value is None:
                raw_value = "?"  # reported below as a bad id
            checked = check_value(item, raw_value, WHERE, issues)
            if item.sparse and checked in ("", None):
                continue
            group[item.key] = checked
        group_id = group.get("id")
        if group_id in positions:
            issues.add(
                m.DUPLICATE_GROUP_ID,
                WHERE,
                group=position,
                name=group.get("name", ""),
                value=shown(group_id),
                other=positions[group_id],
            )
        elif group_id:
            positions[group_id] = position
        cleaned.append(group)
    _check_tree(cleaned, positions, issues)
    for position, layer in enumerate(layers, start=1):
        if layer.get("group") is not None and layer["group"] not in positions:
            where = Location(layer=position, layer_name=layer.get("name") or None)
            issues.add(m.UNKNOWN_LAYER_GROUP, where, value=shown(layer["group"]))
    return cleaned


def _check_tree(groups: list[dict], positions: dict[str, int], issues: IssueCollector) -> None:
    by_id = {group["id"]: group for group in groups if group.get("id")}
    for position, group in enumerate(groups, start=1):
        name = group.get("name", "")
        parent = group.get("parent")
        if parent is None:
            continue
        if parent not in by_id:
            issues.add(
                m.UNKNOWN_PARENT_GROUP, WHERE, group=position, name=name, value=shown(parent)
            )
            continue
        path = [group.get("id")]
        while parent is not None and parent in by_id and parent not in path:
            path.append(parent)
            parent = by_id[parent].get("parent")
        if parent is not None and parent in path:
            shown_path = " › ".join(by_id[key].get("name", key) for key in [*path, parent])
            issues.add(m.GROUP_CYCLE, WHERE, group=position, name=name, path=shown_path)
        elif len(path) > MAX_GROUP_DEPTH:
            issues.add(
                m.GROUPS_TOO_DEEP,
                WHERE,
                group=position,
                name=name,
                value=len(path),
                limit=MAX_GROUP_DEPTH,
            )


def ancestors(groups: list[dict], group_id: str | None) -> list[dict]:
    """The groups from the top down to ``group_id`` (itself last); ``[]`` for none."""
    by_id = {group["id"]: group for group in groups}
    chain: list[dict] = []
    while group_id is not None and group_id in by_id and len(chain) <= MAX_GROUP_DEPTH:
        chain.append(by_id[group_id])
        group_id = by_id[group_id].get("parent")
    return chain[::-1]


def tree(document: dict) -> list[dict]:
    """The layers and groups as a tree: ``{"group": g, "children": [...]}`` and
    ``{"layer": layer, "position": i}`` nodes (``position``: 0-based, in ``layers``)."""
    groups = document.get("groups") or []
    root: list[dict] = []
    nodes: dict[str, dict] = {}

    def place(group_id: str | None) -> list[dict]:
        children = root
        for group in ancestors(groups, group_id):
            node = nodes.get(group["id"])
            if node is None:
                node = nodes[group["id"]] = {"group": group, "children": []}
                children.append(node)
            children = node["children"]
        return children

    for position, layer in enumerate(document.get("layers") or []):
        place(layer.get("group")).append({"layer": layer, "position": position})
    for group in groups:
        place(group.get("id"))
    return root


def flatten(nodes: list[dict], depth: int = 0):
    """``(depth, node)`` in reading order."""
    for node in nodes:
        yield depth, node
        if "group" in node:
            yield from flatten(node["children"], depth + 1)


def merge_groups(existing: list[dict], imported: list[dict], layers: list[dict]) -> list[dict]:
    """The map's groups with an imported file's after them (at most ``MAX_GROUPS``). An
    imported group whose id a group of the map already has gets a new one, in
    its subgroups' ``parent`` and in ``layers``, the imported layers, changed in place."""
    from wagtail_umap.core.document import new_layer_id

    used = {group["id"] for group in existing}
    renamed: dict[str, str] = {}
    added = []
    for group in imported:
        copy = dict(group)
        if copy["id"] in used:
            while copy["id"] in used:
                copy["id"] = new_layer_id()
            renamed[group["id"]] = copy["id"]
        used.add(copy["id"])
        added.append(copy)
    for group in added:
        if group.get("parent") in renamed:
            group["parent"] = renamed[group["parent"]]
    for layer in layers:
        if layer.get("group") in renamed:
            layer["group"] = renamed[layer["group"]]
    return [*existing, *added][:MAX_GROUPS]
