"""The French catalogue is shipped complete and compiled."""

import gettext
import json
import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "wagtail_umap" / "locale" / "fr" / "LC_MESSAGES"


def po_entries() -> list[dict]:
    """The entries of the .po file (header left out): msgid, msgstr…, and a fuzzy flag."""
    entries, entry, key = [], {}, None
    for line in [*(LOCALE / "django.po").read_text().splitlines(), ""]:
        keyword = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
        if keyword:
            key = keyword.group(1)
            entry[key] = json.loads(keyword.group(2))
        elif line.startswith('"') and key:
            entry[key] += json.loads(line)
        elif line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
    return entries


def test_every_message_is_translated():
    entries = po_entries()
    assert len(entries) > 150
    untranslated = [
        entry["msgid"]
        for entry in entries
        if entry.get("fuzzy") or not all(v for k, v in entry.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.gettext("Show on the map") == "Voir sur la carte"
    assert catalogue.ngettext("%(count)s place", "%(count)s places", 3) == "%(count)s lieux"
    for entry in po_entries():
        if "msgid_plural" in entry:
            translated = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            assert translated == entry["msgstr[0]"], entry["msgid"]
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_validation_messages_are_french_on_a_french_site():
    from wagtail_umap.core.errors import MapDocumentError
    from wagtail_umap.core.validation import validate_features

    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [2, 95]},
    }
    try:
        validate_features([feature], layer=2, layer_name="Écoles")
    except MapDocumentError as error:
        with translation.override("fr"):
            message = error.messages(translation.gettext)[0]
    assert message == "calque 2 « Écoles », élément 1 : la latitude 95 est hors de -90..90"


def test_every_message_of_the_core_has_its_french():
    from wagtail_umap.core import messages

    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    templates = [
        value for name, value in vars(messages).items() if name.isupper() and isinstance(value, str)
    ]
    assert len(templates) > 100
    untranslated = [t for t in templates if catalogue.gettext(t) == t]
    assert untranslated == []
