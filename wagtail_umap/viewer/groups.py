"""Groups of layers in what the public sees: the feature list and the legend follow the tree.

A map without groups is rendered exactly as before. With groups, the list's layer sections
and the legend's blocks come in the tree's reading order (``core.validation_groups.tree``),
each group opening a ``<div data-umap-group>`` with a heading one level above its layers'.
The script's layer switcher reads ``config["groups"]`` (js/viewer/layer-tree.js).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wagtail_umap.core.validation_groups import ancestors, flatten, tree


@dataclass
class GroupHeading:
    id: str
    name: str
    level: int  # the heading's level (h3, h4…), at most 6
    description: str = ""


@dataclass
class Grouping:
    """What one item (a list section, a legend block) opens and closes around it."""

    closes_before: list = field(default_factory=list)  # one None a </div> before it
    opens: list[GroupHeading] = field(default_factory=list)
    closes_after: list = field(default_factory=list)  # one None a </div> after it
    depth: int = 0
    level: int = 0  # the heading level of the item itself, under its groups' headings


def groups_config(groups: list[dict]) -> dict[str, Any]:
    """The groups the layer switcher nests (nothing for a map without groups)."""
    if not groups:
        return {}
    return {
        "groups": [
            {"id": group["id"], "name": group["name"], "parent": group.get("parent")}
            for group in groups
        ]
    }


def in_tree_order(items: list, group_of, groups: list[dict], level: int) -> list:
    """``items`` in the tree's order, each given a ``grouping`` (``group_of(item)``: the id of
    its group, or None; ``level``: the heading level of a top group). Items are returned
    unchanged, in their order, when there are no groups."""
    if not groups:
        return items
    document = {"groups": groups, "layers": [{"group": group_of(item)} for item in items]}
    order = [node["position"] for _depth, node in flatten(tree(document)) if "layer" in node]
    ordered = [items[position] for position in order]
    stack: list[str] = []
    for item in ordered:
        chain = [group["id"] for group in ancestors(groups, group_of(item))]
        kept = 0
        while kept < min(len(stack), len(chain)) and stack[kept] == chain[kept]:
            kept += 1
        grouping = Grouping(
            closes_before=[None] * (len(stack) - kept),
            depth=len(chain),
            level=min(level + len(chain), 6),
        )
        by_id = {group["id"]: group for group in groups}
        for depth in range(kept, len(chain)):
            group = by_id[chain[depth]]
            grouping.opens.append(
                GroupHeading(
                    group["id"],
                    group["name"],
                    min(level + depth, 6),
                    group.get("description", ""),
                )
            )
        item.grouping = grouping
        stack = chain
    if ordered:
        ordered[-1].grouping.closes_after = [None] * len(stack)
    return ordered
