"""The visual map editor: a form widget for the Map's hidden ``document`` field.

The widget renders the hidden input Wagtail's form posts (so Save draft, Publish, autosave,
preview and revisions see one field, as before) and, beside it, the editor's mount point with
its configuration in a ``json_script``: the document in full form (features inline), the stored
``data`` references the editor sends back for the layers it leaves alone, the site's basemaps
and every UI string, translated here (no text in the JavaScript).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django import forms
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext

from wagtail_umap.conf import get_geocoder, get_overlays, get_setting
from wagtail_umap.core import messages as m
from wagtail_umap.core import schema
from wagtail_umap.core.document import CONTROL_NAMES, empty_document
from wagtail_umap.core.schema import editor_fields
from wagtail_umap.editor.french_data import french_data_config
from wagtail_umap.editor.remote_view import remote_editor_config
from wagtail_umap.formats import SUPPORTED_EXTENSIONS
from wagtail_umap.models import store
from wagtail_umap.models.basemaps import get_basemaps
from wagtail_umap.models.layer_data import LayerData

EDITOR_JS = "wagtail_umap/js/editor/"
# Panels another module plugs in (state.js documents the API); loaded when present.
PANEL_SCRIPTS = (
    "style-panel.js",
    "tools.js",
    "pictogram-picker.js",
    "table-view.js",
    "media.js",
    "data-panel.js",
    "basemaps-panel.js",
    "groups.js",
    "remote-panel.js",
    "french-data-panel.js",
)


def panels_module():
    """The optional module of the editor's plug-in panels (strings, config, media)."""
    try:
        from wagtail_umap.editor import panels as editor_panels
    except ImportError:
        return None
    return editor_panels


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def editor_strings() -> dict[str, str]:
    """Every string the editor shows, in the active language."""
    strings = {
        "region": gettext("Map editor"),
        "layers_loading": gettext("Loading the layers of the map…"),
        "layers_load_failed": gettext(
            "The layers of this map could not be loaded; reload the page to edit it."
        ),
        "toolbar": gettext("Editing tools"),
        "draw_marker": gettext("Add a marker"),
        "draw_line": gettext("Draw a line"),
        "draw_polygon": gettext("Draw a polygon"),
        "draw_help": gettext(
            "Click on the map, or move the map with the arrow keys and press Enter, to place "
            "each point at the crosshair; Enter again at the same place or “Finish the shape” "
            "ends it, Backspace removes the last point, Escape cancels. Points snap to the "
            "vertices nearby."
        ),
        "finish_drawing": gettext("Finish the shape"),
        "cancel_drawing": gettext("Cancel drawing"),
        "undo": gettext("Undo"),
        "redo": gettext("Redo"),
        "undo_label": gettext("Undo: %(action)s"),
        "redo_label": gettext("Redo: %(action)s"),
        "nothing_to_undo": gettext("Nothing to undo"),
        "nothing_to_redo": gettext("Nothing to redo"),
        "undone": gettext("Undone: %(action)s"),
        "redone": gettext("Redone: %(action)s"),
        "import": gettext("Import a file"),
        "fullscreen": gettext("Full screen"),
        "fullscreen_on": gettext("Full screen: the save bar stays below the editor."),
        "fullscreen_off": gettext("Full screen closed."),
        "import_help": gettext(
            "Drop a file on the map or choose one: %(formats)s. "
            "It goes into a new layer or the layer chosen below."
        )
        % {"formats": ", ".join(SUPPORTED_EXTENSIONS)},
        "import_into": gettext("Import into"),
        "import_new_layer": gettext("New layers"),
        "import_mode": gettext("Existing content"),
        "import_add": gettext("Add to what is there"),
        "import_replace": gettext("Replace what is there"),
        "import_choose": gettext("Choose a file…"),
        "importing": gettext("Reading %(name)s…"),
        "imported": gettext("%(count)s features imported from %(name)s."),
        "import_failed": gettext("The file was not imported; the map is unchanged."),
        "import_network_error": gettext("The server could not be reached; try again."),
        "drop_here": gettext("Drop the file to import it"),
        "layers": gettext("Layers"),
        "add_layer": gettext("Add a layer"),
        "new_layer_name": gettext("Layer %(number)s"),
        "layer_up": gettext("Move up: %(name)s"),
        "layer_down": gettext("Move down: %(name)s"),
        "layer_show": gettext("Show: %(name)s"),
        "layer_hide": gettext("Hide: %(name)s"),
        "layer_delete": gettext("Delete: %(name)s"),
        "layer_settings": gettext("Settings: %(name)s"),
        "layer_table": gettext("Table: %(name)s"),
        "layer_drag": gettext("Drag to reorder: %(name)s"),
        "layer_active": gettext("Layer receiving new features"),
        "layer_confirm_delete": gettext(
            "Delete the layer “%(name)s” and its %(count)s features? You can undo it."
        ),
        "feature_count": gettext("%(count)s features"),
        "features": gettext("Features of %(name)s"),
        "features_filter": gettext("Filter by name"),
        "page_prev": gettext("Previous page"),
        "page_next": gettext("Next page"),
        "page_of": gettext("%(from)s–%(to)s of %(count)s"),
        "unnamed": gettext("(no name)"),
        "geometry_Point": gettext("Point"),
        "geometry_MultiPoint": gettext("Points"),
        "geometry_LineString": gettext("Line"),
        "geometry_MultiLineString": gettext("Lines"),
        "geometry_Polygon": gettext("Polygon"),
        "geometry_MultiPolygon": gettext("Polygons"),
        "geometry_GeometryCollection": gettext("Geometries"),
        "feature": gettext("Selected feature"),
        "feature_none": gettext(
            "Select a feature on the map or in a list to edit it, or draw a new one."
        ),
        "feature_layer": gettext("Layer"),
        "feature_properties": gettext("Other properties"),
        "property_key": gettext("Field"),
        "property_value": gettext("Value"),
        "property_add": gettext("Add a property"),
        "property_remove": gettext("Remove the property %(key)s"),
        "feature_delete": gettext("Delete this feature"),
        "feature_zoom": gettext("Zoom to this feature"),
        "feature_close": gettext("Close"),
        "bold": gettext("Bold"),
        "italic": gettext("Italic"),
        "link": gettext("Link"),
        "link_prompt": gettext("Address of the link (https://…)"),
        "bullet_list": gettext("Bulleted list"),
        "numbered_list": gettext("Numbered list"),
        "map_settings": gettext("Map settings"),
        "use_current_view": gettext("Use the current view as the default view"),
        "fit_to_data": gettext("Fit the default view to the data"),
        "default_view": gettext("Default view: %(lat)s, %(lng)s, zoom %(zoom)s"),
        "default_view_fit": gettext("Default view: fitted to the data"),
        "controls": gettext("Controls shown on the public map"),
        # The basemaps panel (js/editor/basemaps-panel.js).
        "basemap_choice": gettext("Basemaps visitors may switch to"),
        "basemap_choice_hint": gettext("Besides the map's basemap, in a switcher on the map."),
        "overlays": gettext("Overlays"),
        "overlay_opacity": gettext("Opacity of “%(name)s”"),
        "limit_bounds": gettext("Limits of the map"),
        "limit_bounds_none": gettext("Visitors may move the map anywhere."),
        "limit_bounds_set": gettext(
            "Visitors stay between latitudes %(south)s and %(north)s, longitudes %(west)s and "
            "%(east)s."
        ),
        "limit_bounds_use_view": gettext("Limit the map to the current view"),
        "limit_bounds_clear": gettext("Remove the limits"),
        "changed_basemap_choice": gettext("Basemaps offered to visitors changed"),
        "changed_overlays": gettext("Overlays changed"),
        "changed_limit_bounds": gettext("Limits of the map changed"),
        "read_only": gettext("This map is locked: you can look but not edit."),
        **keyboard_strings(),
        # Announcements and history labels.
        "added_marker": gettext("Marker added"),
        "added_line": gettext("Line added"),
        "added_polygon": gettext("Polygon added"),
        "moved_feature": gettext("Feature moved"),
        "edited_vertices": gettext("Shape changed"),
        "deleted_feature": gettext("Feature deleted"),
        "renamed_feature": gettext("Name changed"),
        "edited_description": gettext("Description changed"),
        "edited_property": gettext("Property changed"),
        "moved_to_layer": gettext("Feature moved to the layer %(name)s"),
        "added_layer": gettext("Layer added"),
        "renamed_layer": gettext("Layer renamed"),
        "reordered_layer": gettext("Layer %(name)s moved to position %(position)s"),
        "toggled_layer": gettext("Layer shown on load changed"),
        "deleted_layer": gettext("Layer %(name)s deleted"),
        "edited_layer": gettext("Layer settings changed"),
        "changed_basemap": gettext("Basemap changed"),
        "changed_view": gettext("Default view changed"),
        "changed_controls": gettext("Controls changed"),
        "imported_label": gettext("File %(name)s imported"),
        "selected": gettext("Selected: %(name)s"),
        "style": gettext("Style"),
        "media": gettext("Media"),
        "data": gettext("Representation and filters"),
        "table": gettext("Table of the features"),
        # Saving (js/editor/save.js): each changed layer is sent once, then the form.
        "save_sending": gettext(
            "Sending the layer “%(name)s” (%(index)s of %(count)s): %(percent)s"
        ),
        "save_checking": gettext(
            "The server checks and stores the layer “%(name)s” (%(index)s of %(count)s)…"
        ),
        "save_progress": gettext("Sending the changed layers"),
        # stage: "Waiting for the background worker…", "Reading the file…"… (background.py)
        "save_background": gettext(
            "Layer “%(name)s” (%(index)s of %(count)s): %(stage)s (%(percent)s)"
        ),
        "import_background": gettext("%(name)s: %(stage)s (%(percent)s)"),
        "import_progress": gettext("Progress of the import of %(name)s"),
        # The readers' own message, with the same limit (MAX_IMPORT_BYTES).
        "file_too_large": sentence(gettext(m.FILE_TOO_LARGE)),
        "save_sent": gettext("Changed layers sent; saving the map…"),
        "save_done": gettext("Map saved as a draft."),
        "save_not_done": gettext("The map was not saved. Your changes are kept in the editor."),
        "save_stale": gettext(
            "Another version of this map was saved after you opened it; save again to "
            "replace it with yours, or reload the page to see it (your changes would be lost)."
        ),
        "save_failed": gettext(
            "The map was not saved: a changed layer was refused. Your changes are kept in the "
            "editor; correct them and save again."
        ),
        "save_network_error": gettext(
            "The layer “%(name)s” could not be sent (the server could not be reached). Your "
            "changes are kept in the editor; save again."
        ),
        "save_server_error": gettext(
            "The server refused the layer “%(name)s” (HTTP %(status)s): it may be larger than the "
            "web server accepts. Your changes are kept in the editor."
        ),
    }
    strings.update(schema_strings())
    module = panels_module()
    if module is not None and hasattr(module, "panel_strings"):
        strings.update(module.panel_strings())
    return strings


def keyboard_strings() -> dict[str, str]:
    """Drawing and moving without a mouse: the crosshair, coordinates, vertices, and Leaflet's
    and Leaflet-Geoman's texts (which otherwise stay in English)."""
    return {
        "zoom_in": gettext("Zoom in"),
        "zoom_out": gettext("Zoom out"),
        "map_label": gettext("Map to edit"),
        "map_keys": gettext(
            "Keyboard: in the map, the arrow keys move it and + and − zoom; the crosshair marks "
            "its centre, where Enter places a marker or the next vertex once a drawing tool is "
            "chosen. The selected point, or each vertex of the selected shape, is a button: the "
            "arrow keys move it (Shift: finely), Delete removes a vertex."
        ),
        "map_enter_help": gettext(
            "Choose “Add a marker”, “Draw a line” or “Draw a polygon” first: Enter then places "
            "a point at the crosshair."
        ),
        "draw_help_marker": gettext(
            "Click on the map, or move the map with the arrow keys and press Enter, to place a "
            "marker at the crosshair. The tool stays on for the next place: Escape or its button "
            "stops it."
        ),
        "draw_start_marker": gettext(
            "Add a marker: move the map with the arrow keys, Enter places it at the crosshair. "
            "The tool stays on for the next place; Escape stops it."
        ),
        "draw_start_line": gettext(
            "Draw a line: move the map with the arrow keys, Enter places each vertex at the "
            "crosshair, Enter again at the same place finishes."
        ),
        "draw_start_polygon": gettext(
            "Draw a polygon: move the map with the arrow keys, Enter places each vertex at the "
            "crosshair, Enter again at the same place finishes."
        ),
        "draw_cancelled": gettext("Drawing cancelled"),
        "vertex_added": gettext("Vertex %(number)s placed: %(position)s."),
        "vertex_not_added": gettext("At least %(count)s different points are needed."),
        "vertex_removed_last": gettext("Last vertex removed; %(count)s left."),
        "added_announce": gettext("%(action)s: %(position)s. Its name goes in the field “Name”."),
        "pm_place_marker": gettext("Click, or press Enter, to place the marker"),
        "pm_first_vertex": gettext("Click, or press Enter, to place the first vertex"),
        "pm_continue_line": gettext("Click, or press Enter, to place the next vertex"),
        "pm_finish_line": gettext(
            "Click the last vertex, or press Enter at the same place, to finish"
        ),
        "pm_finish_polygon": gettext(
            "Click the first vertex, or press Enter at the same place, to finish"
        ),
        "remove_last_vertex": gettext("Remove the last vertex"),
        "point_handle": gettext("Move “%(name)s” (arrow keys)"),
        "vertex_handle": gettext(
            "Vertex %(number)s of %(total)s of “%(name)s” (arrow keys move it, Delete removes it)"
        ),
        "vertex_cannot_remove": gettext(
            "This vertex cannot be removed: a line keeps 2 vertices, a polygon 3."
        ),
        "vertex_removed": gettext("Vertex %(number)s removed"),
        "vertex_moved": gettext("Vertex %(number)s moved: %(position)s"),
        "vertex_inserted": gettext("Vertex %(number)s inserted"),
        "point_moved": gettext("Point moved: %(position)s"),
        "position_text": gettext("latitude %(lat)s, longitude %(lng)s"),
        "position": gettext("Position"),
        "position_help_point": gettext(
            "In decimal degrees, e.g. 48.8566 and 2.3522; Enter applies them. On the map, the "
            "selected point moves with the arrow keys."
        ),
        "position_help_shape": gettext(
            "Each vertex of “%(name)s” in decimal degrees; Enter applies a change. On the map, "
            "the vertices of the selected shape move with the arrow keys."
        ),
        "position_to_crosshair": gettext("Move it to the crosshair (centre of the map)"),
        "position_not_a_number": gettext("Write a number in decimal degrees, e.g. 48.8566."),
        "position_lat_range": gettext("The latitude %(value)s is out of -90..90."),
        "position_lng_range": gettext("The longitude %(value)s is out of -180..180."),
        "latitude": gettext("Latitude"),
        "longitude": gettext("Longitude"),
        "vertices_heading": gettext("Vertices (%(count)s)"),
        "vertices_of": gettext("Vertices of %(name)s"),
        "vertex": gettext("Vertex"),
        "vertex_number": gettext("Vertex %(number)s"),
        "vertex_latitude": gettext("Latitude of vertex %(number)s"),
        "vertex_longitude": gettext("Longitude of vertex %(number)s"),
        "vertex_actions": gettext("Actions"),
        "vertex_remove": gettext("Remove vertex %(number)s"),
        "vertex_insert": gettext("Insert a vertex after vertex %(number)s"),
        "crosshair_heading": gettext("Crosshair (centre of the map)"),
        "crosshair_help": gettext(
            "Where a marker or a vertex placed by keyboard goes. Type coordinates or search an "
            "address to move the map there."
        ),
        "goto_coordinates": gettext("Go to these coordinates"),
        "crosshair_moved": gettext("Map centred on %(position)s."),
        "add_marker_here": gettext("Place a marker at the crosshair"),
        "add_vertex_here": gettext("Place a vertex at the crosshair"),
        "address": gettext("Address"),
        "address_search": gettext("Search the address"),
        "address_results": gettext("Addresses found"),
        "address_searching": gettext("Searching for the address…"),
        "address_error": gettext("The address search did not answer; try again."),
        "address_none": gettext("No address found."),
        "address_count": gettext("Addresses found: %(count)s. Choose one to centre the map there."),
        "address_moved": gettext("Map centred on %(label)s."),
        "address_source": gettext("Addresses: %(source)s"),
        # The toolbar's address search (js/editor/address-search.js)
        "address_bar_label": gettext("Go to an address"),
        "address_bar_placeholder": gettext("Town, street, place…"),
        "address_bar_hint": gettext(
            "The addresses found are listed as you type: ↓ and ↑ go through them, Enter "
            "centres the map on one. With “Add a marker” on, a marker is placed there."
        ),
        "address_bar_count": gettext(
            "Addresses found: %(count)s. ↓ goes through them, Enter chooses."
        ),
        # Language of the data (RGAA 8.7)
        "layer_language": gettext("Language of the data"),
        "layer_language_help": gettext(
            "The language the names and properties of this layer are written in, as a tag "
            "such as en (English), de (German) or oc (Occitan): screen readers then read them "
            "in that language. Empty: the page's language."
        ),
        # Features without a name (RGAA 1.3)
        "unnamed_warning": gettext(
            "Features without a name: %(count)s. The public map announces each as “Unnamed "
            "feature no. N”, which tells a citizen nothing: give them a name."
        ),
        "unnamed_item": gettext("Feature no. %(number)s (%(geometry)s): name it"),
        "unnamed_more": gettext("And %(count)s more, further down the list."),
        # The list of a MultiPoint's points (as the vertex list of a shape)
        "points_heading": gettext("Points (%(count)s)"),
        "points_of": gettext("Points of %(name)s"),
        "position_help_points": gettext(
            "Each point of “%(name)s” in decimal degrees; Enter applies a change. A new point "
            "goes to the crosshair (centre of the map)."
        ),
        "multipoint_point": gettext("Point"),
        "multipoint_number": gettext("Point %(number)s"),
        "multipoint_latitude": gettext("Latitude of point %(number)s"),
        "multipoint_longitude": gettext("Longitude of point %(number)s"),
        "multipoint_remove": gettext("Remove point %(number)s"),
        "multipoint_removed": gettext("Point %(number)s removed"),
        "multipoint_moved": gettext("Point %(number)s moved: %(position)s"),
        "multipoint_insert": gettext("Add a point at the crosshair after point %(number)s"),
        "multipoint_inserted": gettext("Point %(number)s added at the crosshair"),
        "layer_language_invalid": gettext(
            "Not a language tag: write two or three letters, such as en or pt-BR, or leave empty."
        ),
    }


# Strings of the editor's own panels that name an option: their text is the schema's label
# (or help), in the active language, so that the editor never words an option twice.
SCHEMA_LABELS = {
    "layer_name": "layer.name",
    "layer_shown_on_load": "layer.shown_on_load",
    "layer_description": "layer.description",
    "layer_popup_template": "layer.popup_template",
    "layer_label_key": "layer.label_key",
    "feature_name": "feature.name",
    "feature_description": "feature.description",
    "basemap": "map.basemap",
    "default_view_choice": "map.default_view",
}
SCHEMA_HELPS = {
    "layer_popup_help": "layer.popup_template",
    "layer_label_key_help": "layer.label_key",
}


def schema_strings() -> dict[str, str]:
    """The editor's strings that are options' labels and help texts, from the schema."""
    fields = {field["name"]: field for field in editor_fields(translate=gettext)}
    strings = {key: fields[name]["label"] for key, name in SCHEMA_LABELS.items()}
    strings.update({key: fields[name]["help"] for key, name in SCHEMA_HELPS.items()})
    strings.update({f"control_{name}": label for name, label in control_labels().items()})
    return strings


def control_labels() -> dict[str, str]:
    """Each control's label, the schema's, in the active language."""
    return {name: gettext(schema.option("controls", name).label) for name in CONTROL_NAMES}


def basemap_choices() -> list[dict[str, Any]]:
    """The basemaps the editor offers, with what its map and thumbnails need."""
    return [
        {
            "id": key,
            "label": str(basemap["label"]),
            "url": basemap["url"],
            "attribution": basemap["attribution"],
            "max_zoom": basemap.get("max_zoom", 19),
            "subdomains": basemap.get("subdomains", ""),
            "referrer_policy": basemap["referrer_policy"],
            "grey": key.endswith("_gris"),
        }
        for key, basemap in get_basemaps().items()
    ]


def editor_document(value: Any) -> tuple[dict, dict[str, dict]]:
    """The document in full form for the editor and the stored references of its layers.

    ``value`` is what the field holds: the stored document, or after a refused save the posted
    one (features inline for the layers edited, references for the others)."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if not isinstance(value, dict):
        value = empty_document()
    refs = {
        layer["id"]: layer["data"]
        for layer in value.get("layers", [])
        if isinstance(layer, dict) and isinstance(layer.get("data"), dict) and "id" in layer
    }
    try:
        full = store.full_document(value)
    except (KeyError, TypeError, AttributeError):
        # A reference the store does not hold (a forged post): show the layers empty; the
        # form refuses the save with its own message.
        full = {**value, "layers": [dict(layer, features=[]) for layer in value.get("layers", [])]}
        refs = {}
    for layer in full.get("layers", []):
        layer.pop("data", None)
        layer.pop("pending", None)  # a refused post's mark (js/editor/save.js), not the layer's
    full.setdefault("options", {}).setdefault("basemap", get_setting("DEFAULT_BASEMAP"))
    return full, refs


# A stored layer larger than this loads in the editor from its own address, as stored (no
# parsing on the server, and the page stays small), not inside the page.
EDITOR_FETCH_MIN_BYTES = 256 * 1024


def editor_start(value: Any) -> tuple[dict, dict[str, dict], dict[str, str]]:
    """:func:`editor_document`, and the address of each large stored layer, whose features
    the editor fetches (they are not in the document given)."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    large: dict[str, dict] = {}
    if isinstance(value, dict) and isinstance(value.get("layers"), list):
        stored = [
            layer
            for layer in value["layers"]
            if isinstance(layer, dict)
            and isinstance(layer.get("id"), str)
            and isinstance(layer.get("data"), dict)
            and isinstance(layer["data"].get("digest"), str)
        ]
        digests = {layer["data"]["digest"] for layer in stored}
        rows = LayerData.objects.without_blobs().in_bulk_by_digest(digests)
        for layer in stored:
            row = rows.get(layer["data"]["digest"])  # the store's size, not the post's
            if row is not None and row.size > EDITOR_FETCH_MIN_BYTES:
                large[layer["id"]] = layer["data"]
        if large:
            value = {
                **value,
                "layers": [
                    {**{k: v for k, v in layer.items() if k != "data"}, "features": []}
                    if isinstance(layer, dict) and layer.get("id") in large
                    else layer
                    for layer in value["layers"]
                ],
            }
    document, refs = editor_document(value)
    refs.update(large)
    sources = {
        layer_id: reverse("wagtail_umap_editor_stored_layer", args=[ref["digest"]])
        for layer_id, ref in large.items()
    }
    return document, refs, sources


def editor_geocoder() -> dict[str, str] | None:
    """The site's geocoder (the one its public maps search with), for the editor's address
    search: ``format`` says how to read its answer."""
    geocoder = get_geocoder()
    if not geocoder:
        return None
    return {
        "url": geocoder["url"],
        "attribution": str(geocoder.get("attribution", "")),
        "format": geocoder.get("format")
        or ("nominatim" if geocoder.get("id") == "nominatim" else "ban"),
    }


class MapEditorWidget(forms.HiddenInput):
    """The hidden ``document`` input, and the visual editor that writes it."""

    template_name = "wagtail_umap/admin/editor.html"

    def __init__(self, attrs=None, read_only: bool = False):
        super().__init__(attrs)
        self.read_only = read_only

    def format_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        document, refs, sources = editor_start(value)
        config_id = f"{context['widget']['attrs'].get('id', name)}-editor-config"
        context["editor_config_id"] = config_id
        context["editor_config"] = {
            "document": document,
            "dataRefs": refs,
            "layerSources": sources,
            "gzipWorker": static("wagtail_umap/js/editor/gzip-worker.js"),
            "strings": editor_strings(),
            "basemaps": basemap_choices(),
            "defaultBasemap": get_setting("DEFAULT_BASEMAP"),
            "overlays": [
                {"id": key, "label": overlay["label"]} for key, overlay in get_overlays().items()
            ],
            "controls": list(CONTROL_NAMES),
            "importUrl": reverse("wagtail_umap_editor_import"),
            "maxImportBytes": get_setting("MAX_IMPORT_BYTES"),
            "layerUploadUrl": reverse("wagtail_umap_editor_layer"),
            # "Save draft" of a stored map without a reload (save.js, savesInPlace).
            "saveInPlace": getattr(self, "map_id", None) is not None,
            "extensions": list(SUPPORTED_EXTENSIONS),
            "readOnly": self.read_only,
            "geocoder": editor_geocoder(),
            "language": get_language() or "fr",
            "panels": self.panel_config(),
            "remote": remote_editor_config(getattr(self, "map_id", None)),  # live layers
            "frenchData": french_data_config(),  # BAN geocoding, administrative outlines
        }
        return context

    def panel_config(self) -> dict:
        module = panels_module()
        if module is None or not hasattr(module, "panel_config"):
            return {}
        return module.panel_config(None)

    @cached_property
    def media(self):
        panel_scripts = tuple(
            EDITOR_JS + name for name in PANEL_SCRIPTS if finders.find(EDITOR_JS + name)
        )
        media = forms.Media(
            css={
                "all": (
                    "leaflet/leaflet.css",
                    "wagtail_umap/vendor/leaflet-geoman/leaflet-geoman.css",
                    "wagtail_umap/css/editor.css",
                )
            },
            js=(
                "leaflet/leaflet.js",
                "wagtail_umap/vendor/leaflet-geoman/leaflet-geoman.min.js",
                "wagtail_umap/js/geocoder.js",
                # The public map's markers, drawn the same in the editor (map-view.js).
                "wagtail_umap/js/viewer/strings-and-dom.js",
                "wagtail_umap/js/viewer/style-and-markers.js",
                EDITOR_JS + "state.js",
                EDITOR_JS + "position.js",
                EDITOR_JS + "address-search.js",
                *panel_scripts,
                EDITOR_JS + "map-view.js",
                EDITOR_JS + "editor.js",
                EDITOR_JS + "save.js",
                EDITOR_JS + "controller.js",
            ),
        )
        module = panels_module()
        if module is not None and hasattr(module, "PANEL_MEDIA"):
            media += module.PANEL_MEDIA
        return media
