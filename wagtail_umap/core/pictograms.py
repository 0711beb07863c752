"""The pictograms an editor may put in a marker: a catalogue of Maki's icons for public
services (pure Python, no Django).

Maki (Mapbox, CC0) is vendored by ``scripts/vendor-js`` into
``static/wagtail_umap/vendor/maki/``: one SVG a pictogram and ``pictograms.svg``, a sprite of
``<symbol>`` named after the files. Each entry here gives the file's name, a French and an
English name (the pictogram's text alternative) and keywords in both languages, which the
editor's picker searches with accents and case ignored. A marker's ``icon`` option holds the
name (or ``image:<id>``, ``document:<id>``: an editor's own icon, ``own_icon``);
``umap_pictogram`` reads the address of one of uMap's pictograms into it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Pictogram:
    name: str  # Maki's file name, without ".svg"
    fr: str
    en: str
    keywords_fr: str = ""
    keywords_en: str = ""

    def label(self, language: str) -> str:
        return self.fr if (language or "").lower().startswith("fr") else self.en

    @property
    def terms(self) -> str:
        """Every word it is found by, without accents, in lower case."""
        return normalise(
            " ".join(
                (self.name.replace("-", " "), self.fr, self.en, self.keywords_fr, self.keywords_en)
            )
        )


# name, French, English, French keywords, English keywords; grouped as the picker lists them.
_ENTRIES = (
    # Services publics
    ("town-hall", "Mairie", "Town hall", "hôtel de ville mairie annexe état civil", "city hall"),
    (
        "building",
        "Bâtiment public",
        "Public building",
        "administration services techniques préfecture",
        "office",
    ),
    (
        "information",
        "Information",
        "Information",
        "accueil office de tourisme france services",
        "tourist office help desk",
    ),
    (
        "post",
        "La Poste",
        "Post office",
        "courrier bureau de poste lettre colis",
        "mail letter parcel",
    ),
    (
        "police",
        "Police, gendarmerie",
        "Police",
        "gendarmerie police municipale commissariat",
        "station",
    ),
    ("fire-station", "Pompiers", "Fire station", "caserne sdis secours incendie", "firefighters"),
    ("prison", "Prison", "Prison", "centre pénitentiaire justice", "jail"),
    ("embassy", "Consulat, ambassade", "Embassy", "consulat drapeau", "consulate flag"),
    ("telephone", "Téléphone", "Telephone", "cabine numéro", "phone booth"),
    (
        "emergency-phone",
        "Borne d'appel d'urgence",
        "Emergency phone",
        "urgence secours",
        "emergency",
    ),
    ("suitcase", "Emploi", "Jobs", "emploi travail france travail insertion", "employment work"),
    ("home", "Logement", "Housing", "maison habitat", "house home"),
    (
        "residential-community",
        "Résidence, logement social",
        "Residential community",
        "hlm quartier habitat",
        "social housing",
    ),
    (
        "lodging",
        "Hébergement",
        "Lodging",
        "hôtel gîte hébergement d'urgence",
        "hotel accommodation",
    ),
    # Éducation, culture
    (
        "school",
        "École",
        "School",
        "école maternelle élémentaire collège lycée scolaire",
        "primary nursery",
    ),
    (
        "college",
        "Université",
        "University",
        "enseignement supérieur faculté campus",
        "college campus",
    ),
    ("library", "Bibliothèque", "Library", "médiathèque livres lecture", "books reading"),
    ("museum", "Musée", "Museum", "exposition collection", "exhibition"),
    ("theatre", "Théâtre", "Theatre", "spectacle salle des fêtes scène", "theater show stage"),
    ("cinema", "Cinéma", "Cinema", "film projection", "movie film"),
    (
        "music",
        "Musique",
        "Music",
        "concert conservatoire école de musique fête de la musique",
        "concert",
    ),
    ("art-gallery", "Galerie d'art", "Art gallery", "atelier artiste peinture", "artist painting"),
    ("castle", "Château", "Castle", "forteresse patrimoine", "fort heritage"),
    ("monument", "Monument", "Monument", "monument aux morts mémorial statue", "memorial statue"),
    ("historic", "Site historique", "Historic site", "patrimoine histoire", "heritage history"),
    ("landmark", "Point de repère", "Landmark", "lieu remarquable", "point of interest"),
    ("attraction", "Lieu touristique", "Attraction", "visite tourisme", "sightseeing tourism"),
    # Culte
    ("place-of-worship", "Lieu de culte", "Place of worship", "culte religion", "religion"),
    ("religious-christian", "Église", "Church", "église chapelle temple paroisse", "chapel"),
    ("religious-jewish", "Synagogue", "Synagogue", "juif", "jewish"),
    ("religious-muslim", "Mosquée", "Mosque", "musulman", "muslim"),
    ("cemetery", "Cimetière", "Cemetery", "tombe columbarium", "graveyard"),
    # Santé, social
    (
        "hospital",
        "Hôpital",
        "Hospital",
        "santé urgences clinique centre hospitalier",
        "health emergency clinic",
    ),
    (
        "doctor",
        "Médecin",
        "Doctor",
        "santé maison de santé cabinet médical",
        "health medical practice gp",
    ),
    ("pharmacy", "Pharmacie", "Pharmacy", "médicaments santé", "chemist drugstore"),
    ("dentist", "Dentiste", "Dentist", "santé dents", "teeth"),
    ("defibrillator", "Défibrillateur", "Defibrillator", "dae secours cœur", "aed heart"),
    ("blood-bank", "Don du sang", "Blood donation", "efs collecte sang", "blood bank"),
    (
        "heart",
        "Santé, solidarité",
        "Care",
        "cœur solidarité ccas action sociale",
        "heart social care",
    ),
    (
        "wheelchair",
        "Accessibilité",
        "Accessibility",
        "pmr handicap fauteuil",
        "wheelchair disabled",
    ),
    ("veterinary", "Vétérinaire", "Veterinary", "animaux", "vet animals"),
    ("animal-shelter", "Refuge pour animaux", "Animal shelter", "spa fourrière", "pound"),
    ("optician", "Opticien", "Optician", "lunettes", "glasses"),
    # Transports
    (
        "bus",
        "Arrêt de bus",
        "Bus stop",
        "autobus car navette transport scolaire gare routière",
        "coach shuttle",
    ),
    ("rail", "Gare", "Train station", "train sncf ter", "railway"),
    ("rail-light", "Tramway", "Tram", "tram", "light rail tramway"),
    ("rail-metro", "Métro", "Metro", "métro", "subway underground"),
    ("ferry", "Bac, navette fluviale", "Ferry", "bateau", "boat"),
    ("harbor", "Port", "Harbour", "port de plaisance marina", "harbor marina"),
    ("airport", "Aéroport", "Airport", "avion aérodrome", "plane"),
    ("parking", "Parking", "Parking", "stationnement voiture", "car park"),
    (
        "parking-garage",
        "Parking couvert",
        "Parking garage",
        "parking souterrain silo",
        "multi-storey car park",
    ),
    ("parking-paid", "Parking payant", "Paid parking", "horodateur stationnement payant", "pay"),
    ("bicycle", "Vélo", "Bicycle", "piste cyclable stationnement vélo arceaux", "bike cycle lane"),
    (
        "bicycle-share",
        "Vélos en libre-service",
        "Bicycle sharing",
        "vélo partagé location",
        "bike share",
    ),
    (
        "charging-station",
        "Borne de recharge",
        "Charging station",
        "irve voiture électrique",
        "electric vehicle ev",
    ),
    ("fuel", "Station-service", "Fuel station", "essence carburant", "petrol gas"),
    ("car", "Covoiturage, voiture", "Car, carpooling", "aire de covoiturage auto", "carpool"),
    ("taxi", "Taxi", "Taxi", "taxi", "cab"),
    ("entrance", "Entrée", "Entrance", "accès porte", "access door"),
    ("elevator", "Ascenseur", "Lift", "ascenseur", "elevator"),
    # Environnement, eau, propreté
    (
        "recycling",
        "Recyclage",
        "Recycling",
        "déchetterie tri sélectif point d'apport volontaire verre compost",
        "waste sorting",
    ),
    (
        "waste-basket",
        "Poubelle",
        "Waste basket",
        "déchets ordures ménagères collecte",
        "rubbish bin trash litter",
    ),
    ("toilet", "Toilettes publiques", "Public toilets", "wc sanitaires", "restroom"),
    ("drinking-water", "Eau potable", "Drinking water", "fontaine point d'eau", "fountain tap"),
    ("water", "Eau", "Water", "rivière lac étang cours d'eau", "river lake pond"),
    ("park", "Parc", "Park", "jardin public espace vert square", "green space"),
    (
        "garden",
        "Jardin",
        "Garden",
        "jardin partagé potager jardins familiaux",
        "allotment community garden",
    ),
    ("playground", "Aire de jeux", "Playground", "jeux enfants", "children play"),
    ("dog-park", "Espace canin", "Dog park", "chien", "dog"),
    ("picnic-site", "Aire de pique-nique", "Picnic area", "pique-nique table", "picnic"),
    ("campsite", "Camping", "Campsite", "camping", "camping"),
    ("shelter", "Abri", "Shelter", "refuge", "hut"),
    ("viewpoint", "Point de vue", "Viewpoint", "panorama belvédère", "view"),
    ("beach", "Plage", "Beach", "baignade", "bathing"),
    ("mountain", "Montagne", "Mountain", "sommet randonnée", "summit hiking"),
    ("farm", "Ferme", "Farm", "agriculture producteur", "agriculture farmer"),
    # Sport
    ("stadium", "Stade", "Stadium", "complexe sportif", "sports ground"),
    ("pitch", "Terrain de sport", "Sports pitch", "city stade gymnase sport", "sports field"),
    ("soccer", "Football", "Football", "foot terrain de football", "soccer"),
    ("basketball", "Basket", "Basketball", "panier basket-ball", "basket"),
    ("tennis", "Tennis", "Tennis", "court", "court"),
    ("swimming", "Piscine", "Swimming pool", "natation baignade centre aquatique", "swim"),
    ("fitness-centre", "Salle de sport", "Fitness centre", "musculation gymnase", "gym"),
    ("skateboard", "Skatepark", "Skate park", "skate glisse", "skateboard"),
    ("horse-riding", "Équitation", "Horse riding", "centre équestre cheval", "horse"),
    ("golf", "Golf", "Golf", "golf", "golf"),
    # Commerces, marché
    ("shop", "Commerce", "Shop", "boutique magasin marché", "store market"),
    (
        "grocery",
        "Marché, alimentation",
        "Market, grocery",
        "marché épicerie halles producteurs",
        "market food",
    ),
    ("bakery", "Boulangerie", "Bakery", "pain", "bread"),
    ("restaurant", "Restaurant", "Restaurant", "restauration cantine", "canteen food"),
    ("cafe", "Café", "Café", "bar café", "coffee"),
    (
        "bank",
        "Banque, distributeur",
        "Bank, cash machine",
        "distributeur de billets dab argent",
        "atm cash",
    ),
    ("commercial", "Zone commerciale", "Shopping area", "centre commercial", "mall"),
    (
        "industry",
        "Zone d'activités",
        "Industrial area",
        "usine industrie entreprise",
        "factory business park",
    ),
    # Travaux, sécurité
    ("construction", "Travaux", "Roadworks", "chantier travaux", "construction works"),
    (
        "roadblock",
        "Route barrée",
        "Road closed",
        "déviation fermeture barrage",
        "diversion closure",
    ),
    ("danger", "Danger", "Danger", "risque attention", "hazard"),
    ("caution", "Attention", "Caution", "prudence alerte", "warning alert"),
    # Formes
    ("star", "Étoile", "Star", "favori", "favourite"),
    ("circle", "Rond", "Circle", "point", "dot"),
    ("square", "Carré", "Square", "carré", "square"),
    ("triangle", "Triangle", "Triangle", "triangle", "triangle"),
    ("marker", "Repère", "Marker", "épingle", "pin"),
)

PICTOGRAMS: tuple[Pictogram, ...] = tuple(Pictogram(*entry) for entry in _ENTRIES)
BY_NAME: dict[str, Pictogram] = {pictogram.name: pictogram for pictogram in PICTOGRAMS}
NAME_MAX = 40

_NOT_WORD_RE = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation gone: "École d'été" → "ecole d ete"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD_RE.sub(" ", plain.replace("œ", "oe").replace("æ", "ae")).strip()


def search(query: str) -> list[Pictogram]:
    """The pictograms every word of ``query`` begins a word of (in either language), in the
    catalogue's order; all of them for an empty query."""
    words = normalise(query or "").split()
    found = []
    for pictogram in PICTOGRAMS:
        terms = pictogram.terms.split()
        if all(any(term.startswith(word) for term in terms) for word in words):
            found.append(pictogram)
    return found


def is_pictogram(name: object) -> bool:
    return isinstance(name, str) and name in BY_NAME


OWN_ICON_RE = re.compile(r"(image|document):([1-9][0-9]{0,11})")


def own_icon(value: object) -> tuple[str, int] | None:
    """``("image", 12)`` for an editor's own icon ``"image:12"`` (a Wagtail image) or
    ``("document", 12)`` for ``"document:12"`` (an SVG file, cleaned when served)."""
    match = OWN_ICON_RE.fullmatch(value) if isinstance(value, str) else None
    return (match.group(1), int(match.group(2))) if match else None


def is_icon(value: object) -> bool:
    """A style's ``icon``: a pictogram's name, an editor's own icon, or "" (none)."""
    return value == "" or is_pictogram(value) or own_icon(value) is not None


# uMap's pictograms that Maki names differently, by the file's name in uMap's sets.
UMAP_ALIASES = {
    "townhall": "town-hall",
    "town_hall": "town-hall",
    "hospital-alt": "hospital",
    "train": "rail",
    "railway": "rail",
    "tram": "rail-light",
    "metro": "rail-metro",
    "subway": "rail-metro",
    "bike": "bicycle",
    "cycling": "bicycle",
    "toilets": "toilet",
    "wc": "toilet",
    "church": "religious-christian",
    "christian": "religious-christian",
    "mosque": "religious-muslim",
    "synagogue": "religious-jewish",
    "swimming-pool": "swimming",
    "swimming2": "swimming",
    "football": "soccer",
    "theater": "theatre",
    "post-office": "post",
    "police-station": "police",
    "fire": "fire-station",
    "firestation": "fire-station",
    "parking-garage-alt": "parking-garage",
    "recycle": "recycling",
    "waste": "waste-basket",
    "trash": "waste-basket",
    "water-drop": "drinking-water",
    "info": "information",
    "market": "grocery",
    "marketplace": "grocery",
    "mall": "commercial",
    "clinic": "hospital",
    "medical": "doctor",
}
_SIZE_SUFFIX_RE = re.compile(r"(?:[-_](?:11|12|14|15|16|18|24|32|48))?(?:_\d+)?$")
_UMAP_PICTOGRAM_PATHS = ("/uploads/pictogram/", "/static/umap/img/")


def umap_pictogram(url: object) -> str | None:
    """Our pictogram for the address of one of uMap's pictograms (``/uploads/pictogram/
    car-24.png``, absolute or not), by its file name; None for any other address."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    path = unquote(parts.path)
    if not any(marker in path for marker in _UMAP_PICTOGRAM_PATHS):
        return None
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    stem = _SIZE_SUFFIX_RE.sub("", stem)
    name = UMAP_ALIASES.get(stem, stem)
    return name if name in BY_NAME else None
