import re

from wagtail_umap.core.document import (
    CONTROL_NAMES,
    CSS_NAMED_COLOURS,
    DEFAULT_CONTROLS,
    DOCUMENT_VERSION,
    MARKER_SHAPES,
    STYLE_KEYS,
    empty_document,
    iter_layer_features,
    new_layer,
    new_layer_id,
)
from wagtail_umap.core.validation import validate_document

POINT = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 48]}, "properties": {}}


def test_constants():
    assert DOCUMENT_VERSION == 1
    assert CONTROL_NAMES == (
        "zoom",
        "scale",
        "fullscreen",
        "layers",
        "locate",
        "home",
        "search",
        "permalink",
        "print",
        "pan",
    )
    assert not DEFAULT_CONTROLS["locate"] and not DEFAULT_CONTROLS["search"]  # privacy
    assert set(DEFAULT_CONTROLS) == set(CONTROL_NAMES)
    assert MARKER_SHAPES == ("pin", "circle", "square", "drop")
    assert "fill_color" in STYLE_KEYS and "dash_array" in STYLE_KEYS
    assert len(CSS_NAMED_COLOURS) == 148
    assert {"navy", "crimson", "rebeccapurple"} <= CSS_NAMED_COLOURS


def test_empty_document_is_valid_and_already_clean():
    document = empty_document()
    assert validate_document(document) == document
    assert document["options"]["basemap"] == "plan_ign"
    assert document["layers"] == []


def test_empty_documents_do_not_share_state():
    one, two = empty_document(), empty_document()
    one["options"]["controls"]["zoom"] = False
    assert two["options"]["controls"]["zoom"] is True


def test_new_layer_id():
    assert re.fullmatch(r"[0-9a-f]{12}", new_layer_id())
    assert new_layer_id() != new_layer_id()


def test_new_layer_is_valid_full_form():
    layer = new_layer("Écoles", [POINT], description="Les écoles")
    assert layer["name"] == "Écoles" and layer["description"] == "Les écoles"
    document = {**empty_document(), "layers": [layer]}
    assert validate_document(document)["layers"] == [layer]


def test_iter_layer_features_is_inline_only():
    assert list(iter_layer_features(new_layer("A", [POINT]))) == [POINT]
    stored = {"name": "A", "data": {"digest": "0" * 64}}
    assert list(iter_layer_features(stored)) == []
