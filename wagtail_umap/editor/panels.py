"""Server side of the editor's plug-in panels: style, table, media, representation and filters.

``wagtail_umap.editor.widget`` imports this module when it exists: ``panel_strings`` joins the
editor's strings (the panels' JavaScript holds no text), ``panel_config`` becomes
``state.config.panels`` and ``PANEL_MEDIA`` joins the editor widget's media (Wagtail's image
and document chooser modals, and the panels' CSS).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext

from wagtail_umap.core import classify, colours, pictograms, schema
from wagtail_umap.core.document import PICTOGRAM_MAX_CHARS
from wagtail_umap.core.schema import editor_fields
from wagtail_umap.editor.tools import tool_strings

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
    return {
        **_style_strings(),
        **_table_strings(),
        **_media_strings(),
        **_data_strings(),
        **_group_strings(),
        **tool_strings(),
    }


def _label(scope: str, key: str) -> str:
    """An option's label, from the schema, in the active language."""
    return gettext(schema.option(scope, key).label)


def _style_strings() -> dict[str, str]:
    """The style panel's own texts; its fields' labels, help, bounds and choices come from the
    schema (``schema_fields``)."""
    return {
        "style_feature_help": gettext(
            "Only what you change here differs from the layer's style; the rest follows it."
        ),
        "style_reset": gettext("Use the layer's style again"),
        "style_reset_done": gettext("Style reset to the layer's"),
        "style_palette": gettext("Palette (readable on the basemap)"),
        "style_swatch": gettext("Colour: %(name)s"),
        "style_custom_color": gettext("Other colour"),
        "style_code": gettext("Colour code"),
        "style_code_invalid": gettext("Not a colour: write #rrggbb or a CSS colour name."),
        "style_inherited": gettext("(layer's)"),
        "style_contrast_ok": gettext("Contrast with the basemap: %(ratio)s:1."),
        "style_contrast_warning": gettext(colours.CONTRAST_WARNING),
        "style_lines": gettext("Lines and shapes"),
        "style_dash_solid": gettext("Solid"),
        "style_dash_dashed": gettext("Dashed"),
        "style_dash_dotted": gettext("Dotted"),
        "style_dash_dash_dot": gettext("Dash and dot"),
        "style_pictogram_suggestions": gettext("Suggestions"),
        "style_pictogram_too_long": gettext("At most %(max)s characters.")
        % {"max": PICTOGRAM_MAX_CHARS},
        "style_icon_search": gettext("Search the pictograms (in French or English)"),
        "style_icon_search_help": gettext(
            "Then the down arrow to reach the pictograms found; the arrows move between them."
        ),
        "style_icon_found": gettext("%(count)s pictograms found"),
        "style_icon_none_found": gettext("No pictogram found: try another word."),
        "style_icon_chosen": gettext("Chosen: %(name)s"),
        "style_icon_nothing_chosen": gettext("No pictogram chosen."),
        "style_icon_remove": gettext("Remove the pictogram"),
        "style_icon_results": gettext("Pictograms found"),
        "style_icon_own_help": gettext(
            "Or your own icon, from the site's images or documents or from your computer:"
        ),
        "style_icon_own_image": gettext("An image (PNG)"),
        "style_icon_own_svg": gettext("An SVG file"),
        "style_icon_own_chosen": gettext("Chosen: your own icon"),
        "style_icon_not_svg": gettext("This document is not an SVG file: choose a .svg file."),
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
        "table_name": _label("feature", "name"),
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
        "media_heading": _label("feature", "_media"),
        "media_image": _label("media", "image"),
        "media_image_upload": gettext("Choose an image on your computer"),
        "media_image_uploading": gettext("Sending the image “%(name)s”…"),
        "media_image_uploaded": gettext("Image “%(title)s” sent and added to the place."),
        "media_image_upload_failed": gettext("The image “%(name)s” was not sent: %(reason)s"),
        "media_image_upload_offline": gettext("the server did not answer; try again."),
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
        "media_video": _label("media", "video"),
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
    """The data panel's own texts; its fields' labels, bounds and choices come from the schema."""
    return {
        "data_field_none": gettext("(none)"),
        "data_field_hint_numeric": gettext("numbers"),
        "data_field_hint_text": gettext("text"),
        "data_no_numeric_field": gettext("This layer has no numeric field."),
        "data_breaks_invalid": gettext("Enter %(count)s increasing numbers."),
        "data_categories_auto": gettext(
            "Each value gets its own colour and shape automatically, so no information rests "
            "on colour alone."
        ),
        "data_auto": gettext("Automatic"),
        "data_categories_more": gettext(
            "%(count)s other values get their colour and shape automatically."
        ),
        "data_zoom": gettext("Visible between zoom levels"),
        "data_zoom_any": gettext("(any)"),
        "data_zoom_invalid": gettext("The first zoom level must not be above the second."),
        "data_filter_add": gettext("Add a filter"),
        "data_filter_remove": gettext("Remove the filter %(number)s"),
        "data_filter_number": gettext("Filter %(number)s"),
        "data_slideshow_all_layers": gettext("All layers, in order"),
        "data_rule_add": gettext("Add a rule"),
        "data_rule_number": gettext("Rule %(number)s"),
        "data_rule_remove": gettext("Remove the rule %(number)s"),
        "data_rule_colour_none": gettext("(the layer's colour)"),
        "data_rule_field_missing": gettext(
            "Rule %(number)s: write the property tested; the rule is not saved without it."
        ),
        "data_rule_unknown_field": gettext(
            "Rule %(number)s: no feature of the layer has the property “%(field)s” yet, so "
            "the rule styles none."
        ),
        "data_rules_changed": gettext("Conditional styles changed"),
        "data_changed": gettext("Representation changed"),
        "data_filters_changed": gettext("Filters changed"),
        "data_slideshow_changed": gettext("Slideshow changed"),
    }


def _group_strings() -> dict[str, str]:
    """The layer list's groups of layers (js/editor/groups.js, issue 17)."""
    return {
        "groups_add": gettext("Add a group"),
        "groups_add_in": gettext("Add a group in: %(name)s"),
        "groups_rename": gettext("Rename: %(name)s"),
        "groups_delete": gettext("Delete the group: %(name)s"),
        "groups_empty": gettext(
            "No layer in this group yet: choose it in a layer's settings, or drag a layer here."
        ),
        "groups_layer_group": _label("layer", "group"),
        "groups_none": gettext("(no group)"),
        "groups_parent": gettext("%(name)s is in the group"),
        "groups_name_prompt": gettext("Name of the group:"),
        "groups_new_name": gettext("Group %(number)s"),
        "groups_added": gettext("Group %(name)s added"),
        "groups_renamed": gettext("Group renamed: %(name)s"),
        "groups_reordered": gettext("Group %(name)s moved to position %(position)s"),
        "groups_deleted": gettext("Group %(name)s deleted; its layers moved up a level"),
        "groups_moved_in": gettext("%(name)s moved into the group %(group)s"),
        "groups_moved_out": gettext("%(name)s moved out of its group"),
        "groups_too_many": gettext(
            "No group added: a map has at most 50 groups, nested 4 levels deep at most."
        ),
    }


def schema_fields() -> dict[str, dict[str, dict]]:
    """The options an editor sets, described by the schema (``core.schema.editor_fields``) in
    the active language: ``{scope: {key: field}}``. A representation's own options are keyed
    ``"<type>.<key>"`` (a heat map's radius differs from a cluster's); ``type`` stays ``type``.
    The panels take every label, help text, default, bound and choice from here."""
    fields: dict[str, dict[str, dict]] = {}
    for field in editor_fields(translate=gettext):
        scope = fields.setdefault(field["scope"], {})
        for kind in field.get("representations") or (None,):
            scope[f"{kind}.{field['key']}" if kind else field["key"]] = field
    return fields


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
        "fields": schema_fields(),
        # The height a marker without a size of its own is drawn at (the field's placeholder).
        "markerSizeShown": 32,
        "pictograms": ["🚲", "🚌", "🅿️", "🏫", "⛪", "🏥", "🌳", "♿", "🚻", "ℹ️", "WC", "P"],
        # The library (core/pictograms.py): name, text alternative, search terms, picture.
        "pictogramLibrary": pictogram_library(),
        "pictogramSprite": static("wagtail_umap/vendor/maki/pictograms.svg"),
        "pictogramIconView": _url("wagtail_umap:marker_icon"),
        "dashes": {"solid": "", "dashed": "8 6", "dotted": "2 5", "dash_dot": "12 4 2 4"},
        "schemes": {name: list(ramp) for name, ramp in classify.SCHEMES.items()},
        "choosers": _chooser_urls(),
        "tablePageSize": 50,
    }


def pictogram_library() -> list[dict[str, str]]:
    language = get_language() or "fr"
    return [
        {
            "name": pictogram.name,
            "label": pictogram.label(language),
            "terms": pictogram.terms,
            "url": static(f"wagtail_umap/vendor/maki/icons/{pictogram.name}.svg"),
        }
        for pictogram in pictograms.PICTOGRAMS
    ]


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # the site did not include wagtail_umap.urls
        return ""


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
    # The place panel's "Choose an image on your computer" (editor/image_upload.py).
    urls["image_upload"] = reverse("wagtail_umap_editor_image") if urls["image"] else ""
    return urls
