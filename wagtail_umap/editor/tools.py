"""Texts of the editor's editing tools (``js/editor/tools.js`` and the table's column menu):
columns renamed, retyped and deleted; features and layers duplicated; measures; holes.

``panels.panel_strings`` joins them to the editor's strings; the scripts hold no text.
"""

from __future__ import annotations

from django.utils.translation import gettext


def tool_strings() -> dict[str, str]:
    return {**_column_strings(), **_feature_tool_strings(), **_map_filter_strings()}


def _column_strings() -> dict[str, str]:
    return {
        "table_column_menu": gettext("Column %(column)s: rename, change the type, delete"),
        "table_column_heading": gettext("Column %(column)s"),
        "table_column_menu_close": gettext("Close the column's menu"),
        "table_column_new_name": gettext("New name of the column"),
        "table_column_rename": gettext("Rename"),
        "table_column_renamed": gettext("Column %(from)s renamed %(to)s"),
        "table_column_name_empty": gettext("Write the column's new name."),
        "table_column_name_reserved": gettext(
            "%(column)s cannot be a column's name: name and description are the features' own, "
            "and names starting with _ are kept for the map."
        ),
        "table_column_name_same": gettext("The column is already named %(column)s."),
        "table_column_name_taken": gettext("There is already a column %(column)s."),
        "table_column_type": gettext("Type of the values"),
        "table_column_type_help": gettext(
            "Numbers are written 1234,5 or 1234.5; yes or no: oui, non, vrai, faux, 1, 0."
        ),
        "table_column_type_text": gettext("text"),
        "table_column_type_number": gettext("number"),
        "table_column_type_boolean": gettext("yes or no"),
        "table_column_yes": gettext("yes"),
        "table_column_no": gettext("no"),
        "table_column_retype": gettext("Change the type"),
        "table_column_retyped": gettext("Column %(column)s changed to %(type)s (%(count)s values)"),
        "table_column_retype_nothing": gettext(
            "The values of %(column)s are already of type %(type)s."
        ),
        "table_column_failures": gettext("%(count)s values cannot become %(type)s:"),
        "table_column_cannot_convert": gettext("row %(row)s, %(name)s: “%(value)s”"),
        "table_column_more_failures": gettext("and %(count)s other values"),
        "table_column_retype_confirm": gettext(
            "%(count)s values of %(column)s cannot become %(type)s (listed under the column's "
            "menu). Convert the others and leave these as they are?"
        ),
        "table_column_retype_cancelled": gettext("Type not changed: nothing was converted."),
        "table_column_delete": gettext("Delete the column %(column)s"),
        "table_column_delete_confirm": gettext(
            "Delete the column %(column)s and its values in %(count)s features? (Undo brings "
            "it back.)"
        ),
        "table_column_deleted": gettext("Column %(column)s deleted"),
    }


def _feature_tool_strings() -> dict[str, str]:
    return {
        "tools_heading": gettext("Tools"),
        "tools_duplicate": gettext("Duplicate"),
        "tools_copy_suffix": gettext(" (copy)"),
        "tools_duplicated": gettext("Feature %(name)s duplicated"),
        "tools_duplicated_announce": gettext(
            "%(name)s duplicated: %(copy)s, selected, is just beside it."
        ),
        "tools_layer_duplicate": gettext("Duplicate the layer %(name)s"),
        "tools_layer_copy_name": gettext("Copy of %(name)s"),
        "tools_layer_duplicated": gettext("Layer %(name)s duplicated"),
        "tools_layer_duplicated_announce": gettext(
            "Layer %(name)s added, with %(count)s features; it is the current layer."
        ),
        "tools_measure": gettext("Measure"),
        "tools_measure_length": gettext("Length of %(name)s: %(length)s."),
        "tools_measure_area": gettext("Area of %(name)s: %(area)s; perimeter: %(perimeter)s."),
        "tools_measure_drawing": gettext("Measured so far: %(length)s."),
        "tools_measure_drawing_area": gettext("Measured so far: %(length)s, area %(area)s."),
        "tools_hole_add": gettext("Add a hole"),
        "tools_hole_start": gettext(
            "Draw the hole inside %(name)s: place its vertices (Enter at the crosshair, or "
            "click), Enter again on the last one to finish; Escape cancels."
        ),
        "tools_hole_added": gettext("Hole added to %(name)s"),
        "tools_hole_added_announce": gettext("Hole %(number)s added to %(name)s (%(area)s)."),
        "tools_hole_cancelled": gettext("Hole cancelled."),
        "tools_hole_too_short": gettext("A hole needs at least 3 vertices."),
        "tools_hole_outside": gettext(
            "Hole not added: it must lie wholly inside %(name)s, without crossing its edge."
        ),
        "tools_hole_overlaps": gettext("Hole not added: it overlaps another hole of %(name)s."),
        "tools_hole_remove": gettext("Remove hole %(number)s"),
        "tools_hole_removed": gettext("Hole %(number)s of %(name)s removed"),
    }


def _map_filter_strings() -> dict[str, str]:
    return {
        "tools_map_filter_add": gettext("Add a filter of the whole map"),
        "tools_map_filter_added": gettext("Filter of the whole map added"),
        "tools_map_filters_changed": gettext("Filters of the whole map changed"),
        "tools_map_filter_number": gettext("Filter %(number)s of the whole map"),
        "tools_map_filter_remove": gettext("Remove filter %(number)s"),
        "tools_map_filter_removed": gettext("Filter %(number)s of the whole map removed"),
        "tools_map_filter_needs_field": gettext("Write the property (or properties) filtered."),
    }
