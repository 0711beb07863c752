"""The server side of the editor's panels: strings, configuration, media."""

from django.utils import translation

from wagtail_umap.core import schema
from wagtail_umap.core.colours import MIN_CONTRAST, PALETTE
from wagtail_umap.core.validation import is_css_colour
from wagtail_umap.editor import panels as editor_panels

# Words that are the same in both languages.
SAME_IN_FRENCH = {"Type", "Actions", "Suggestions", "Image", "Oranges", "Intensité"}


def test_every_panel_string_is_french_on_a_french_site():
    with translation.override("en"):
        english = editor_panels.panel_strings()
    with translation.override("fr"):
        french = editor_panels.panel_strings()
    assert english.keys() == french.keys()
    untranslated = [
        key for key, text in french.items() if text == english[key] and text not in SAME_IN_FRENCH
    ]
    assert untranslated == []
    assert french["style_swatch"] == "Couleur : %(name)s"
    assert "%(ratio)s:1" in french["style_contrast_warning"]


def test_strings_of_each_panel_are_prefixed():
    prefixes = ("style_", "table_", "media_", "data_", "tools_", "groups_")
    assert all(key.startswith(prefixes) for key in editor_panels.panel_strings())


def test_config_palette_and_choosers():
    with translation.override("fr"):
        config = editor_panels.panel_config()
    assert [colour["value"] for colour in config["palette"]] == [c.value for c in PALETTE]
    assert config["palette"][0]["name"] == "Bleu"
    assert all(colour["contrast"] >= MIN_CONTRAST for colour in config["palette"])
    assert all(is_css_colour(colour["value"]) for colour in config["palette"])
    assert config["choosers"] == {
        "image": "/admin/images/chooser/",
        "document": "/admin/documents/chooser/",
        "image_upload": "/admin/wagtail_umap/editor/image/",
    }
    assert set(config["schemes"]) >= {"blues", "viridis", "red_blue"}


def test_panel_fields_are_the_schemas_in_the_active_language():
    """Labels, defaults, bounds and choices of the panels come from core/schema, once."""
    with translation.override("fr"):
        fields = editor_panels.panel_config()["fields"]
    size = schema.option("style", "marker_size")
    assert fields["style"]["marker_size"]["min"] == size.min == 16
    assert fields["style"]["marker_size"]["max"] == size.max == 64
    assert fields["style"]["weight"]["label"] == "Épaisseur du trait (pixels)"
    assert [c["label"] for c in fields["style"]["marker_shape"]["choices"]] == [
        "Épingle",
        "Cercle",
        "Carré",
        "Goutte",
    ]
    # A representation's own options, by type: a cluster's radius is not a heat map's.
    assert fields["representation"]["cluster.radius"]["max"] == 200
    assert fields["representation"]["heat.radius"]["max"] == 100
    assert fields["representation"]["choropleth.classes"]["default"] == 5
    scheme = fields["representation"]["choropleth.scheme"]["choices"]
    assert scheme[0] == {"value": "blues", "label": "Bleus"}
    assert fields["slideshow"]["enabled"]["label"] == "Proposer un diaporama des éléments"
    assert fields["layer"]["popup_layout"]["default"] == "default"
    assert [c["value"] for c in fields["rule"]["operator"]["choices"]] == ["=", "!=", "<", ">"]


def test_no_panel_string_words_an_option_the_schema_labels():
    """The panels' own strings never repeat a schema label (one wording per option)."""
    with translation.override("en"):
        strings = set(editor_panels.panel_strings().values())
    labels = {item.label for item in schema.OPTIONS if item.editor}
    derived = {"Name", "Media", "Image", "Video address"}  # taken from the schema (_label)
    assert strings & labels == derived


def test_media_brings_wagtail_choosers_and_the_panel_css():
    rendered = str(editor_panels.PANEL_MEDIA)
    assert "wagtailimages/js/image-chooser-modal.js" in rendered
    assert "wagtaildocs/js/document-chooser-modal.js" in rendered
    assert "wagtail_umap/css/editor-panels.css" in rendered


def test_the_editor_widget_carries_the_panels():
    from wagtail_umap.editor.widget import MapEditorWidget, editor_strings

    media = str(MapEditorWidget().media)
    for script in ("style-panel.js", "table-view.js", "media.js", "data-panel.js"):
        assert f"wagtail_umap/js/editor/{script}" in media
    assert media.index("style-panel.js") < media.index("table-view.js")  # the kit comes first
    assert "image-chooser-modal.js" in media
    with translation.override("en"):
        strings = editor_strings()
    assert "style_palette" in strings
    # Labels of options come from the schema.
    assert strings["layer_name"] == schema.option("layer", "name").label
    assert strings["control_locate"] == schema.option("controls", "locate").label
