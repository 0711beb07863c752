"""OpenStreetMap JSON (Overpass API output and the plain elements format) as one layer.

Read from a ``.json`` file whose content is OSM: a top-level ``"elements"`` list, with a
``"generator"`` naming Overpass or OpenStreetMap (or an ``"osm3s"`` member). What becomes a
feature:

- a node with tags: a Point;
- a way with tags: its positions from Overpass ``out geom`` (``geometry``: ``{lat, lon}``
  objects), else from its ``nodes`` references to the file's nodes; closed and area-like
  (``area=yes``, or a tag such as ``building``, ``landuse``, ``leisure``, ``amenity``…): a
  Polygon, otherwise a LineString;
- an element with only Overpass's ``out center`` (``center``): a Point;
- a relation of type ``multipolygon`` or ``boundary``: its outer and inner member ways (with
  their geometry, or found among the file's ways) joined end to end into rings; each closed
  outer ring with the inner rings inside it: a (Multi)Polygon; a ring that does not close is
  left out, with a note;
- a relation of type ``route``: its member ways as a MultiLineString.

Tags become properties as they are (``name`` is the feature's name, as everywhere); ``@id``
holds ``node/123``, ``way/45``… An element with tags but no usable geometry is skipped with a
note naming it; untagged nodes and ways (the vertices and members of others) are not features.
"""

from __future__ import annotations

from wagtail_umap.core import messages as m
from wagtail_umap.core.document import DOCUMENT_VERSION, default_options
from wagtail_umap.core.errors import Issue, Location
from wagtail_umap.core.validation import DEFAULT_LIMITS, Limits, validate_document
from wagtail_umap.formats import FormatError, ImportResult

# Tags that make a closed way an area (OSM's own convention, in short).
AREA_KEYS = frozenset(
    ("building", "landuse", "leisure", "amenity", "natural", "place", "shop", "tourism")
    + ("historic", "military", "aeroway", "boundary", "man_made", "craft", "office", "parking")
)
LINEAR_NATURAL = frozenset(("coastline", "cliff", "ridge", "tree_row"))
RELATION_AREAS = frozenset(("multipolygon", "boundary"))
MAX_NOTES = 50  # beyond, one more note would not help an editor


def is_osm(value: object) -> bool:
    """Whether parsed JSON is OSM JSON."""
    if not isinstance(value, dict) or not isinstance(value.get("elements"), list):
        return False
    generator = value.get("generator")
    generator = generator.lower() if isinstance(generator, str) else ""
    return "overpass" in generator or "openstreetmap" in generator or "osm3s" in value


def from_value(
    value: dict,
    *,
    layer_name: str,
    limits: Limits = DEFAULT_LIMITS,
    source_bytes: int | None = None,
    owned: bool = False,
) -> ImportResult:
    """The features of parsed OSM JSON as one layer (``owned``: the caller hands ``value``
    over, and its elements are let go once the features are built, before validation)."""
    elements = value.pop("elements", None) if owned else value.get("elements")
    if not isinstance(elements, list):
        raise FormatError([Issue(m.OSM_NOT_OSM)])
    reader = _Reader(elements, Location(layer=1, layer_name=layer_name), owned=owned)
    del elements  # with ``owned``, the reader's list is the only one: see ``features``
    features = reader.features()
    notes = reader.notes[:MAX_NOTES]
    del reader  # and with it the ways it kept
    if not features:
        raise FormatError([Issue(m.OSM_NO_FEATURES)])
    layer = {"name": layer_name, "features": features}
    document = {"version": DOCUMENT_VERSION, "options": default_options(), "layers": [layer]}
    # Each feature's properties are its own dict (positions may be shared: they are copied).
    cleaned = validate_document(
        document, limits, size_checked=True, source_bytes=source_bytes, owned=True
    )
    return ImportResult(cleaned, notes)


def _position(item: object) -> list | None:
    """[lon, lat] of an OSM ``{lat, lon}`` object, or None."""
    if not isinstance(item, dict):
        return None
    lat, lon = item.get("lat"), item.get("lon")
    if type(lat) in (int, float) and type(lon) in (int, float):
        return [lon, lat]
    return None


class _Reader:
    def __init__(self, elements: list, where: Location, *, owned: bool = False) -> None:
        self.where, self.owned = where, owned  # owned: tags become properties as they are
        self.notes: list[Issue] = []
        self.nodes: dict[object, list] = {}
        self.ways: dict[object, dict] = {}
        self.elements = [item for item in elements if isinstance(item, dict)]
        for element in self.elements:
            if element.get("type") == "node":
                position = _position(element)
                if position is not None:
                    self.nodes[element.get("id")] = position
            elif element.get("type") == "way":
                self.ways[element.get("id")] = element

    def note(self, template: str, **params: object) -> None:
        self.notes.append(Issue(template, params, self.where))

    def features(self) -> list[dict]:
        """Each element's feature; an element is let go once read (when nothing else holds it,
        its memory is there for the features)."""
        features = []
        elements = self.elements
        for index, element in enumerate(elements):
            elements[index] = None
            tags = element.get("tags")
            kind = element.get("type")
            if not isinstance(tags, dict) or not tags or kind not in ("node", "way", "relation"):
                continue
            geometry = self.geometry(element, kind, tags)
            name = f"{kind}/{element.get('id')}"
            if geometry is None:
                continue
            if self.owned:
                properties = tags  # parsed JSON: its keys are strings, and it is ours
            else:
                properties = {key: value for key, value in tags.items() if isinstance(key, str)}
            properties["@id"] = name
            features.append({"type": "Feature", "geometry": geometry, "properties": properties})
        return features

    def geometry(self, element: dict, kind: str, tags: dict) -> dict | None:
        if kind == "node":
            position = _position(element)
        elif isinstance(element.get("center"), dict) and "geometry" not in element:
            position = _position(element["center"])
        elif kind == "relation":
            return self.relation_geometry(element, tags)
        else:
            noted = len(self.notes)
            positions = self.way_positions(element)
            if positions is not None:
                return self.way_geometry(element, positions, tags)
            if len(self.notes) > noted:
                return None  # already said why
            position = None
        if position is None:
            self.note(m.OSM_NOTE_SKIPPED, kind=kind, id=element.get("id"))
            return None
        return {"type": "Point", "coordinates": position}

    def way_positions(self, way: dict) -> list | None:
        """A way's positions, from its own ``geometry`` or its node references; None, with a
        note, when they are missing."""
        geometry = way.get("geometry")
        if isinstance(geometry, list) and geometry:
            positions = [_position(item) for item in geometry]
            if None not in positions:
                return positions
        references = way.get("nodes")
        if isinstance(references, list) and references:
            missing = [ref for ref in references if ref not in self.nodes]
            if missing:
                self.note(
                    m.OSM_NOTE_MISSING_NODES, kind="way", id=way.get("id"), count=len(missing)
                )
                return None
            return [self.nodes[ref] for ref in references]
        return None

    def way_geometry(self, way: dict, positions: list, tags: dict) -> dict | None:
        if len(positions) < 2:
            self.note(m.OSM_NOTE_SKIPPED, kind="way", id=way.get("id"))
            return None
        closed = len(positions) >= 4 and positions[0] == positions[-1]
        if closed and _is_area(tags):
            return {"type": "Polygon", "coordinates": [positions]}
        return {"type": "LineString", "coordinates": positions}

    def member_lines(self, relation: dict, roles: tuple[str, ...]) -> list[list]:
        lines = []
        for member in relation.get("members") or ():
            if not isinstance(member, dict) or member.get("type") != "way":
                continue
            if member.get("role", "") not in roles:
                continue
            positions = None
            if isinstance(member.get("geometry"), list):
                positions = [_position(item) for item in member["geometry"]]
                positions = None if None in positions else positions
            elif member.get("ref") in self.ways:
                positions = self.way_positions(self.ways[member["ref"]])
            if positions and len(positions) >= 2:
                lines.append(positions)
        return lines

    def relation_geometry(self, relation: dict, tags: dict) -> dict | None:
        kind = tags.get("type")
        skipped = {"kind": "relation", "id": relation.get("id")}
        if kind == "route":
            lines = self.member_lines(relation, ("", "forward", "backward", "main"))
            if not lines:
                self.note(m.OSM_NOTE_SKIPPED, **skipped)
                return None
            return {"type": "MultiLineString", "coordinates": lines}
        if kind not in RELATION_AREAS:
            self.note(m.OSM_NOTE_SKIPPED, **skipped)
            return None
        outers = _rings(self.member_lines(relation, ("outer", "")))
        inners = _rings(self.member_lines(relation, ("inner",)))
        if outers is None or inners is None or not outers:
            self.note(m.OSM_NOTE_SKIPPED, **skipped)
            return None
        polygons = [[outer] for outer in outers]
        for inner in inners:
            for polygon in polygons:
                if _inside(inner[0], polygon[0]):
                    polygon.append(inner)
                    break
        if len(polygons) == 1:
            return {"type": "Polygon", "coordinates": polygons[0]}
        return {"type": "MultiPolygon", "coordinates": polygons}


def _is_area(tags: dict) -> bool:
    if tags.get("area") == "no":
        return False
    if tags.get("area") == "yes":
        return True
    if tags.get("natural") in LINEAR_NATURAL:
        return False
    return not AREA_KEYS.isdisjoint(tags)


def _rings(lines: list[list]) -> list[list] | None:
    """Lines joined end to end into closed rings; None when one does not close."""
    pending = [list(line) for line in lines]
    rings = []
    while pending:
        ring = pending.pop(0)
        while ring[0] != ring[-1]:
            for index, line in enumerate(pending):
                if line[0] == ring[-1]:
                    ring.extend(line[1:])
                elif line[-1] == ring[-1]:
                    ring.extend(reversed(line[:-1]))
                else:
                    continue
                del pending[index]
                break
            else:
                return None
        if len(ring) < 4:
            return None
        rings.append(ring)
    return rings


def _inside(point: list, ring: list) -> bool:
    """Whether ``point`` is inside ``ring`` (even-odd rule)."""
    x, y = point[0], point[1]
    inside = False
    for (x1, y1), (x2, y2) in zip(
        (position[:2] for position in ring), (position[:2] for position in ring[1:]), strict=False
    ):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside
