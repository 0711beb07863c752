"""Which property names a layer's features, the same way for every format (pure Python).

A file's columns and properties keep their own keys in every reader ("nom" stays "nom"). When
no feature has a ``name``, the layer's ``label_key`` (uMap's ``labelKey``) is set to the property
that names them: "nom", "titre", "libellé", "Nom de l'équipement", "appellation"… The viewer,
the list and the editor then name each feature from it, and a backup keeps the key as it came.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Whole names, best first (compared without case, accents or punctuation).
NAME_KEYS = (
    "nom",
    "titre",
    "title",
    "libelle",
    "intitule",
    "denomination",
    "appellation",
    "appellation_officielle",
    "label",
    "nom_usuel",
    "raison_sociale",
)
# A first word that makes a name ("Nom de l'équipement", "libelle_site", "name_fr").
NAME_WORDS = ("nom", "name", "libelle", "titre", "title", "intitule", "denomination", "appellation")
# Words that tie the first word to the rest ("nom *de l'*équipement").
LINK_WORDS = frozenset({"de", "du", "des", "d", "l", "la", "le", "les"})
# What a "nom_…" column names when it is not the feature itself: its place or its people.
NOT_THE_FEATURE = frozenset(
    {
        "commune",
        "com",
        "ville",
        "departement",
        "dept",
        "dep",
        "region",
        "reg",
        "epci",
        "canton",
        "arrondissement",
        "pays",
        "voie",
        "rue",
        "quartier",
        "iris",
        "academie",
        "circonscription",
        "responsable",
        "contact",
        "auteur",
        "proprietaire",
        "gestionnaire",
        "exploitant",
        "fichier",
        "file",
        "couche",
        "layer",
    }
)
SCAN = 1000  # features looked at for their keys: enough to know a layer's columns


def words(key: str) -> list[str]:
    """ "Nom de l'Équipement" → ["nom", "de", "l", "equipement"]."""
    decomposed = unicodedata.normalize("NFKD", key.strip().lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.findall(r"[a-z0-9]+", plain)


def name_key(keys: Iterable[str]) -> str | None:
    """The key, among ``keys`` (in column order), that names the features; None when none does
    (or when ``name`` is there: it names them already)."""
    keys = [key for key in keys if isinstance(key, str) and not key.startswith("_")]
    if "name" in keys:
        return None
    joined = {key: "_".join(words(key)) for key in keys}
    for wanted in NAME_KEYS:
        for key in keys:
            if joined[key] == wanted:
                return key
    for key in keys:
        parts = words(key)
        if len(parts) < 2 or parts[0] not in NAME_WORDS:
            continue
        rest = [word for word in parts[1:] if word not in LINK_WORDS]
        if rest and NOT_THE_FEATURE.isdisjoint(rest):
            return key
    return None


def set_label_keys(document: dict) -> dict:
    """Give each layer of ``document`` whose features have no ``name`` (and that has no
    ``label_key`` yet) the property that names them, if one does. Returns the document."""
    for layer in document.get("layers") or []:
        if not isinstance(layer, dict) or layer.get("label_key"):
            continue
        keys: dict[str, None] = {}
        named = False
        for feature in (layer.get("features") or [])[:SCAN]:
            properties = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(properties, dict):
                continue
            if properties.get("name") not in (None, ""):
                named = True
                break
            keys.update(dict.fromkeys(properties))
        if named:
            continue
        key = name_key(keys)
        if key is not None:
            layer["label_key"] = key
    return document
