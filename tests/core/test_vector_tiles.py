"""The tile builder (core/vector_tiles.py): clusters per zoom, snapped polygons, ids and tags,
one PMTiles archive; read back with pmtiles' reader and a reader of the MVT specification."""

import io
import math

import pytest
from pmtiles.reader import MemorySource, Reader, all_tiles

from tests.mvt import decode
from wagtail_umap.core import vector_tiles as vt


def point(lng, lat, name):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {"name": name, "other": "x" * 50},
    }


def square(lng, lat, size, name, style=None):
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    properties = {"name": name, **({"_style": style} if style else {})}
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": properties,
    }


def build(features):
    layer = vt.project_layer([features], keys=("name", "_style"))
    out = io.BytesIO()
    summary = vt.write_archive(layer, out)
    return layer, summary, Reader(MemorySource(out.getvalue()))


def tile_of(lng, lat, zoom):
    x, y = vt.project(lng, lat)
    return int(x * 2**zoom), int(y * 2**zoom)


def test_points_are_clustered_below_the_last_zoom_and_single_at_it():
    # 400 points in a 0.2° square near Paris, one far away in Brittany.
    features = [point(2.3 + (i % 20) * 0.01, 48.8 + (i // 20) * 0.01, f"P{i}") for i in range(400)]
    features.append(point(-3.0, 48.0, "Seul"))
    layer, summary, reader = build(features)
    assert summary.kind == "points"
    first, last = summary.min_zoom, summary.max_zoom
    assert first < last <= vt.MAX_ZOOM
    # At the first zoom the 400 points are few clusters whose counts add up, the lone point
    # is a single feature with its name and index.
    counted, singles = 0, []
    west, north, east, south = layer.bbox
    for x in range(int(west * 2**first), int(east * 2**first) + 1):
        for y in range(int(north * 2**first), int(south * 2**first) + 1):
            data = reader.get(first, x, y)
            for feature in decode(data)["features"] if data else []:
                assert feature["type"] == 1
                if "count" in feature["tags"]:
                    counted += feature["tags"]["count"]
                else:
                    singles.append(feature)
    assert counted + len(singles) == 401
    assert counted >= 390
    assert any(f["id"] == 400 and f["tags"] == {"name": "Seul"} for f in singles)
    # At the last zoom each point is itself: index as id, name as tag, not the other property.
    x, y = tile_of(2.3, 48.8, last)
    features_at = decode(reader.get(last, x, y))["features"]
    assert {"count"} & set().union(*(f["tags"] for f in features_at)) == set()
    first_point = next(f for f in features_at if f["id"] == 0)
    assert first_point["tags"] == {"name": "P0"}


def test_polygons_are_snapped_tagged_and_in_every_tile_they_cross():
    features = [square(2.0 + i * 0.02, 47.0, 0.01, f"C{i}", {"color": "red"}) for i in range(50)]
    features.append(square(1.0, 46.0, 1.5, "Grand"))  # crosses tile edges at the last zoom
    _layer, summary, reader = build(features)
    assert summary.kind == "shapes"
    last = summary.max_zoom
    x, y = tile_of(2.0 + 0.005, 47.005, last)
    decoded = decode(reader.get(last, x, y))
    assert decoded["extent"] == vt.EXTENT
    c0 = next(f for f in decoded["features"] if f["id"] == 0)
    assert c0["type"] == 3
    assert c0["tags"]["name"] == "C0"
    assert c0["tags"]["_style"] == '{"color":"red"}'
    ring = c0["geometry"][0]
    assert len(ring) == 4  # the closing position is implied
    x0, _y0 = vt.project(2.0, 47.0)
    assert abs(ring[0][0] - (x0 * 2**last - x) * vt.EXTENT) <= 1
    # Exterior rings are clockwise on screen (MVT 2.1): positive area with y down.
    assert vt._ring_area(ring) > 0
    # The large square is cut into each tile it crosses, clipped to the tile and its buffer.
    gx0, gy0 = tile_of(1.0, 47.5, last)
    gx1, gy1 = tile_of(2.5, 46.0, last)
    assert gx1 > gx0 and gy1 > gy0
    for tx in (gx0, gx1):
        big = [f for f in decode(reader.get(last, tx, gy0))["features"] if f["id"] == 50]
        assert big, (tx, gy0)
        for px, py in big[0]["geometry"][0]:
            assert -vt.BUFFER <= px <= vt.EXTENT + vt.BUFFER
            assert -vt.BUFFER <= py <= vt.EXTENT + vt.BUFFER


def test_polygons_smaller_than_a_pixel_become_one_square_per_pixel_without_names():
    features = [square(2.0 + (i % 10) * 0.0001, 47.0, 0.00005, f"Mini {i}") for i in range(100)]
    features.append(square(5.0, 45.0, 0.01, "Loin"))
    _layer, summary, reader = build(features)
    first = summary.min_zoom
    x, y = tile_of(2.0, 47.0, first)
    decoded = decode(reader.get(first, x, y))["features"]
    minis = [f for f in decoded if f["id"] < 100]
    assert 1 <= len(minis) < 10  # the hundred share a few pixels
    for feature in minis:
        assert "name" not in feature["tags"]  # names travel at the last zooms only
        (ring,) = feature["geometry"]
        xs = {p[0] for p in ring}
        assert max(xs) - min(xs) == vt.EXTENT // 256  # one pixel
        assert vt._ring_area(ring) > 0  # an exterior: clockwise on screen


def commune(lng, lat, size, name, vertices=60):
    """A round polygon of ``vertices`` positions, ``size`` degrees across."""
    ring = [
        [
            lng + size / 2 * math.cos(2 * math.pi * k / vertices),
            lat + size / 2 * math.sin(2 * math.pi * k / vertices),
        ]
        for k in range(vertices)
    ]
    ring.append(ring[0])
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": name},
    }


def features_at(reader, zoom, lng, lat, feature_id):
    x, y = tile_of(lng, lat, zoom)
    return [f for f in decode(reader.get(zoom, x, y))["features"] if f["id"] == feature_id]


def test_a_polygon_under_two_pixels_is_a_small_rectangle_with_its_id_and_name():
    # 0.02° across: under a pixel at zoom 5, under two until zoom 7 (a pixel is 0.044° of
    # longitude at zoom 5).
    tiny = commune(2.0, 47.0, 0.02, "Petite")
    big = commune(4.0, 45.0, 2.0, "Grande")
    filler = [commune(-4 + i * 0.5, 43.0, 0.3, f"F{i}") for i in range(20)]
    _layer, summary, reader = build([tiny, big, *filler])
    last = summary.max_zoom
    zoom = last - 3
    assert summary.min_zoom <= zoom
    (feature,) = features_at(reader, zoom, 2.0, 47.0, 0)
    assert feature["type"] == 3
    (ring,) = feature["geometry"]
    assert len(ring) == 4  # a rectangle, not its 60 positions
    pixel = vt.EXTENT // 256
    xs, ys = {p[0] for p in ring}, {p[1] for p in ring}
    assert {max(xs) - min(xs), max(ys) - min(ys)} <= {pixel, 2 * pixel}
    assert all(value % pixel == 0 for value in xs | ys)  # whole pixels
    assert vt._ring_area(ring) > 0
    # At the last zooms it carries its name, as a rectangle while it is under two pixels.
    for zoom in range(last - 2, last + 1):
        (named,) = features_at(reader, zoom, 2.0, 47.0, 0)
        assert named["tags"]["name"] == "Petite"
    (at_last,) = features_at(reader, last, 2.0, 47.0, 0)
    assert len(at_last["geometry"][0]) > 20  # its own shape where it is large


def test_a_big_polygon_keeps_its_shape_within_half_a_pixel():
    big = commune(2.0, 47.0, 1.0, "Grande", vertices=2000)
    filler = [commune(-4 + i * 0.5, 43.0, 0.3, f"F{i}") for i in range(20)]
    _layer, summary, reader = build([big, *filler])
    zoom = summary.min_zoom + 2
    assert zoom < summary.max_zoom
    x, y = tile_of(2.0, 47.0, zoom)
    (feature,) = features_at(reader, zoom, 2.0, 47.0, 0)
    (ring,) = feature["geometry"]
    assert 8 < len(ring) < 2000 / 4  # simplified, still round
    # Every stored position lies on the true circle, within the snap and the tolerance.
    cx, cy = vt.project(2.0, 47.0)
    cx, cy = (cx * 2**zoom - x) * vt.EXTENT, (cy * 2**zoom - y) * vt.EXTENT
    east, _ = vt.project(2.5, 47.0)
    north = vt.project(2.0, 47.5)[1]
    rx = (east * 2**zoom) * vt.EXTENT - (vt.project(2.0, 47.0)[0] * 2**zoom) * vt.EXTENT
    ry = (vt.project(2.0, 47.0)[1] - north) * 2**zoom * vt.EXTENT
    pixel = vt.EXTENT // 256
    for px, py in ring:
        radius = math.hypot((px - cx) / rx, (py - cy) / ry)  # 1 on the (projected) ellipse
        assert abs(radius - 1) * min(rx, ry) <= pixel
    # No position repeated, the ring's closing one included (implied by ClosePath).
    assert len(set(ring)) == len(ring)


def test_low_zoom_tiles_of_small_polygons_are_far_smaller_than_their_rings():
    # 2,500 polygons of 40 positions, under two pixels wide a zoom past the first:
    # the builder's tiles against the same polygons with every ring snapped to a quarter
    # of a pixel (the builder before version 3, the fixture).
    features = [
        commune(-1 + (i % 50) * 0.1, 44 + (i // 50) * 0.1, 0.025, f"C{i}", vertices=40)
        for i in range(2500)
    ]
    layer = vt.project_layer([features])
    first, last = vt.zoom_range(layer)
    built = vt.cut_shapes(layer, first + 1, last, tags_at=False)
    built_bytes = sum(len(vt.encode_tile(tile)) for tile in built.values())
    scale = (1 << (first + 1)) * vt.EXTENT
    fixture: dict = {}
    for shape in layer.shapes:
        rings = [vt._snap(ring, scale, 4, True) for part in shape.parts for ring in part]
        global_ring = rings[0]
        tx, ty = global_ring[0][0] // vt.EXTENT, global_ring[0][1] // vt.EXTENT
        local = [(px - tx * vt.EXTENT, py - ty * vt.EXTENT) for px, py in global_ring]
        geometry = vt.lines_geometry([local], closed=True)
        fixture.setdefault((tx, ty), []).append(vt.TileFeature(shape.index, 3, geometry, {}))
    fixture_bytes = sum(len(vt.encode_tile(tile)) for tile in fixture.values())
    assert built_bytes * 1.5 < fixture_bytes
    # Still every feature, by id.
    ids = {feature.index for tile in built.values() for feature in tile}
    assert len(ids) > 2400  # a few share a rectangle


def test_zoom_range_follows_the_layer_box_and_the_feature_size():
    national = [square(-4 + (i % 60) * 0.15, 43 + (i // 60) * 0.15, 0.05, "c") for i in range(3000)]
    layer = vt.project_layer([national])
    first, last = vt.zoom_range(layer)
    assert 2 <= first <= 5
    # A 0.05° polygon is about a quarter of a tile at zoom 10 or 11.
    assert 9 <= last <= 12
    town = [square(2.35 + i * 1e-4, 48.85, 5e-5, "t") for i in range(50)]
    # A town's small layer: the last zooms only, capped at MAX_ZOOM (the viewer overzooms).
    assert vt.zoom_range(vt.project_layer([town])) == (vt.MAX_ZOOM - 1, vt.MAX_ZOOM)


def test_an_empty_layer_has_no_archive():
    layer = vt.project_layer([[{"type": "Feature", "geometry": None, "properties": {}}]])
    with pytest.raises(ValueError):
        vt.write_archive(layer, io.BytesIO())


def test_projection_round_trips():
    for lng, lat in [(2.35, 48.85), (-61.5, 16.2), (55.5, -21.1)]:
        back = vt.unproject(*vt.project(lng, lat))
        assert math.isclose(back[0], lng, abs_tol=1e-9) and math.isclose(back[1], lat, abs_tol=1e-9)


def test_style_keys_are_the_properties_representation_rules_and_label_read():
    layer = {
        "representation": {"type": "choropleth", "field": "taux"},
        "rules": [{"field": "type", "operator": "=", "value": "a", "style": {}}, {"field": ""}],
        "label_key": '{commune|code|"sans nom"} ({dep})',
    }
    map_rules = [{"field": "etat", "operator": "=", "value": "x"}]
    assert vt.style_keys(layer, map_rules) == ["code", "commune", "dep", "etat", "taux", "type"]
    # A plain label key names one property; "name" and "_style" travel in every tile anyway.
    assert vt.style_keys({"label_key": "nom"}) == ["nom"]
    assert vt.style_keys({"label_key": "name", "representation": {"type": "plain"}}) == []
    # Heat maps and circles load their data URL: their field is not carried.
    assert vt.style_keys({"representation": {"type": "circles", "field": "pop"}}) == []


def test_tiles_carry_the_properties_named_and_no_other():
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.0 + i * 0.001, 47.0]},
            "properties": {"name": f"P{i}", "taux": i, "secret": "x" * 50},
        }
        for i in range(20)
    ]
    layer = vt.project_layer([features], keys=("name", "_style", "taux"))
    out = io.BytesIO()
    summary = vt.write_archive(layer, out)
    found = {}
    for (zoom, _x, _y), data in all_tiles(MemorySource(out.getvalue())):
        if zoom == summary.max_zoom:
            found.update({feature["id"]: feature["tags"] for feature in decode(data)["features"]})
    assert len(found) == 20
    assert found[3] == {"name": "P3", "taux": 3}
    assert all("secret" not in tags for tags in found.values())
