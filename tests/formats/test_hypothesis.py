"""Generated documents thrown at the validator, ``read_map_file`` and each reader.

Only ``MapDocumentError`` may come out; anything accepted is a valid document that passes
``validate_document`` again unchanged (validation is idempotent).
"""

from __future__ import annotations

import importlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.formats import READERS, read_map_file

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-200, max_value=200),
    st.sampled_from([0, -0.0, 1e-320, 1e308, -1e308, 90, 90.0000001, 180, -180.0000001]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=10), children, max_size=5),
    ),
    max_leaves=30,
)

# GeoJSON-shaped near misses: the right keys, coordinates of random shapes and types.
coordinate = st.one_of(numbers, scalars)
position = st.one_of(
    st.lists(st.floats(min_value=-180, max_value=180), min_size=2, max_size=2),
    st.lists(coordinate, max_size=4),
    scalars,
)
line = st.one_of(st.lists(position, max_size=5), position, scalars)
ring_like = st.one_of(
    line,
    st.lists(position, min_size=1, max_size=4).map(lambda ring: [*ring, ring[0]]),
)
geometry_types = st.sampled_from(
    ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
     "GeometryCollection", "Circle", None]
)  # fmt: skip


@st.composite
def geometries(draw, depth=0):
    kind = draw(geometry_types)
    if kind == "GeometryCollection" and depth < 2:
        members = draw(st.lists(geometries(depth + 1), max_size=3))
        return {"type": kind, "geometries": members}
    shapes = {
        "Point": position,
        "MultiPoint": st.lists(position, max_size=3),
        "LineString": line,
        "MultiLineString": st.lists(line, max_size=3),
        "Polygon": st.lists(ring_like, max_size=2),
        "MultiPolygon": st.lists(st.lists(ring_like, max_size=2), max_size=2),
    }
    coordinates = draw(shapes.get(kind, json_values))
    return {"type": kind, "coordinates": coordinates}


styles = st.dictionaries(
    st.sampled_from(["color", "fill_color", "weight", "opacity", "fill", "dash_array",
                     "marker_shape", "bogus"]),
    st.one_of(scalars, st.sampled_from(["Navy", "#abc", "2", "0.5", "pin", "5,5"])),
    max_size=3,
)  # fmt: skip
properties = st.one_of(
    st.none(),
    json_values,
    st.dictionaries(st.sampled_from(["name", "description", "_style", "x"]), json_values),
    st.fixed_dictionaries({"_style": styles}),
    st.fixed_dictionaries({"_umap_options": st.dictionaries(st.text(max_size=8), json_values)}),
)
features = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "geometry": st.one_of(geometries(), st.none()),
         "properties": properties},
        optional={"id": scalars},
    ),
    json_values,
)  # fmt: skip
collections = st.fixed_dictionaries(
    {"type": st.just("FeatureCollection"), "features": st.one_of(st.lists(features, max_size=4),
                                                                 json_values)},
    optional={"name": scalars, "_umap_options": json_values, "properties": json_values},
)  # fmt: skip
umap_files = st.fixed_dictionaries(
    {"type": st.just("umap"), "layers": st.one_of(st.lists(collections, max_size=3), json_values)},
    optional={
        "properties": st.one_of(
            json_values,
            st.dictionaries(
                st.sampled_from(["name", "zoom", "licence", "zoomControl", "longCredit",
                                 "iconUrl", "tilelayer"]),
                json_values,
            ),
        ),
        "geometry": st.one_of(geometries(), json_values),
        "uri": st.one_of(scalars, st.just("https://umap.example.org/map/x")),
    },
)  # fmt: skip
documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"version": st.one_of(st.just(1), scalars),
         "layers": st.lists(
             st.fixed_dictionaries(
                 {"name": st.one_of(st.text(max_size=8), scalars),
                  "features": st.one_of(st.lists(features, max_size=3), json_values)},
                 optional={"style": styles, "id": scalars, "umap": json_values},
             ),
             max_size=3,
         )},
        optional={"title": scalars, "options": json_values},
    ),
)  # fmt: skip
files = st.one_of(json_values, geometries(), features, collections, umap_files)


def _exists(module_name: str) -> bool:
    try:
        importlib.import_module(f"wagtail_umap.formats.{module_name}")
    except ModuleNotFoundError:
        return False
    return True


def _param(value: str, module_name: str):
    missing = not _exists(module_name)
    reason = f"wagtail_umap.formats.{module_name} is not written yet"
    return pytest.param(value, marks=pytest.mark.skipif(missing, reason=reason))


EXTENSIONS = [_param(extension, module) for extension, module in READERS.items()]
MODULES = [_param(module, module) for module in sorted(set(READERS.values()))]


def assert_valid_and_idempotent(document: dict) -> None:
    assert validate_document(document) == document


def check(call) -> None:
    try:
        document = call()
    except MapDocumentError:
        return
    if hasattr(document, "document"):
        document = document.document
    assert_valid_and_idempotent(document)


@SETTINGS
@given(documents)
def test_validate_document_only_raises_our_error(document):
    check(lambda: validate_document(document))


@pytest.mark.parametrize("extension", EXTENSIONS)
@SETTINGS
@given(value=files)
def test_read_map_file_on_generated_json(extension, value):
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    check(lambda: read_map_file("generated" + extension, data))


@pytest.mark.parametrize("extension", EXTENSIONS)
@SETTINGS
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_read_map_file_on_random_bytes(extension, data):
    check(lambda: read_map_file("random" + extension, data))


@pytest.mark.parametrize("module_name", MODULES)
@SETTINGS
@given(value=files)
def test_each_reader_module(module_name, value):
    reader = importlib.import_module(f"wagtail_umap.formats.{module_name}")
    data = json.dumps(value).encode("utf-8")
    check(lambda: reader.read_file(data, filename="generated.x"))
