"""Texts of the editor's editing tools (``js/editor/tools.js`` and the table's column menu):
columns renamed, retyped and deleted; features and layers duplicated; measures; holes.

``panels.panel_strings`` joins them to the editor's strings; the scripts hold no text.
"""

from __future__ import annotations

from django.utils.translation import gettext


def tool_strings() -> dict[str, str]:
    return {**_column_strings()}


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
        "table_column_retype_nothing": gettext("The values of %(column)s are already of type %(type)s."),
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
