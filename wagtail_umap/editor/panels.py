"""Server side of the editor's plug-in panels: style, table, media, representation and filters.

``wagtail_umap.editor.widget`` imports this module when it exists: ``panel_strings`` joins the
editor's strings (the panels' JavaScript holds no text), ``panel_config`` becomes
``state.config.panels`` and ``PANEL_MEDIA`` joins the editor widget's media (Wagtail's image
and document chooser modals, and the panels' CSS).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from wagtail_umap.core import classify, colours
from wagtail_umap.core.document import MARKER_SHAPES, MARKER_SIZE_RANGE, PICTOGRAM_MAX_CHARS

try:  # Wagtail's cache-busting static URL, as its own widgets use
    from wagtail.admin.staticfiles import versioned_static
except ImportError:  # pragma: no cover - always there with Wagtail installed
    versioned_static = str  # type: ignore[assignment]

PANEL_MEDIA = forms.Media(
    css={"all": ("wagtail_umap/css/editor-panels.css",)},
    js=(
        versioned_static("wagtailimages/js/image-chooser-modal.js"),
        versioned_static("wagtaildocs/js/document-chooser-modal.js"),
    ),
)


def panel_strings() -> dict[str, str]:
    """Every text of the four panels, in the active language (keys prefixed by panel)."""
    return {**_style_strings(), **_table_strings(), **_media_strings(), **_data_strings()}


def _style_strings() -> dict[str, str]:
    return {
        "style_heading_layer": gettext("Default style of the layer"),
        "style_heading_feature": gettext("Style of this feature"),
        "style_feature_help": gettext(
            "Only what you change here differs from the layer's style; the rest follows it."
        ),
        "style_reset": gettext("Use the layer's style again"),
        "style_reset_done": gettext("Style reset to the layer's"),
        "style_color": gettext("Colour"),
        "style_palette": gettext("Palette (readable on the basemap)"),
        "style_swatch": gettext("Colour: %(name)s"),
        "style_custom_color": gettext("Other colour"),
        "style_code": gettext("Colour code"),
        "style_code_help": gettext("#rrggbb or a CSS colour name, e.g. #1f5fa8 or navy."),
        "style_code_invalid": gettext("Not a colour: write #rrggbb or a CSS colour name."),
        "style_inherited": gettext("(layer's)"),
        "style_contrast_ok": gettext("Contrast with the basemap: %(ratio)s:1."),
        "style_contrast_warning": gettext(colours.CONTRAST_WARNING),
        "style_lines": gettext("Lines and shapes"),
        "style_opacity": gettext("Opacity of the line (%)"),
        "style_weight": gettext("Line width (pixels)"),
        "style_dash": gettext("Line pattern"),
        "style_dash_solid": gettext("Solid"),
        "style_dash_dashed": gettext("Dashed"),
        "style_dash_dotted": gettext("Dotted"),
        "style_dash_dash_dot": gettext("Dash and dot"),
        "style_fill": gettext("Fill polygons"),
        "style_fill_opacity": gettext("Opacity of the fill (%)"),
        "style_marker_shape": gettext("Marker shape"),
        "style_shape_pin": gettext("Pin"),
        "style_shape_circle": gettext("Circle"),
        "style_shape_square": gettext("Square"),
        "style_shape_drop": gettext("Drop"),
        "style_pictogram": gettext("Pictogram on the marker"),
        "style_pictogram_help": gettext(
            "An emoji or up to three letters (%(max)s characters at most), e.g. 🚲 or WC."
        )
        % {"max": PICTOGRAM_MAX_CHARS},
        "style_pictogram_suggestions": gettext("Suggestions"),
        "style_pictogram_too_long": gettext("At most %(max)s characters.")
        % {"max": PICTOGRAM_MAX_CHARS},
        "style_marker_size": gettext("Marker size (pixels)"),
        "style_default": gettext("Default"),
        "style_changed": gettext("Style changed"),
        "style_out_of_range": gettext("Enter a number from %(min)s to %(max)s."),
    }


def _table_strings() -> dict[str, str]:
    return {
        "table_caption": gettext("Features of the layer %(name)s"),
        "table_help": gettext(
            "Edit a cell and press Enter or leave it to save. Arrow keys move between cells, "
            "column headings sort."
        ),
        "table_empty": gettext("This layer has no features yet."),
        "table_name": gettext("Name"),
        "table_geometry": gettext("Type"),
        "table_actions": gettext("Actions"),
        "table_sort_by": gettext("Sort by %(column)s"),
        "table_sorted_ascending": gettext("Sorted by %(column)s, ascending"),
        "table_sorted_descending": gettext("Sorted by %(column)s, descending"),
        "table_sort_label": gettext("Table sorted by %(column)s"),
        "table_show": gettext("Show %(name)s on the map"),
        "table_show_short": gettext("Show"),
        "table_pages": gettext("Pages of the table"),
        "table_delete": gettext("Delete %(name)s"),
        "table_deleted": gettext("Feature %(name)s deleted"),
        "table_edited": gettext("Cell changed"),
        "table_add_column": gettext("Add a column"),
        "table_column_name": gettext("Name of the new column"),
        "table_column_added": gettext("Column %(name)s added"),
        "table_column_exists": gettext("There is already a column %(name)s."),
        "table_rows": gettext("Rows %(from)s–%(to)s of %(count)s"),
        "table_first": gettext("First page"),
        "table_prev": gettext("Previous page"),
        "table_next": gettext("Next page"),
        "table_last": gettext("Last page"),
        "table_close": gettext("Close the table"),
        "table_filter": gettext("Filter the rows"),
        "table_number_hint": gettext("number"),
    }


def _media_strings() -> dict[str, str]:
    return {
        "media_transcript": gettext("Transcript of the audio or video"),
        "media_transcript_help": gettext(
            "What is said and heard, for those who cannot hear or play it; paragraphs apart "
            "by a blank line."
        ),
        "media_transcript_missing": gettext(
            "No transcript yet: without one, the audio or video says nothing to deaf or "
            "hard-of-hearing citizens (RGAA 4.1)."
        ),
        "media_heading": gettext("Media"),
        "media_image": gettext("Image"),
        "media_image_upload": gettext("Upload an image from your computer"),
        "media_image_choose": gettext("Choose an image"),
        "media_image_change": gettext("Change the image"),
        "media_image_remove": gettext("Remove the image"),
        "media_image_chosen": gettext("Image: %(title)s"),
        "media_image_number": gettext("Image no. %(id)s"),
        "media_alt": gettext("Text alternative (alt)"),
        "media_alt_help": gettext(
            "Say what the image shows for people who cannot see it. Required unless the image "
            "is decorative."
        ),
        "media_alt_required": gettext("Write the text alternative, or mark the image decorative."),
        "media_decorative": gettext("Decorative image (no text alternative)"),
        "media_video": gettext("Video address"),
        "media_video_help": gettext(
            "An https address of a video on YouTube, Vimeo, Dailymotion or PeerTube. "
            "Citizens load it only when they click it."
        ),
        "media_video_invalid": gettext("The video address must start with https://."),
        "media_audio": gettext("Audio file"),
        "media_audio_choose": gettext("Choose a document"),
        "media_audio_change": gettext("Change the document"),
        "media_audio_remove": gettext("Remove the document"),
        "media_audio_chosen": gettext("Document: %(title)s"),
        "media_changed": gettext("Media changed"),
        "media_no_chooser": gettext("Wagtail's chooser could not be opened."),
    }


def _data_strings() -> dict[str, str]:
    strings = {
        "data_representation": gettext("Representation"),
        "data_type": gettext("Show the features as"),
        "data_type_plain": gettext("Markers, lines and shapes"),
        "data_type_cluster": gettext("Grouped markers (clusters)"),
        "data_type_heat": gettext("Heat map"),
        "data_type_choropleth": gettext("Colours by value (choropleth)"),
        "data_type_categorized": gettext("Colours and shapes by category"),
        "data_type_circles": gettext("Proportional circles"),
        "data_field": gettext("Field"),
        "data_field_numeric": gettext("Numeric field"),
        "data_field_text": gettext("Field of categories"),
        "data_field_none": gettext("(none)"),
        "data_field_hint_numeric": gettext("numbers"),
        "data_field_hint_text": gettext("text"),
        "data_no_numeric_field": gettext("This layer has no numeric field."),
        "data_radius": gettext("Radius (pixels)"),
        "data_intensity": gettext("Intensity"),
        "data_method": gettext("Classes computed by"),
        "data_method_quantiles": gettext("Quantiles (as many features in each class)"),
        "data_method_equal": gettext("Equal intervals"),
        "data_method_jenks": gettext("Natural breaks (Jenks)"),
        "data_method_manual": gettext("Breaks I choose"),
        "data_classes": gettext("Number of classes"),
        "data_scheme": gettext("Colour scheme"),
        "data_breaks": gettext("Breaks between classes (numbers separated by spaces)"),
        "data_breaks_invalid": gettext("Enter %(count)s increasing numbers."),
        "data_unit": gettext("Unit shown in the legend"),
        "data_min_radius": gettext("Smallest radius (pixels)"),
        "data_max_radius": gettext("Largest radius (pixels)"),
        "data_categories_auto": gettext(
            "Each value gets its own colour and shape automatically, so no information rests "
            "on colour alone."
        ),
        "data_categories": gettext("Categories"),
        "data_category_label": gettext("Label in the legend"),
        "data_auto": gettext("Automatic"),
        "data_categories_more": gettext(
            "%(count)s other values get their colour and shape automatically."
        ),
        "data_zoom": gettext("Visible between zoom levels"),
        "data_min_zoom": gettext("From zoom"),
        "data_max_zoom": gettext("To zoom"),
        "data_zoom_any": gettext("(any)"),
        "data_zoom_invalid": gettext("The first zoom level must not be above the second."),
        "data_filters": gettext("Filters offered to citizens"),
        "data_filter_add": gettext("Add a filter"),
        "data_filter_remove": gettext("Remove the filter %(number)s"),
        "data_filter_number": gettext("Filter %(number)s"),
        "data_filter_type": gettext("Kind of filter"),
        "data_filter_category": gettext("Choice among the values of a field"),
        "data_filter_range": gettext("Range of numbers"),
        "data_filter_date_range": gettext("Range of dates"),
        "data_filter_search": gettext("Text search"),
        "data_filter_label": gettext("Label shown to citizens"),
        "data_filter_fields": gettext("Fields searched"),
        "data_popup_layout": gettext("Popup layout"),
        "data_popup_default": gettext("Default (the popup template)"),
        "data_popup_table": gettext("A table of all the fields"),
        "data_popup_panel": gettext("A side panel, for long content"),
        "data_slideshow": gettext("Slideshow"),
        "data_slideshow_enabled": gettext("Offer a slideshow of the features"),
        "data_slideshow_layer": gettext("Features of"),
        "data_slideshow_all_layers": gettext("All layers, in order"),
        "data_slideshow_sort": gettext("Order by the field"),
        "data_slideshow_autoplay": gettext("Start playing by itself"),
        "data_slideshow_delay": gettext("Seconds per feature"),
        "data_changed": gettext("Representation changed"),
        "data_filters_changed": gettext("Filters changed"),
        "data_slideshow_changed": gettext("Slideshow changed"),
    }
    for scheme in classify.SCHEMES:
        strings[f"data_scheme_{scheme}"] = scheme_label(scheme)
    return strings


def scheme_label(scheme: str) -> str:
    labels = {
        "blues": gettext("Blues"),
        "greens": gettext("Greens"),
        "oranges": gettext("Oranges"),
        "purples": gettext("Purples"),
        "viridis": gettext("Viridis (blue to yellow)"),
        "red_blue": gettext("Red to blue (diverging)"),
        "brown_teal": gettext("Brown to teal (diverging)"),
        "purple_green": gettext("Purple to green (diverging)"),
    }
    return labels.get(scheme, scheme)


def panel_config(request: Any = None) -> dict[str, Any]:
    """What the panels' JavaScript needs besides strings: palette, limits, chooser URLs."""
    return {
        "palette": [
            {
                "key": colour.key,
                "value": colour.value,
                "name": gettext(colour.name),
                "contrast": round(colours.basemap_contrast(colour.value), 2),
            }
            for colour in colours.PALETTE
        ],
        "backgrounds": list(colours.BASEMAP_BACKGROUNDS),
        "minContrast": colours.MIN_CONTRAST,
        "markerShapes": list(MARKER_SHAPES),
        "markerSize": {"min": MARKER_SIZE_RANGE[0], "max": MARKER_SIZE_RANGE[1], "default": 32},
        "pictogramMax": PICTOGRAM_MAX_CHARS,
        "pictograms": ["🚲", "🚌", "🅿️", "🏫", "⛪", "🏥", "🌳", "♿", "🚻", "ℹ️", "WC", "P"],
        "dashes": {"solid": "", "dashed": "8 6", "dotted": "2 5", "dash_dot": "12 4 2 4"},
        "schemes": {name: list(ramp) for name, ramp in classify.SCHEMES.items()},
        "methods": list(classify.METHODS),
        "classes": {"min": classify.MIN_CLASSES, "max": classify.MAX_CLASSES},
        "choosers": _chooser_urls(),
        "tablePageSize": 50,
    }


def _chooser_urls() -> dict[str, str]:
    urls = {}
    for key, name in (
        ("image", "wagtailimages_chooser:choose"),
        ("document", "wagtaildocs_chooser:choose"),
    ):
        try:
            urls[key] = reverse(name)
        except NoReverseMatch:  # the site does not install that Wagtail app
            urls[key] = ""
    return urls
