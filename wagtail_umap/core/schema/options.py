"""Every option of the map document, declared once (pure Python, no Django).

Order matters: validation checks (and reports) the keys of a scope in the order they are
declared here, and the docs list them in that order. Labels and help texts are English, marked
with ``gettext_noop`` for ``makemessages``; the Django side translates them.
"""

from __future__ import annotations

import re

from wagtail_umap.core import classify, pictograms
from wagtail_umap.core import messages as m
from wagtail_umap.core.messages import gettext_noop as _
from wagtail_umap.core.schema import umap_links as u
from wagtail_umap.core.schema.model import APPLIED, CONVERTED, MISSING, Option

# --- shared values ---------------------------------------------------------------------------

DOCUMENT_VERSION = 1
DEFAULT_BASEMAP = "plan_ign"
LAYER_ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
BASEMAP_PATTERN = r"[A-Za-z0-9_.-]{1,64}"
DIGEST_PATTERN = r"[0-9a-f]{64}"
# A BCP 47 language tag (a language and optional subtags: "en", "pt-BR", "oc-aranes"), or "".
LANGUAGE_PATTERN = r"(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3})?"
FIELD_MAX = 200  # a property's name
LABEL_MAX = 200
UNIT_MAX = 50
URL_MAX = 2000
PICTOGRAM_MAX = 8  # an emoji (several code points) or a few letters on the marker
ICON_PATTERN = rf"[a-z0-9-]{{0,{pictograms.NAME_MAX}}}|(?:image|document):[1-9][0-9]{{0,11}}"
MAX_FILTERS = 10
MAX_CATEGORIES = 100
MAX_RULES = 50
ZOOM_MIN, ZOOM_MAX = 0, 22
SLIDESHOW_DEFAULT = {
    "enabled": False,
    "layer": None,
    "sort_field": "",
    "autoplay": False,
    "delay": 5,
}

SCHEME_LABELS = {
    "blues": _("Blues"),
    "greens": _("Greens"),
    "oranges": _("Oranges"),
    "purples": _("Purples"),
    "viridis": _("Viridis (blue to yellow)"),
    "red_blue": _("Red to blue (diverging)"),
    "brown_teal": _("Brown to teal (diverging)"),
    "purple_green": _("Purple to green (diverging)"),
}
MARKER_SHAPE_LABELS = (_("Pin"), _("Circle"), _("Square"), _("Drop"))
REPRESENTATION_TYPES = ("plain", "cluster", "heat", "choropleth", "categorized", "circles")
NUMERIC_REPRESENTATIONS = ("heat", "choropleth", "circles")
# Live data layers (issue 17): uMap's formats, and the refresh periods offered (seconds; 0:
# only when the map is saved or an editor asks).
REMOTE_FORMATS = ("geojson", "csv", "kml", "gpx", "osm", "georss")
REFRESH_CHOICES = (0, 300, 900, 3600, 21600, 86400)
REFRESH_DEFAULT = 3600


def _layer_id(value: object) -> object:
    usable = isinstance(value, str | int) and not isinstance(value, bool)
    return str(value) if usable and re.fullmatch(LAYER_ID_PATTERN, str(value)) else MISSING


def _controls() -> list[Option]:
    """The map's controls: each one on or off (uMap's name where it has one)."""
    controls = (
        # key, default, uMap key, label
        ("zoom", True, "zoomControl", _("Zoom buttons")),
        ("scale", True, "scaleControl", _("Scale")),
        ("fullscreen", True, "fullscreenControl", _("Full screen button")),
        ("layers", True, "datalayersControl", _("List of layers")),
        ("locate", False, "locateControl", _("“Show my position” button")),
        ("home", True, "homeControl", _("“Back to the initial view” button")),
        ("search", False, "searchControl", _("Address search")),
        ("permalink", True, None, _("Link to the current view")),
        ("print", True, "printControl", _("“Print or save as an image” link")),
    )
    helps = {
        "layers": _("uMap's third state (null: “in the menu”) is kept for the round trip."),
        "locate": _("Asks for the citizen's position: only where the map is about “near me”."),
        "search": _("Sends what the citizen types to the site's geocoder."),
        "print": _("Opens the map's print view (A4 or A3, PDF through the browser, PNG image)."),
    }
    return [
        Option(
            "controls",
            key,
            "boolean",
            label,
            helps.get(key, ""),
            default=default,
            field="controls." + key,
            umap=u.link(
                umap_key,
                read=u.boolean,
                absent=default,
                note="an absent key takes our default; written only when it differs from it",
            )
            if umap_key
            else None,
        )
        for key, default, umap_key, label in controls
    ] + [
        # Added by issue 15 (sparse): pan without dragging (WCAG 2.2, 2.5.7).
        Option(
            "controls",
            "pan",
            "boolean",
            _("Pan buttons (north, south, east, west)"),
            _("Move the map without dragging it, for a keyboard or a single pointer."),
            default=True,
            field="controls.pan",
            sparse=True,
        ),
    ]


def _style() -> list[Option]:
    """Drawing options: a layer's ``style``, a feature's ``_style``, the map's ``style``."""
    style = "style"
    return [
        Option(
            style,
            "color",
            "colour",
            _("Colour"),
            _("#rrggbb or a CSS colour name, e.g. #1f5fa8 or navy."),
            default="#1f5fa8",
            inherits=True,
            message=m.BAD_COLOUR,
            umap=u.link("color", read=u.text),
        ),
        Option(
            style,
            "fill_color",
            "colour",
            _("Fill colour"),
            _("The inside of polygons and markers; the colour when empty."),
            default=None,
            inherits=True,
            message=m.BAD_COLOUR,
            umap=u.link("fillColor", read=u.text),
        ),
        Option(
            style,
            "weight",
            "number",
            _("Line width (pixels)"),
            default=3,
            min=0,
            max=50,
            step=1,
            inherits=True,
            message=m.STYLE_RANGE,
            unit=_("pixels"),
            umap=u.link("weight", read=u.number),
        ),
        Option(
            style,
            "opacity",
            "number",
            _("Opacity of the line"),
            default=0.9,
            min=0,
            max=1,
            step=0.05,
            inherits=True,
            message=m.STYLE_RANGE,
            umap=u.link("opacity", read=u.number),
        ),
        Option(
            style,
            "fill_opacity",
            "number",
            _("Opacity of the fill"),
            default=0.3,
            min=0,
            max=1,
            step=0.05,
            inherits=True,
            message=m.STYLE_RANGE,
            umap=u.link("fillOpacity", read=u.number),
        ),
        Option(
            style,
            "fill",
            "boolean",
            _("Fill polygons"),
            default=True,
            inherits=True,
            umap=u.link("fill", read=u.boolean),
        ),
        Option(
            style,
            "dash_array",
            "dash",
            _("Line pattern"),
            _("Lengths of dashes and gaps in pixels, e.g. 8 6; empty for a solid line."),
            default="",
            inherits=True,
            message=m.BAD_DASH_ARRAY,
            umap=u.link("dashArray", read=u.text),
        ),
        Option(
            style,
            "marker_shape",
            "choice",
            _("Marker shape"),
            default="pin",
            choices=("pin", "circle", "square", "drop"),
            choice_labels=MARKER_SHAPE_LABELS,
            inherits=True,
            message=m.BAD_MARKER_SHAPE,
            umap=u.choices(
                "iconClass",
                u.SHAPE_FROM_ICON,
                u.ICON_FROM_SHAPE,
                note="Default → pin, Circle, LargeCircle, Ball and Raw → circle (LargeCircle "
                "and Raw sized by `iconSize`), Drop → drop; square is written as Default "
                "(uMap has no square); uMap's own name is kept and written back",
            ),
        ),
        Option(
            style,
            "pictogram",
            "text",
            _("Pictogram on the marker"),
            _("An emoji or up to three letters, e.g. 🚲 or WC."),
            default="",
            max_length=PICTOGRAM_MAX,
            inherits=True,
            message=m.BAD_PICTOGRAM,
            umap=u.link(
                "iconUrl",
                read=u.pictogram_from_icon_url,
                status=CONVERTED,
                note="when it holds text (an emoji), not a picture's address; pictures are "
                "never loaded (privacy) and are kept",
            ),
        ),
        # Added by issue 17 (sparse): a pictogram of the library (core/pictograms.py).
        Option(
            style,
            "icon",
            "key",
            _("Pictogram of the library"),
            _(
                "Drawn inside the marker; its name is the marker's text alternative when the "
                "feature has none. Replaces the text pictogram."
            ),
            # Also "image:<id>" or "document:<id>" (an SVG): an editor's own icon.
            default="",
            pattern=ICON_PATTERN,
            inherits=True,
            sparse=True,
            message=m.BAD_ICON,
            umap=u.link(
                "iconUrl",
                read=u.icon_from_icon_url,
                write=lambda name: MISSING,  # uMap would show the name as text
                absent="",
                status=CONVERTED,
                note="the address of one of uMap's pictograms (`/uploads/pictogram/car-24.png`) "
                "becomes ours of the same name (`car`) where the library has it; other "
                "addresses are kept and written back, never loaded (privacy); ours travel "
                "under the `wagtail_umap` key",
            ),
            extra={"allowed": pictograms.is_icon},
        ),
        Option(
            style,
            "marker_size",
            "integer",
            _("Marker size (pixels)"),
            _("The marker's height; empty: each shape's own size (about 32)."),
            default=None,
            min=16,
            max=64,
            step=4,
            inherits=True,
            message=m.BAD_MARKER_SIZE,
            unit=_("pixels"),
            umap=u.marker_size_link(),
        ),
        Option(
            style,
            "show_label",
            "choice",
            _("Label on the map"),
            _("The feature's name written beside it on the map."),
            default="never",
            choices=("never", "always", "hover"),
            choice_labels=(_("Never"), _("Always"), _("On hover")),
            inherits=True,
            sparse=True,
            umap=u.show_label_link(),
        ),
        Option(
            style,
            "label_direction",
            "choice",
            _("Label position"),
            default="auto",
            choices=("auto", "left", "right", "top", "bottom"),
            choice_labels=(_("Automatic"), _("Left"), _("Right"), _("Above"), _("Below")),
            inherits=True,
            sparse=True,
            umap=u.link("labelDirection", read=u.text),
        ),
        Option(
            style,
            "label_interactive",
            "boolean",
            _("Clicking the label opens the feature"),
            default=False,
            inherits=True,
            sparse=True,
            umap=u.link("labelInteractive", read=u.boolean),
        ),
    ]


def _document() -> list[Option]:
    return [
        Option(
            "document",
            "version",
            "integer",
            _("Version of the map document"),
            default=DOCUMENT_VERSION,
            min=DOCUMENT_VERSION,
            max=DOCUMENT_VERSION,
            message=m.BAD_VERSION,
            editor=False,
        ),
        Option(
            "document",
            "title",
            "text",
            _("Title"),
            default="",
            max_length=255,
            umap=u.link("name", read=u.raw, absent=""),
            extra={"strict": True},
        ),
        Option(
            "document",
            "summary",
            "text",
            _("Summary"),
            _("The map's text alternative, read before the map by screen readers."),
            default="",
            max_length=2000,
            umap=u.link("description", read=u.raw, absent=""),
            extra={"strict": True},
        ),
        Option("document", "options", "object", _("Options"), of="map", editor=False),
        Option("document", "layers", "list", _("Layers"), of="layer", editor=False),
    ]


def _map() -> list[Option]:
    scope = "map"
    return [
        Option(
            scope,
            "basemap",
            "key",
            _("Basemap"),
            _("One of the site's basemaps."),
            default=DEFAULT_BASEMAP,
            pattern=BASEMAP_PATTERN,
            message=m.BAD_BASEMAP,
        ),
        Option(
            scope,
            "center",
            "position",
            _("Centre of the initial view"),
            _("Empty: the view fits the data."),
            default=None,
            nullable=True,
            message=m.BAD_CENTER,
            umap=u.center_link(),
            extra={"strict": True},
        ),
        Option(
            scope,
            "zoom",
            "integer",
            _("Zoom of the initial view"),
            default=None,
            nullable=True,
            min=ZOOM_MIN,
            max=ZOOM_MAX,
            message=m.BAD_ZOOM,
            umap=u.link("zoom", read=u.whole, note="a numeric string is accepted"),
            extra={"strict": True, "integral_float": False},
        ),
        Option("map", "controls", "object", _("Controls"), of="controls"),
        Option(
            scope,
            "credits",
            "text",
            _("Credits"),
            _("Who made the map and where its data comes from."),
            default="",
            max_length=2000,
            umap=u.credits_link(),
        ),
        Option(scope, "licence", "object", _("Licence"), of="licence", umap=u.licence_link()),
        Option(
            scope, "slideshow", "object", _("Slideshow"), of="slideshow", umap=u.slideshow_link()
        ),
        Option(
            scope,
            "umap",
            "json",
            _("uMap options kept for the round trip"),
            default=None,
            editor=False,
        ),
        # Added by issue 12 (sparse: documents saved before keep their exact form).
        Option(
            scope,
            "default_view",
            "choice",
            _("Initial view"),
            default="center",
            choices=u.DEFAULT_VIEWS,
            choice_labels=(
                _("The saved centre and zoom (the data when none is saved)"),
                _("All the data"),
                _("The latest feature"),
                _("The citizen's position (asked first)"),
            ),
            sparse=True,
            umap=u.default_view_link(),
        ),
        Option(
            scope,
            "style",
            "object",
            _("Default style of the map"),
            _("Every layer and feature draws with it, unless it sets its own."),
            default=None,
            of="style",
            sparse=True,
            extra={"umap_inline": True},
        ),
        Option(
            scope,
            "rules",
            "list",
            _("Conditional styles of the map"),
            _("Applied to every layer, after the layer's own rules and style."),
            default=None,
            of="rule",
            max_length=MAX_RULES,
            sparse=True,
            umap=u.rules_link(),
        ),
        # Added by issue 17 (sparse): one filter across every layer that has the property.
        Option(
            scope,
            "filters",
            "list",
            _("Filters of the whole map"),
            _(
                "One filter for every layer whose features have the property (the others are "
                "left as they are), shown above the layers' own filters."
            ),
            default=None,
            of="filter",
            max_length=MAX_FILTERS,
            sparse=True,
            # Written as uMap's map-level filters; read back by the import as each layer's
            # filters (formats.umap.MAP_FILTER_KEYS), which filter the same features.
            umap=u.filters_link(),
        ),
    ]


def _licence() -> list[Option]:
    return [
        Option(
            "licence",
            "name",
            "text",
            _("Licence name"),
            default="",
            max_length=200,
            field="licence.name",
        ),
        Option(
            "licence",
            "url",
            "url",
            _("Licence address"),
            default="",
            max_length=URL_MAX,
            field="licence.url",
            message=m.BAD_URL,
        ),
    ]


def _slideshow() -> list[Option]:
    scope = "slideshow"
    return [
        Option(
            scope,
            "enabled",
            "boolean",
            _("Offer a slideshow of the features"),
            default=False,
            field="slideshow.enabled",
        ),
        Option(
            scope,
            "autoplay",
            "boolean",
            _("Start on its own"),
            default=False,
            field="slideshow.autoplay",
        ),
        Option(
            scope,
            "layer",
            "key",
            _("Layer of the slideshow"),
            _("Empty: every layer in order."),
            default=None,
            nullable=True,
            message=m.SLIDESHOW_UNKNOWN_LAYER,
            field="slideshow.layer",
        ),
        Option(
            scope,
            "sort_field",
            "text",
            _("Order of the steps"),
            _("The property that orders the features (empty: their order in the layer)."),
            default="",
            max_length=FIELD_MAX,
            field="slideshow.sort_field",
        ),
        Option(
            scope,
            "delay",
            "number",
            _("Seconds per step"),
            default=5,
            min=1,
            max=60,
            step=1,
            message=m.NUMBER_RANGE,
            field="slideshow.delay",
            unit=_("seconds"),
        ),
    ]


def _layer() -> list[Option]:
    scope = "layer"
    return [
        Option(
            scope,
            "id",
            "key",
            _("Identifier"),
            default=None,
            pattern=LAYER_ID_PATTERN,
            message=m.BAD_LAYER_ID,
            editor=False,
            umap=u.link(
                "id",
                read=_layer_id,
                note="a number becomes text; a duplicate, or an id we cannot use, is replaced",
                quiet=True,
            ),
        ),
        Option(
            scope,
            "name",
            "text",
            _("Name of the layer"),
            required=True,
            max_length=200,
            umap=u.link("name", read=lambda v: v if isinstance(v, str) and v.strip() else MISSING),
        ),
        Option(
            scope,
            "description",
            "text",
            _("Description of the layer"),
            default="",
            max_length=10_000,
            umap=u.link("description", read=u.text, absent="", legacy=("laydescription",)),
        ),
        Option(
            scope,
            "shown_on_load",
            "boolean",
            _("Shown when the map opens"),
            default=True,
            umap=u.link("displayOnLoad", read=u.boolean, absent=True),
        ),
        Option(
            scope,
            "style",
            "object",
            _("Default style of the layer"),
            default=None,
            of="style",
            extra={"umap_inline": True},
        ),
        Option(
            scope,
            "popup_template",
            "text",
            _("Popup template"),
            _(
                "Text with {field} placeholders and uMap's markup: # heading, **bold**, "
                "*italic*, [[https://…|link]], {{https://…/image.jpg}}."
            ),
            default="",
            max_length=10_000,
            inherits=True,
            umap=u.link("popupContentTemplate", read=u.text, absent=""),
        ),
        Option(scope, "features", "list", _("Features"), editor=False),
        Option(scope, "data", "object", _("Stored data"), of="data", editor=False),
        Option(
            scope,
            "umap",
            "json",
            _("uMap options kept for the round trip"),
            default=None,
            editor=False,
        ),
        Option(
            scope,
            "representation",
            "object",
            _("Representation"),
            default=None,
            of="representation",
            umap=u.representation_link(),
        ),
        Option(
            scope,
            "min_zoom",
            "integer",
            _("Shown from zoom"),
            default=None,
            nullable=True,
            min=ZOOM_MIN,
            max=ZOOM_MAX,
            message=m.BAD_LAYER_ZOOM,
            umap=u.zoom_link("fromZoom", "from"),
            extra={"integral_float": False},
        ),
        Option(
            scope,
            "max_zoom",
            "integer",
            _("Shown up to zoom"),
            default=None,
            nullable=True,
            min=ZOOM_MIN,
            max=ZOOM_MAX,
            message=m.BAD_LAYER_ZOOM,
            umap=u.zoom_link("toZoom", "to"),
            extra={"integral_float": False},
        ),
        Option(
            scope,
            "filters",
            "list",
            _("Filters offered to citizens"),
            _("What citizens can narrow the list and the map by."),
            default=None,
            of="filter",
            max_length=MAX_FILTERS,
            inherits=True,
            umap=u.filters_link(),
        ),
        Option(
            scope,
            "popup_layout",
            "choice",
            _("Popup layout"),
            default="default",
            choices=("default", "table", "panel"),
            choice_labels=(
                _("Default (the popup template)"),
                _("A table of all the fields"),
                _("A side panel, for long content"),
            ),
            inherits=True,
            message=m.BAD_CHOICE,
            umap=u.popup_layout_link(),
        ),
        # Added by issue 12 (sparse).
        Option(
            scope,
            "label_key",
            "text",
            _("Name of the features"),
            _(
                "The property that names each feature in the list, popups and labels, or a "
                "template such as {nom} ({commune}). Empty: name."
            ),
            default="",
            max_length=FIELD_MAX,
            inherits=True,
            sparse=True,
            umap=u.link("labelKey", read=u.text, absent=""),
        ),
        Option(
            scope,
            "rules",
            "list",
            _("Conditional styles"),
            _(
                "A style for the features whose property matches; for each style setting, "
                "the first matching rule that sets it wins."
            ),
            default=None,
            of="rule",
            max_length=MAX_RULES,
            sparse=True,
            umap=u.rules_link(),
        ),
        # Added by issue 15 (sparse): RGAA 8.7, the language of the data's values.
        Option(
            scope,
            "language",
            "key",
            _("Language of the data"),
            _(
                "The language the features' names and properties are written in, as a tag "
                "such as en or de (set as lang where they are shown). Empty: the page's."
            ),
            default="",
            pattern=LANGUAGE_PATTERN,
            message=m.BAD_LANGUAGE,
            sparse=True,
        ),
        # Added by issue 17 (sparse): a live layer, fetched by the server (docs/live-data.md).
        Option(
            scope,
            "remote_data",
            "json",
            _("Live data"),
            _(
                "The layer's features come from this address, fetched by the server every "
                "period (only from the hosts the site allows) and stored with the map."
            ),
            default=None,
            nullable=True,
            sparse=True,
            editor=False,
            extra={
                "shape": '`{"url": "https://…", "format": one of '
                + ", ".join(REMOTE_FORMATS)
                + ', "refresh": seconds, one of '
                + ", ".join(str(seconds) for seconds in REFRESH_CHOICES)
                + " (0: when saved or asked only)}`"
            },
            umap=u.link(
                "remoteData",
                read=u.remote_from_umap,
                write=u.remote_to_umap,
                status=CONVERTED,
                note="its `url` and `format` (and `ttl` as the nearest refresh period); the "
                "server fetches it only from the hosts the site allows, and stores each "
                "version: citizens' browsers never call the remote host; `dynamic` and "
                "`proxy` are kept",
                quiet=True,
            ),
        ),
    ]


def _representation() -> list[Option]:
    scope = "representation"
    number = m.NUMBER_RANGE
    whole = m.WHOLE_NUMBER_RANGE

    def field(kinds: tuple[str, ...], label: str, help_text: str = "") -> Option:
        return Option(
            scope,
            "field",
            "text",
            label,
            help_text,
            default="",
            max_length=FIELD_MAX,
            field="representation.field",
            representations=kinds,
        )

    return [
        Option(
            scope,
            "type",
            "choice",
            _("Show the features as"),
            default="plain",
            choices=REPRESENTATION_TYPES,
            choice_labels=(
                _("Markers and shapes"),
                _("Clusters of points"),
                _("Heat map"),
                _("Choropleth (colour by value)"),
                _("Categories (colour by value)"),
                _("Proportional circles"),
            ),
            message=m.BAD_CHOICE,
            field="representation.type",
        ),
        Option(
            scope,
            "radius",
            "integer",
            _("Grouping radius (pixels)"),
            default=60,
            min=10,
            max=200,
            message=whole,
            field="representation.radius",
            representations=("cluster",),
            unit=_("pixels"),
        ),
        field(("heat",), _("Weighting property"), _("Optional: a number weighting each point.")),
        Option(
            scope,
            "radius",
            "integer",
            _("Radius of a point (pixels)"),
            default=25,
            min=5,
            max=100,
            message=whole,
            field="representation.radius",
            representations=("heat",),
            unit=_("pixels"),
        ),
        Option(
            scope,
            "intensity",
            "number",
            _("Intensity"),
            default=0.6,
            min=0.05,
            max=1,
            step=0.05,
            message=number,
            field="representation.intensity",
            representations=("heat",),
        ),
        field(("choropleth",), _("Property shown"), _("A property holding numbers.")),
        Option(
            scope,
            "method",
            "choice",
            _("Classes computed by"),
            default="quantiles",
            choices=classify.METHODS,
            choice_labels=(
                _("Quantiles (as many features in each class)"),
                _("Equal intervals"),
                _("Natural breaks (Jenks)"),
                _("Manual breaks"),
            ),
            max_length=20,
            message=m.BAD_CHOICE,
            field="representation.method",
            representations=("choropleth",),
        ),
        Option(
            scope,
            "classes",
            "integer",
            _("Number of classes"),
            default=classify.DEFAULT_CLASSES,
            min=classify.MIN_CLASSES,
            max=classify.MAX_CLASSES,
            message=whole,
            field="representation.classes",
            representations=("choropleth",),
        ),
        Option(
            scope,
            "scheme",
            "choice",
            _("Colour scheme"),
            default=classify.DEFAULT_SCHEME,
            choices=tuple(classify.SCHEMES),
            choice_labels=tuple(SCHEME_LABELS[name] for name in classify.SCHEMES),
            max_length=40,
            message=m.BAD_CHOICE,
            field="representation.scheme",
            representations=("choropleth",),
        ),
        Option(
            scope,
            "unit",
            "text",
            _("Unit"),
            _("Shown after each value in the legend, e.g. %."),
            default="",
            max_length=UNIT_MAX,
            field="representation.unit",
            representations=("choropleth",),
        ),
        Option(
            scope,
            "breaks",
            "list",
            _("Manual breaks"),
            _("One fewer than the classes, in ascending order."),
            default=None,
            message=m.BAD_MANUAL_BREAKS,
            field="representation.breaks",
            representations=("choropleth",),
        ),
        field(("categorized",), _("Property shown"), _("Each of its values gets a colour.")),
        Option(
            scope,
            "categories",
            "list",
            _("Categories"),
            default=None,
            of="category",
            max_length=MAX_CATEGORIES,
            field="representation.categories",
            representations=("categorized",),
        ),
        field(("circles",), _("Property shown"), _("A property holding numbers.")),
        Option(
            scope,
            "min_radius",
            "integer",
            _("Smallest radius (pixels)"),
            default=4,
            min=1,
            max=100,
            message=whole,
            field="representation.min_radius",
            representations=("circles",),
            unit=_("pixels"),
        ),
        Option(
            scope,
            "max_radius",
            "integer",
            _("Largest radius (pixels)"),
            default=40,
            min=2,
            max=200,
            message=whole,
            field="representation.max_radius",
            representations=("circles",),
            unit=_("pixels"),
        ),
        Option(
            scope,
            "unit",
            "text",
            _("Unit"),
            _("Shown after each value in the legend, e.g. %."),
            default="",
            max_length=UNIT_MAX,
            field="representation.unit",
            representations=("circles",),
        ),
    ]


def _category() -> list[Option]:
    scope = "category"
    return [
        Option(scope, "value", "text", _("Value"), default="", max_length=LABEL_MAX),
        Option(scope, "label", "text", _("Label in the legend"), default="", max_length=LABEL_MAX),
        Option(
            scope,
            "color",
            "colour",
            _("Colour"),
            _("Empty: the automatic palette's colour."),
            default="",
            message=m.BAD_COLOUR,
        ),
        Option(
            scope,
            "marker_shape",
            "choice",
            _("Marker shape"),
            _("Empty: the automatic shape."),
            default="",
            choices=("pin", "circle", "square", "drop"),
            choice_labels=MARKER_SHAPE_LABELS,
            message=m.BAD_MARKER_SHAPE,
        ),
        Option(
            scope,
            "pictogram",
            "text",
            _("Pictogram on the marker"),
            default="",
            max_length=PICTOGRAM_MAX,
        ),
    ]


def _filter() -> list[Option]:
    scope = "filter"
    return [
        Option(
            scope,
            "type",
            "choice",
            _("Kind of filter"),
            choices=("category", "range", "date_range", "search", "radio", "yes_no"),
            choice_labels=(
                _("Choice among the values"),
                _("Range of numbers"),
                _("Range of dates"),
                _("Text search"),
                # Added by issue 17: uMap's Radio and Switch.
                _("One value among the values (radio buttons)"),
                _("Yes or no"),
            ),
            required=True,
            message=m.BAD_CHOICE,
        ),
        Option(
            scope,
            "field",
            "text",
            _("Property filtered"),
            default="",
            max_length=FIELD_MAX,
            message=m.FILTER_NEEDS_FIELD,
            extra={"types": ("category", "range", "date_range", "radio", "yes_no")},
        ),
        Option(
            scope,
            "fields",
            "list",
            _("Properties searched"),
            default=None,
            max_length=None,
            message=m.FILTER_NEEDS_FIELD,
            extra={"types": ("search",)},
        ),
        Option(
            scope,
            "label",
            "text",
            _("Label"),
            _("Empty: the property's name (or “Search”)."),
            default="",
            max_length=LABEL_MAX,
        ),
    ]


def _rule() -> list[Option]:
    scope = "rule"
    return [
        Option(
            scope,
            "field",
            "text",
            _("Property tested"),
            required=True,
            max_length=FIELD_MAX,
            message=m.RULE_NEEDS_FIELD,
        ),
        Option(
            scope,
            "operator",
            "choice",
            _("Test"),
            default="=",
            choices=("=", "!=", "<", ">"),
            choice_labels=(_("equals"), _("differs from"), _("is less than"), _("is more than")),
            message=m.BAD_CHOICE,
        ),
        Option(
            scope,
            "value",
            "text",
            _("Value"),
            _("Text, or a number for “less than” and “more than”; empty matches no value."),
            default="",
            max_length=LABEL_MAX,
        ),
        Option(
            scope,
            "label",
            "text",
            _("Label in the legend"),
            _("Empty: the condition itself, e.g. “type = école”."),
            default="",
            max_length=LABEL_MAX,
        ),
        Option(scope, "style", "object", _("Style"), default=None, of="style"),
    ]


def _feature() -> list[Option]:
    scope = "feature"
    return [
        Option(
            scope,
            "name",
            "text",
            _("Name"),
            default=None,
            field="properties.name",
            umap=u.link("name", read=u.raw),
        ),
        Option(
            scope,
            "description",
            "text",
            _("Description"),
            _("Text, or HTML limited to paragraphs, bold, italics, lists and links."),
            default=None,
            field="properties.description",
            umap=u.link("description", read=u.raw),
        ),
        Option(
            scope,
            "_style",
            "object",
            _("Style of this feature"),
            default=None,
            of="style",
            field="properties._style",
            extra={"umap_inline": True},
        ),
        Option(scope, "_media", "object", _("Media"), default=None, of="media"),
        Option(
            scope,
            "_umap_options",
            "json",
            _("uMap options kept for the round trip"),
            default=None,
            editor=False,
            field="properties._umap_options",
        ),
    ]


def _media() -> list[Option]:
    scope = "media"
    return [
        Option(
            scope,
            "image",
            "object",
            _("Image"),
            _("An image of the site's library, with its text alternative (500 characters)."),
            default=None,
            message=m.BAD_MEDIA_ID,
            extra={"text_key": "alt", "text_max": 500},
        ),
        Option(
            scope,
            "video",
            "url",
            _("Video address"),
            _("An https:// address of a video the site can embed."),
            default=None,
            max_length=URL_MAX,
            message=m.BAD_VIDEO_URL,
        ),
        Option(
            scope,
            "audio",
            "object",
            _("Audio"),
            _("A document of the site's library, with its title (200 characters)."),
            default=None,
            message=m.BAD_MEDIA_ID,
            extra={"text_key": "title", "text_max": 200},
        ),
        Option(
            scope,
            "transcript",
            "text",
            _("Transcript"),
            _(
                "What the audio or video says and shows, for who cannot hear or see it: text, "
                "or HTML cleaned like descriptions (50,000 characters)."
            ),
            default=None,
            max_length=50_000,
        ),
    ]


def _data() -> list[Option]:
    scope = "data"
    counts = {"feature_count": _("Features"), "vertex_count": _("Points"), "size": _("Bytes")}
    return [
        Option(
            scope,
            "digest",
            "key",
            _("Digest"),
            required=True,
            pattern=DIGEST_PATTERN,
            message=m.BAD_DIGEST,
            editor=False,
        ),
        *(
            Option(
                scope,
                key,
                "integer",
                label,
                required=True,
                min=0,
                message=m.BAD_COUNT,
                field="data." + key,
                editor=False,
            )
            for key, label in counts.items()
        ),
    ]


def _basemaps() -> list[Option]:
    """What a visitor may do with the basemap: switch to others, add overlays, and how far
    they may go (docs/basemaps-and-cache.md). Added after the first options: sparse."""
    scope = "map"
    return [
        Option(
            scope,
            "basemap_choice",
            "json",
            _("Basemaps visitors may switch to"),
            _("Keys of the site's basemaps, offered with the map's own in a basemap switcher."),
            default=[],
            sparse=True,
            extra={"shape": "list of basemap keys, at most 20"},
        ),
        Option(
            scope,
            "overlays",
            "json",
            _("Overlays"),
            _(
                "Transparent tile layers over the basemap, from the site's overlays: "
                '[{"id": "cadastre", "opacity": 0.7, "shown": true}].'
            ),
            default=[],
            sparse=True,
            extra={"shape": '`[{"id": key, "opacity": 0..1, "shown": boolean}]`, at most 20'},
            umap=u.link(
                "overlay",
                read=u.overlay_from_umap,
                write=u.overlay_to_umap,
                status=CONVERTED,
                note="a uMap overlay whose tiles are one of ours (the Géoplateforme's cadastre "
                "or administrative limits) becomes that overlay, its opacity kept; any other "
                "is kept, not shown (the site chooses which servers citizens' browsers contact)",
            ),
        ),
        Option(
            scope,
            "limit_bounds",
            "json",
            _("Limits of the map"),
            _("The box visitors cannot pan out of: south, west, north, east. Empty: none."),
            default=None,
            nullable=True,
            sparse=True,
            message=m.BAD_BOUNDS,
            extra={"shape": '`{"south", "west", "north", "east"}` (numbers)'},
            umap=u.link("limitBounds", read=u.bounds_from_umap),
        ),
    ]


# --- layer groups (issue 17): one block, sparse -------------------------------------------------

MAX_GROUPS = 50
MAX_GROUP_DEPTH = 4  # "Services" › "Écoles" › "Publiques" › "Maternelles" at most


def _groups() -> list[Option]:
    """Nested groups of layers, as uMap 3.7+ has them (docs/map-document.md#layer-groups).

    A group is an entry of the document's ``groups``; a layer names its group in ``group``. In
    a ``.umap`` file a group is a layer with ``"group": true`` and its children nested under
    ``layers`` (formats/umap.py). Added after the first release: sparse."""
    scope = "group"
    return [
        Option(
            "document",
            "groups",
            "list",
            _("Groups of layers"),
            default=None,
            of="group",
            max_length=MAX_GROUPS,
            sparse=True,
            editor=False,
        ),
        Option(
            "layer",
            "group",
            "key",
            _("Group"),
            _("The group the layer belongs to, in the layer list and the legend. Empty: none."),
            default=None,
            nullable=True,
            pattern=LAYER_ID_PATTERN,
            message=m.BAD_GROUP_ID,
            sparse=True,
            editor=False,
        ),
        Option(
            scope,
            "id",
            "key",
            _("Identifier"),
            required=True,
            pattern=LAYER_ID_PATTERN,
            message=m.BAD_GROUP_ID,
            editor=False,
        ),
        Option(
            scope,
            "name",
            "text",
            _("Name of the group"),
            required=True,
            max_length=200,
            umap=u.link("name", read=lambda v: v if isinstance(v, str) and v.strip() else MISSING),
        ),
        Option(
            scope,
            "parent",
            "key",
            _("Parent group"),
            _("The group this group sits in. Empty: the top of the list."),
            default=None,
            nullable=True,
            pattern=LAYER_ID_PATTERN,
            message=m.BAD_GROUP_ID,
            editor=False,
        ),
        Option(
            scope,
            "description",
            "text",
            _("Description of the group"),
            default="",
            max_length=10_000,
            sparse=True,
            umap=u.link("description", read=u.text, absent=""),
        ),
        Option(
            scope,
            "umap",
            "json",
            _("uMap options kept for the round trip"),
            default=None,
            sparse=True,
            editor=False,
        ),
    ]


OPTIONS: tuple[Option, ...] = (
    *_document(),
    *_map(),
    *_basemaps(),
    *_controls(),
    *_licence(),
    *_slideshow(),
    *_layer(),
    *_style(),
    *_representation(),
    *_category(),
    *_filter(),
    *_rule(),
    *_feature(),
    *_media(),
    *_data(),
    *_groups(),
)

# uMap options of the map that a layer inherits: read into each layer at import (the layer's
# own value wins), since our layers always hold their own.
INHERITED_BY_LAYERS_AT_IMPORT = (
    "popupContentTemplate",
    "popupTemplate",
    "popupShape",
    "labelKey",
)

__all__ = ["APPLIED", "CONVERTED", "OPTIONS"]
