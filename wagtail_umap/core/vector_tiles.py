"""Precomputed vector tiles of a large layer (docs/large-data.md, "Vector tiles").

A layer's features become Mapbox Vector Tiles (MVT 2.1, extent 4096) for a range of zooms, in
one PMTiles v3 archive that a browser reads with HTTP range requests, a few tiles at a time:

- points are grouped per zoom on a grid of 64 pixels (a cluster carries its count and the
  index of one of its points); at the archive's last zoom every point is its own feature;
- lines and polygons are projected once, then per zoom snapped to the tile grid (half a
  pixel below the last zoom, the tile's 4096 units at it), with repeated positions dropped,
  and below the last zoom simplified (Douglas–Peucker, half a pixel); a polygon or line
  whose box is under two pixels below the last zoom (one at it) becomes the rectangle of its
  box in whole pixels, once per rectangle: a feature with its id, cheap to send;
- each feature carries its position in the layer (the MVT feature id) and a few properties
  (its name, its ``_style``, the properties named by the caller) as tags.

The geometry is projected and kept as flat ``array('d')`` lines, 16 bytes a position, so the
build holds about 35 MB for two million vertices; tiles are written one zoom at a time in
tile-id order to a temporary file (the ``pmtiles`` writer), never all in memory.

Pure Python: no Django, and no GEOS or protobuf library (mapbox-vector-tile would bring Shapely,
pyclipper, protobuf and NumPy, 89 MB, and validates every geometry through Shapely; the
encoder below writes the few protobuf fields an MVT needs).
"""

from __future__ import annotations

import gzip
import itertools
import math
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

EXTENT = 4096
BUFFER = 64  # tile units drawn beyond each edge, so that strokes do not stop at tile seams
LAYER_NAME = "features"
MAX_ZOOM = 14
CLUSTER_CELL = 64  # pixels: the grid a point zoom groups points on (supercluster's radius is 60)
POINT_KINDS = {"Point": 1, "MultiPoint": 1}
LINE_KINDS = {"LineString": 2, "MultiLineString": 2}
POLYGON_KINDS = {"Polygon": 3, "MultiPolygon": 3}
MAX_LAT = 85.05112878


def project(lng: float, lat: float) -> tuple[float, float]:
    """Web Mercator, in world units: (0, 0) top left, (1, 1) bottom right."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    sin = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)
    return lng / 360 + 0.5, y


def unproject(x: float, y: float) -> tuple[float, float]:
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))
    return (x - 0.5) * 360, lat


# --- the layer, projected -----------------------------------------------------------------


@dataclass
class Shape:
    """One feature's lines or polygons: ``kind`` 2 (lines) or 3 (polygons); ``parts`` holds,
    for lines, one list per line with its flat [x0, y0, x1, y1, …] array; for polygons, one
    list per polygon with its rings (exterior first)."""

    index: int
    kind: int
    parts: list[list[array]]
    bbox: tuple[float, float, float, float]
    tags: dict[str, Any]


@dataclass
class Projected:
    points: array = field(default_factory=lambda: array("d"))  # x, y, x, y…
    point_index: array = field(default_factory=lambda: array("l"))
    point_tags: list[dict] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    bbox: list[float] = field(default_factory=lambda: [1.0, 1.0, 0.0, 0.0])  # world units
    vertices: int = 0

    def grow(self, x0: float, y0: float, x1: float, y1: float) -> None:
        box = self.bbox
        box[0], box[1] = min(box[0], x0), min(box[1], y0)
        box[2], box[3] = max(box[2], x1), max(box[3], y1)


def _line(positions: list) -> array:
    flat = array("d")
    for position in positions:
        flat.extend(project(position[0], position[1]))
    return flat


def feature_tags(properties: dict, keys: Iterable[str]) -> dict[str, Any]:
    """The properties a tile carries: strings, numbers and booleans only."""
    tags = {}
    for key in keys:
        value = properties.get(key)
        if isinstance(value, bool | int | float | str) and value != "":
            tags[key] = value
        elif isinstance(value, dict) and key == "_style":
            import json

            tags[key] = json.dumps(value, separators=(",", ":"), sort_keys=True)
    return tags


def _add_geometry(layer: Projected, index: int, geometry: dict, tags: dict) -> None:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "GeometryCollection":
        for child in geometry.get("geometries") or []:
            _add_geometry(layer, index, child, tags)
        return
    if not coordinates:
        return
    if kind in POINT_KINDS:
        for position in [coordinates] if kind == "Point" else coordinates:
            x, y = project(position[0], position[1])
            layer.points.extend((x, y))
            layer.point_index.append(index)
            layer.point_tags.append(tags)
            layer.grow(x, y, x, y)
        layer.vertices += 1 if kind == "Point" else len(coordinates)
        return
    if kind == "LineString":
        parts = [[_line(coordinates)]]
    elif kind == "MultiLineString":
        parts = [[_line(line)] for line in coordinates]
    elif kind == "Polygon":
        parts = [[_line(ring) for ring in coordinates]]
    elif kind == "MultiPolygon":
        parts = [[_line(ring) for ring in polygon] for polygon in coordinates]
    else:
        return
    xs = [min(ring[0::2]) for part in parts for ring in part if ring]
    if not xs:
        return
    x0 = min(xs)
    y0 = min(min(ring[1::2]) for part in parts for ring in part if ring)
    x1 = max(max(ring[0::2]) for part in parts for ring in part if ring)
    y1 = max(max(ring[1::2]) for part in parts for ring in part if ring)
    layer.vertices += sum(len(ring) // 2 for part in parts for ring in part)
    kind_number = LINE_KINDS.get(kind) or POLYGON_KINDS[kind]
    layer.shapes.append(Shape(index, kind_number, parts, (x0, y0, x1, y1), tags))
    layer.grow(x0, y0, x1, y1)


def project_layer(
    batches: Iterable[list[dict]], keys: Iterable[str] = ("name",), first_index: int = 0
) -> Projected:
    """The projected layer from its features, a batch at a time (their order is their index)."""
    keys = tuple(dict.fromkeys(keys))
    layer = Projected()
    index = first_index
    for batch in batches:
        for feature in batch:
            geometry = feature.get("geometry")
            if geometry:
                tags = feature_tags(feature.get("properties") or {}, keys)
                _add_geometry(layer, index, geometry, tags)
            index += 1
    return layer


# --- the properties a layer's styles and names read ----------------------------------------

# Representations whose styles the viewer computes from one property of each feature, over
# tiles as over inline GeoJSON (docs/large-data.md); the others load the layer's data URL.
TILED_REPRESENTATIONS = frozenset({"plain", "choropleth", "categorized"})


def _label_keys(label_key: object) -> list[str]:
    """The properties a label key reads: itself, or each "{a|b|\"text\"}" placeholder's names."""
    if not isinstance(label_key, str) or not label_key.strip():
        return []
    if "{" not in label_key:
        return [label_key]
    keys = []
    for inner in re.findall(r"\{([^{}]+)\}", label_key):
        keys += [name.strip() for name in inner.split("|") if name.strip()[:1] not in ('"', "")]
    return keys


def _rule_keys(rules: object) -> list[str]:
    return [
        rule["field"]
        for rule in rules or []
        if isinstance(rule, dict) and isinstance(rule.get("field"), str) and rule["field"]
    ]


def style_keys(layer: dict, map_rules: object = None) -> list[str]:
    """The properties of a layer's features that its representation, its rules, the map's
    rules and its label read: what its tiles carry beside ``name`` and ``_style``, so that the
    viewer styles and names a tiled feature as an inline one, and no other property."""
    keys: list[str] = []
    representation = layer.get("representation") or {}
    if isinstance(representation, dict) and representation.get("type") in TILED_REPRESENTATIONS:
        field_name = representation.get("field")
        if isinstance(field_name, str) and field_name:
            keys.append(field_name)
    keys += _rule_keys(layer.get("rules")) + _rule_keys(map_rules)
    keys += _label_keys(layer.get("label_key"))
    return sorted(set(keys) - {"name", "_style"})


# --- zoom range -----------------------------------------------------------------------------


def zoom_range(layer: Projected) -> tuple[int, int]:
    """From the zoom at which the layer's box fits a tile, less one, to the zoom at which a
    typical feature spans a quarter of a tile (points: their spacing), at most ``MAX_ZOOM``;
    the viewer overzooms beyond it (extent 4096: a sixteenth of a pixel at the last zoom)."""
    west, north, east, south = layer.bbox
    span = max(east - west, south - north, 1e-9)
    fit = max(0, min(MAX_ZOOM, math.floor(-math.log2(span))))
    first = max(0, fit - 1)
    if layer.shapes:
        sizes = sorted(max(s.bbox[2] - s.bbox[0], s.bbox[3] - s.bbox[1]) for s in layer.shapes)
        typical = max(sizes[len(sizes) // 2], 1e-9)
        last = math.ceil(-math.log2(typical * 4))
    else:
        count = max(1, len(layer.point_index))
        # Evenly spread, points are span / sqrt(count) apart: the zoom at which that is 32 px.
        spacing = max(span / math.sqrt(count), 1e-9)
        last = math.ceil(-math.log2(spacing * 256 / 32))
    last = max(first + 1, min(MAX_ZOOM, last))
    return first, last


# --- MVT encoding ---------------------------------------------------------------------------


def _varint(out: bytearray, value: int) -> None:
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _varint_bytes(value: int) -> bytes:
    out = bytearray()
    _varint(out, value)
    return bytes(out)


# Most numbers of a tile (deltas, counts, tag positions) are small: their bytes, ready.
SMALL = [_varint_bytes(value) for value in range(1 << 14)]


def _packed(numbers: Iterable[int]) -> bytes:
    small = SMALL
    return b"".join(small[n] if n < 16384 else _varint_bytes(n) for n in numbers)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _field(out: bytearray, number: int, payload: bytes | bytearray) -> None:
    _varint(out, (number << 3) | 2)
    _varint(out, len(payload))
    out += payload


def _value(value: Any) -> bytes:
    out = bytearray()
    if isinstance(value, bool):
        out.append(0x38)
        out.append(1 if value else 0)
    elif isinstance(value, int) and value >= 0:
        out.append(0x28)
        _varint(out, value)
    elif isinstance(value, int):
        out.append(0x30)
        _varint(out, _zigzag(value))
    elif isinstance(value, float):
        import struct

        out.append(0x19)
        out += struct.pack("<d", value)
    else:
        _field(out, 1, str(value).encode("utf-8"))
    return bytes(out)


class TileEncoder:
    """One MVT layer being written: features, and the shared key and value tables."""

    def __init__(self) -> None:
        self.features = bytearray()
        self.keys: dict[str, int] = {}
        self.values: dict[tuple[type, Any], int] = {}
        self.count = 0

    def _tags(self, tags: dict[str, Any]) -> bytes:
        numbers = []
        for key, value in tags.items():
            numbers.append(self.keys.setdefault(key, len(self.keys)))
            numbers.append(self.values.setdefault((type(value), value), len(self.values)))
        return _packed(numbers)

    def add(self, feature_id: int, kind: int, geometry: list[int], tags: dict[str, Any]) -> None:
        body = bytearray()
        body.append(0x08)  # id
        _varint(body, feature_id)
        packed = self._tags(tags)
        if packed:
            _field(body, 2, packed)
        body.append(0x18)  # type
        body.append(kind)
        _field(body, 4, _packed(geometry))
        _field(self.features, 2, body)
        self.count += 1

    def encode(self) -> bytes:
        layer = bytearray()
        layer.append(0x78)  # version 2
        layer.append(2)
        _field(layer, 1, LAYER_NAME.encode())
        layer += self.features
        for key in self.keys:
            _field(layer, 3, key.encode("utf-8"))
        for _kind, value in self.values:
            _field(layer, 4, _value(value))
        layer.append(0x28)  # extent
        _varint(layer, EXTENT)
        tile = bytearray()
        _field(tile, 3, layer)
        return bytes(tile)


def _command(command: int, count: int) -> int:
    return (command & 7) | (count << 3)


def points_geometry(points: list[tuple[int, int]]) -> list[int]:
    out = [_command(1, len(points))]
    cx = cy = 0
    for x, y in points:
        out.append(_zigzag(x - cx))
        out.append(_zigzag(y - cy))
        cx, cy = x, y
    return out


def _ring_area(ring: list[tuple[int, int]]) -> int:
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=False)
    )


def lines_geometry(lines: list[list[tuple[int, int]]], closed: bool) -> list[int]:
    """MoveTo, LineTo (and ClosePath) commands for lines or rings in tile units; a ring comes
    without its closing position. (Comprehensions rather than a loop per position: 3× faster.)"""
    out: list[int] = []
    cx = cy = 0
    close = _command(7, 1)
    for line in lines:
        xs = [p[0] for p in line]
        ys = [p[1] for p in line]
        dx = [xs[0] - cx, *(b - a for a, b in itertools.pairwise(xs))]
        dy = [ys[0] - cy, *(b - a for a, b in itertools.pairwise(ys))]
        params = [0] * (2 * len(line))
        params[0::2] = [(d << 1) ^ (d >> 63) for d in dx]
        params[1::2] = [(d << 1) ^ (d >> 63) for d in dy]
        out += (_command(1, 1), params[0], params[1], _command(2, len(line) - 1))
        out += params[2:]
        if closed:
            out.append(close)
        cx, cy = xs[-1], ys[-1]
    return out


# --- cutting one zoom -----------------------------------------------------------------------


def _snap(ring: array, scale: float, step: int, closed: bool) -> list[tuple[int, int]]:
    """Positions in the zoom's global tile units (tile x * EXTENT + …), snapped to ``step``,
    without consecutive repeats (and without the ring's closing position)."""
    if step == 1:
        xs = [round(v * scale) for v in ring[0::2]]
        ys = [round(v * scale) for v in ring[1::2]]
    else:
        factor = scale / step
        xs = [round(v * factor) * step for v in ring[0::2]]
        ys = [round(v * factor) * step for v in ring[1::2]]
    points = list(zip(xs, ys, strict=False))
    out = [
        point
        for point, before in zip(points, [None, *points[:-1]], strict=False)
        if point != before
    ]
    if closed and len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _simplify(points: list[tuple[int, int]], tolerance: int, closed: bool) -> list:
    """Douglas–Peucker: the positions that stray more than ``tolerance`` tile units from the
    simplified line (a ring is split at its first position and the one farthest from it)."""
    if len(points) <= (4 if closed else 2):
        return points
    if closed:
        x0, y0 = points[0]
        far = max(
            range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2
        )
        line = [*points, points[0]]
        keep = _keep(line, 0, far, tolerance) | _keep(line, far, len(points), tolerance)
        kept = [points[i] for i in sorted(keep) if i < len(points)]
        return kept if len(kept) >= 3 else points
    keep = _keep(points, 0, len(points) - 1, tolerance)
    return [points[i] for i in sorted(keep)]


def _keep(points: list[tuple[int, int]], first: int, last: int, tolerance: int) -> set[int]:
    """The indices between ``first`` and ``last`` (both kept) that Douglas–Peucker keeps."""
    keep = {first, last}
    stack = [(first, last)]
    limit = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        worst, worst_at = -1, a
        for i in range(a + 1, b):
            px, py = points[i]
            if length:
                cross = (px - ax) * dy - (py - ay) * dx
                distance = cross * cross / length
            else:
                distance = (px - ax) ** 2 + (py - ay) ** 2
            if distance > worst:
                worst, worst_at = distance, i
        if worst > limit:
            keep.add(worst_at)
            stack.append((a, worst_at))
            stack.append((worst_at, b))
    return keep


def _clip_polygon(ring: list[tuple[int, int]], x0: int, y0: int, x1: int, y1: int) -> list:
    """Sutherland–Hodgman against a box (the tile with its buffer)."""

    def clip(points, inside, cut):
        result = []
        for i in range(len(points)):
            current, previous = points[i], points[i - 1]
            if inside(current):
                if not inside(previous):
                    result.append(cut(previous, current))
                result.append(current)
            elif inside(previous):
                result.append(cut(previous, current))
        return result

    def at_x(x):
        return lambda a, b: (x, round(a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])))

    def at_y(y):
        return lambda a, b: (round(a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1])), y)

    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    # Only against the sides the ring crosses: most rings cross one or two.
    sides = (
        (min(xs) < x0, lambda p: p[0] >= x0, at_x(x0)),
        (max(xs) > x1, lambda p: p[0] <= x1, at_x(x1)),
        (min(ys) < y0, lambda p: p[1] >= y0, at_y(y0)),
        (max(ys) > y1, lambda p: p[1] <= y1, at_y(y1)),
    )
    for crosses, inside, cut in sides:
        if not crosses:
            continue
        ring = clip(ring, inside, cut)
        if not ring:
            return []
    return ring


def _clip_line(line: list[tuple[int, int]], x0: int, y0: int, x1: int, y1: int) -> list:
    """The pieces of a line inside a box (each segment kept whole when it touches the box:
    the canvas clips the rest)."""
    pieces, current = [], []
    for i in range(1, len(line)):
        (ax, ay), (bx, by) = line[i - 1], line[i]
        outside = (
            (ax < x0 and bx < x0)
            or (ax > x1 and bx > x1)
            or (ay < y0 and by < y0)
            or (ay > y1 and by > y1)
        )
        if outside:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        if not current:
            current = [line[i - 1]]
        current.append(line[i])
    if len(current) > 1:
        pieces.append(current)
    return pieces


@dataclass
class TileFeature:
    index: int
    kind: int
    geometry: list[int]
    tags: dict


def _shape_pieces(
    shape: Shape, scale: float, step: int, tolerance: int = 0
) -> list[list[list[tuple[int, int]]]]:
    """The shape's parts at one zoom, in global tile units; None parts collapsed."""
    closed = shape.kind == 3
    pieces = []
    for part in shape.parts:
        rings = [_snap(ring, scale, step, closed) for ring in part]
        if tolerance:
            rings = [_simplify(ring, tolerance, closed) for ring in rings]
        if closed:
            if len(rings[0]) < 3:
                continue  # the exterior collapsed: the part is smaller than the grid
            rings = [ring for ring in rings if len(ring) >= 3]
        else:
            rings = [ring for ring in rings if len(ring) >= 2]
        if rings:
            pieces.append(rings)
    return pieces


PIXEL = EXTENT // 256  # tile units in a screen pixel
SNAP_STEP = 8  # below the last zoom, positions are snapped to half a pixel…
SIMPLIFY = 8  # …and dropped where they stray less than half a pixel (Douglas–Peucker)
# Below the last zoom, a polygon or line whose box is smaller than this many pixels is drawn
# as the pixel-snapped rectangle of its box: at a national view most small polygons are one
# or two pixels wide, and their full rings cost ten times the bytes for the same pixels.
TINY_PIXELS = 2


def _tiny_feature(shape: Shape, box: tuple[float, float, float, float], tags: dict) -> tuple:
    """((tile x, tile y), (x, y, w, h) in tile units, TileFeature) of a shape drawn as the
    rectangle of its box snapped to whole pixels (at least one), or None off the world."""
    sx0, sy0, sx1, sy1 = box
    px, py = int(sx0 // PIXEL) * PIXEL, int(sy0 // PIXEL) * PIXEL
    width = max(PIXEL, round((sx1 - px) / PIXEL) * PIXEL)
    height = max(PIXEL, round((sy1 - py) / PIXEL) * PIXEL)
    tx, ty = px // EXTENT, py // EXTENT
    lx, ly = px - tx * EXTENT, py - ty * EXTENT
    if shape.kind == 3:
        # Clockwise on screen (y down), as MVT asks of an exterior ring.
        ring = [(lx, ly), (lx + width, ly), (lx + width, ly + height), (lx, ly + height)]
        geometry = lines_geometry([ring], closed=True)
    else:
        geometry = lines_geometry([[(lx, ly), (lx + width, ly + height)]], closed=False)
    return (tx, ty), (lx, ly, width, height), TileFeature(shape.index, shape.kind, geometry, tags)


def cut_shapes(layer: Projected, zoom: int, last_zoom: int, tags_at: bool) -> dict:
    """{(x, y): [TileFeature]} of the lines and polygons at ``zoom``."""
    tiles: dict[tuple[int, int], list[TileFeature]] = {}
    scale = (1 << zoom) * EXTENT
    step = 1 if zoom >= last_zoom else SNAP_STEP
    tiny = PIXEL if zoom >= last_zoom else TINY_PIXELS * PIXEL
    tiny_seen: dict[tuple[int, int], set] = {}
    limit = 1 << zoom
    for shape in layer.shapes:
        sx0, sy0, sx1, sy1 = (v * scale for v in shape.bbox)
        tags = shape.tags if tags_at else {k: v for k, v in shape.tags.items() if k != "name"}
        if sx1 - sx0 < tiny and sy1 - sy0 < tiny:
            # Drawn as a rectangle of whole pixels, once per rectangle: two shapes with the
            # same one cannot be told apart by a click at this zoom anyway.
            key, rectangle, feature = _tiny_feature(shape, (sx0, sy0, sx1, sy1), tags)
            if not (0 <= key[0] < limit and 0 <= key[1] < limit):
                continue
            seen = tiny_seen.setdefault(key, set())
            if rectangle not in seen:
                seen.add(rectangle)
                tiles.setdefault(key, []).append(feature)
            continue
        pieces = _shape_pieces(shape, scale, step, 0 if zoom >= last_zoom else SIMPLIFY)
        if not pieces:
            continue
        first_x = max(0, int((sx0 - BUFFER) // EXTENT))
        last_x = min(limit - 1, int((sx1 + BUFFER) // EXTENT))
        first_y = max(0, int((sy0 - BUFFER) // EXTENT))
        last_y = min(limit - 1, int((sy1 + BUFFER) // EXTENT))
        for tx in range(first_x, last_x + 1):
            for ty in range(first_y, last_y + 1):
                ox, oy = tx * EXTENT, ty * EXTENT
                box = (ox - BUFFER, oy - BUFFER, ox + EXTENT + BUFFER, oy + EXTENT + BUFFER)
                inside = sx0 >= box[0] and sy0 >= box[1] and sx1 <= box[2] and sy1 <= box[3]
                rings_out: list[list[tuple[int, int]]] = []
                for part in pieces:
                    for ring in part:
                        if shape.kind == 3:
                            clipped = ring if inside else _clip_polygon(ring, *box)
                            if len(clipped) < 3:
                                continue
                            local = [(x - ox, y - oy) for x, y in clipped]
                            # MVT: exteriors clockwise on screen (positive area, y down),
                            # holes the other way; a part's first ring is its exterior.
                            exterior = ring is part[0]
                            area = _ring_area(local)
                            if area == 0:
                                continue
                            if (area > 0) != exterior:
                                local.reverse()
                            rings_out.append(local)
                        else:
                            for piece in [ring] if inside else _clip_line(ring, *box):
                                rings_out.append([(x - ox, y - oy) for x, y in piece])
                if rings_out:
                    geometry = lines_geometry(rings_out, closed=shape.kind == 3)
                    tiles.setdefault((tx, ty), []).append(
                        TileFeature(shape.index, shape.kind, geometry, tags)
                    )
    return tiles


def cluster_points(layer: Projected, zoom: int, last_zoom: int) -> dict:
    """{(x, y): [TileFeature]} of the points at ``zoom``: below the last zoom, one feature per
    occupied cell of a 64-pixel grid (a cluster: ``count`` and the id of its first point; a
    lone point: itself); at the last zoom, every point."""
    tiles: dict[tuple[int, int], list[TileFeature]] = {}
    scale = (1 << zoom) * EXTENT
    cell = CLUSTER_CELL * EXTENT // 256
    points, indices = layer.points, layer.point_index
    if zoom >= last_zoom:
        for n in range(len(indices)):
            x, y = round(points[2 * n] * scale), round(points[2 * n + 1] * scale)
            tx, ty = x // EXTENT, y // EXTENT
            geometry = points_geometry([(x - tx * EXTENT, y - ty * EXTENT)])
            feature = TileFeature(indices[n], 1, geometry, layer.point_tags[n])
            tiles.setdefault((tx, ty), []).append(feature)
        return tiles
    cells: dict[tuple[int, int], list] = {}
    for n in range(len(indices)):
        x, y = points[2 * n] * scale, points[2 * n + 1] * scale
        key = (int(x // cell), int(y // cell))
        found = cells.get(key)
        if found is None:
            cells[key] = [n, 1, x, y]
        else:
            found[1] += 1
            found[2] += x
            found[3] += y
    for (cx, cy), (first, count, sum_x, sum_y) in cells.items():
        x, y = round(sum_x / count), round(sum_y / count)
        tx, ty = cx * cell // EXTENT, cy * cell // EXTENT  # the cell's tile: no seam splits it
        x = min(max(x, tx * EXTENT), tx * EXTENT + EXTENT - 1)
        y = min(max(y, ty * EXTENT), ty * EXTENT + EXTENT - 1)
        geometry = points_geometry([(x - tx * EXTENT, y - ty * EXTENT)])
        tags = {"count": count} if count > 1 else layer.point_tags[first]
        tiles.setdefault((tx, ty), []).append(TileFeature(indices[first], 1, geometry, tags))
    return tiles


def encode_tile(features: list[TileFeature]) -> bytes:
    encoder = TileEncoder()
    for feature in features:
        encoder.add(feature.index, feature.kind, feature.geometry, feature.tags)
    return gzip.compress(encoder.encode(), compresslevel=6, mtime=0)


# --- the archive ----------------------------------------------------------------------------


@dataclass
class ArchiveSummary:
    min_zoom: int
    max_zoom: int
    tiles: int
    size: int
    kind: str  # "points" or "shapes"


def write_archive(layer: Projected, out: IO[bytes], name: str = "") -> ArchiveSummary:
    """The layer's tiles, as a PMTiles v3 archive written to ``out`` (a binary file)."""
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    first, last = zoom_range(layer)
    writer = Writer(out)
    count = 0
    shapes = bool(layer.shapes)
    for zoom in range(first, last + 1):
        tiles = cluster_points(layer, zoom, last) if layer.point_index else {}
        if shapes:
            # Names only where a tile holds few enough features for them to matter (labels
            # and hover); the popup fetches the feature anyway.
            for key, features in cut_shapes(layer, zoom, last, tags_at=zoom >= last - 2).items():
                tiles.setdefault(key, []).extend(features)
        for tile_id, key in sorted((zxy_to_tileid(zoom, x, y), (x, y)) for x, y in tiles):
            writer.write_tile(tile_id, encode_tile(tiles[key]))
            count += 1
        del tiles
    west, north = unproject(layer.bbox[0], layer.bbox[1])
    east, south = unproject(layer.bbox[2], layer.bbox[3])
    header = {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_lon_e7": int(west * 1e7),
        "min_lat_e7": int(south * 1e7),
        "max_lon_e7": int(east * 1e7),
        "max_lat_e7": int(north * 1e7),
        "center_zoom": first,
        "center_lon_e7": int((west + east) / 2 * 1e7),
        "center_lat_e7": int((south + north) / 2 * 1e7),
    }
    metadata = {
        "name": name,
        "vector_layers": [{"id": LAYER_NAME, "minzoom": first, "maxzoom": last, "fields": {}}],
        "wagtail_umap": {"kind": "shapes" if shapes else "points", "cluster_cell": CLUSTER_CELL},
    }
    if count == 0:
        raise ValueError("no feature with a geometry")
    writer.finalize(header, metadata)
    return ArchiveSummary(first, last, count, out.tell(), "shapes" if shapes else "points")
