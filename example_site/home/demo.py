"""Demo content for the example site: the maps a small commune would publish.

Everything is generated here (no network): a fictional commune around Belleville-sur-Loire,
with road works, polling stations and a bike-path network.
"""

from __future__ import annotations

TOWN_HALL = (2.8527, 47.5016)  # lng, lat
OPEN_LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


def options(**view) -> dict:
    """The demo maps' options: the IGN basemap, the town as credit, open data."""
    return {
        "basemap": "plan_ign",
        "center": None,
        "zoom": None,
        "credits": "Commune de Belleville-sur-Loire, services techniques",
        "licence": OPEN_LICENCE,
        **view,
    }


def point(lng: float, lat: float, name: str, description: str = "", **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {"name": name, "description": description, **properties},
    }


def line(coordinates: list, name: str, description: str = "", **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {"name": name, "description": description, **properties},
    }


def polygon(ring: list, name: str, description: str = "", **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        "properties": {"name": name, "description": description, **properties},
    }


def layer(name: str, features: list, description: str = "", **style) -> dict:
    return {
        "name": name,
        "description": description,
        "shown_on_load": True,
        "style": style,
        "popup_template": "",
        "features": features,
    }


def road_works() -> dict:
    return {
        "title": "Travaux de voirie",
        "summary": (
            "Les chantiers de voirie en cours dans la commune : 4 chantiers ponctuels "
            "et 2 rues fermées à la circulation, avec leurs déviations."
        ),
        "options": options(),
        "layers": [
            layer(
                "Chantiers en cours",
                [
                    point(
                        2.8541,
                        47.5031,
                        "Réfection de la chaussée, rue de la Loire",
                        "Du 2 au 20 décembre. Circulation alternée de 8 h à 17 h.",
                    ),
                    point(
                        2.8489,
                        47.4998,
                        "Remplacement d’une canalisation, place de l’Église",
                        "Jusqu’au 15 janvier. Stationnement interdit sur la place.",
                    ),
                    point(
                        2.8586,
                        47.4987,
                        "Création d’un plateau ralentisseur",
                        "Devant l’école Jules-Ferry, pendant les vacances scolaires.",
                    ),
                    point(
                        2.8462,
                        47.5052,
                        "Enfouissement des réseaux, chemin des Vignes",
                        "Travaux du syndicat d’énergie. Accès riverains maintenu.",
                    ),
                ],
                "Chantiers signalés par les services techniques.",
                color="#b34000",
                marker_shape="pin",
            ),
            layer(
                "Rues fermées",
                [
                    line(
                        [[2.8528, 47.5040], [2.8551, 47.5029], [2.8573, 47.5021]],
                        "Rue de la Loire (entre la mairie et le pont)",
                        "Fermée du 2 au 6 décembre.",
                    ),
                    line(
                        [[2.8455, 47.5049], [2.8468, 47.5060], [2.8480, 47.5071]],
                        "Chemin des Vignes",
                        "Fermé sauf riverains.",
                    ),
                ],
                color="#ce0500",
                weight=6,
                dash_array="8,6",
            ),
            layer(
                "Déviations",
                [
                    line(
                        [
                            [2.8528, 47.5040],
                            [2.8520, 47.5060],
                            [2.8560, 47.5068],
                            [2.8590, 47.5040],
                            [2.8573, 47.5021],
                        ],
                        "Déviation par l’avenue du Stade",
                    ),
                ],
                color="#18753c",
                weight=4,
            ),
        ],
    }


def polling_stations() -> dict:
    # Each with the pictogram of its building (the library of core/pictograms.py).
    town_hall = "1 place de la Mairie, 18240 Belleville-sur-Loire"
    stations = [
        (2.8527, 47.5016, "Bureau 1 – Mairie", town_hall, "town-hall"),
        (2.8590, 47.4985, "Bureau 2 – École Jules-Ferry", "12 rue des Écoles", "school"),
        (2.8455, 47.5043, "Bureau 3 – Salle des fêtes", "3 avenue du Stade", "theatre"),
        (2.8612, 47.5061, "Bureau 4 – Maison des associations", "28 route de Sancerre", "building"),
    ]
    return {
        "title": "Bureaux de vote",
        "summary": (
            "Les 4 bureaux de vote de la commune, avec leur adresse. Tous sont accessibles "
            "aux personnes à mobilité réduite."
        ),
        # Visitors may switch to the grey plan or the aerial photographs, with the communes'
        # limits over them (and the cadastre on demand); the view stays on the commune.
        "options": options(
            basemap_choice=["plan_ign_gris", "ign_orthophotos"],
            overlays=[
                {"id": "admin_limits", "opacity": 0.7, "shown": True},
                {"id": "cadastre", "opacity": 0.6, "shown": False},
            ],
            limit_bounds={"south": 47.47, "west": 2.8, "north": 47.53, "east": 2.91},
        ),
        "layers": [
            layer(
                "Bureaux de vote",
                [
                    point(
                        lng,
                        lat,
                        name,
                        f"{address}\nOuvert de 8 h à 19 h.",
                        address=address,
                        _style={"icon": icon},
                    )
                    for lng, lat, name, address, icon in stations
                ],
                "Ouverts de 8 h à 19 h les jours de scrutin.",
                color="#000091",
                marker_shape="circle",
            )
        ],
    }


def bike_paths() -> dict:
    return {
        "title": "Réseau cyclable",
        "summary": (
            "Les pistes et bandes cyclables de la commune (3 itinéraires), les arceaux "
            "de stationnement vélo et la zone 30 du centre-bourg."
        ),
        "options": options(center={"lat": 47.5016, "lng": 2.8527}, zoom=15),
        "layers": [
            layer(
                "Pistes cyclables",
                [
                    line(
                        [
                            [2.8440, 47.4990],
                            [2.8480, 47.5005],
                            [2.8527, 47.5016],
                            [2.8570, 47.5030],
                            [2.8620, 47.5045],
                        ],
                        "Voie verte des bords de Loire",
                        "Piste séparée, 2,4 km.",
                    ),
                    line(
                        [[2.8527, 47.5016], [2.8530, 47.4990], [2.8545, 47.4965]],
                        "Bande cyclable de la rue des Écoles",
                        "Bande marquée, 600 m.",
                    ),
                    line(
                        [[2.8527, 47.5016], [2.8505, 47.5045], [2.8490, 47.5080]],
                        "Liaison vers la gare",
                        "Chaussée partagée, 900 m.",
                    ),
                ],
                color="#18753c",
                weight=5,
            ),
            layer(
                "Stationnement vélo",
                [
                    point(2.8530, 47.5019, "Arceaux de la mairie", "8 places"),
                    point(2.8588, 47.4988, "Arceaux de l’école", "12 places, abri couvert"),
                    point(2.8493, 47.5076, "Abri vélo de la gare", "20 places sécurisées"),
                ],
                color="#0063cb",
                marker_shape="square",
                icon="bicycle",
            ),
            layer(
                "Zone 30",
                [
                    polygon(
                        [
                            [2.8495, 47.5000],
                            [2.8560, 47.4995],
                            [2.8575, 47.5035],
                            [2.8510, 47.5045],
                        ],
                        "Zone 30 du centre-bourg",
                        "Vitesse limitée à 30 km/h.",
                    ),
                ],
                color="#6a6af4",
                fill_color="#6a6af4",
                fill_opacity=0.2,
                weight=2,
            ),
        ],
    }


DEMO_MAPS = [road_works, polling_stations, bike_paths]


# The English version of the site: what a translator would type in wagtail-localize, each French
# source string with its translation. `load_demo` imports them as a PO file would be.
ENGLISH = {
    # The home page
    "accueil": "home",
    "Bienvenue à Belleville-sur-Loire": "Welcome to Belleville-sur-Loire",
    "Le site de la commune : cartes des travaux, des bureaux de vote et du réseau cyclable.": (
        "The town’s website: maps of road works, polling stations and the cycle network."
    ),
    # The bike page (its slug stays “velo”: /en/velo/)
    "Le vélo à Belleville": "Cycling in Belleville",
    "Pistes, bandes cyclables et stationnements vélo de la commune.": (
        "The town’s cycle paths and lanes, and where to park a bike."
    ),
    # The map “Réseau cyclable”
    "Réseau cyclable": "Cycle network",
    "Les pistes et bandes cyclables de la commune (3 itinéraires), les arceaux de stationnement "
    "vélo et la zone 30 du centre-bourg.": (
        "The town’s cycle paths and lanes (3 routes), bike racks and the 30 km/h zone of the "
        "town centre."
    ),
    "Commune de Belleville-sur-Loire, services techniques": (
        "Town of Belleville-sur-Loire, technical services"
    ),
    "Pistes cyclables": "Cycle paths",
    "Voie verte des bords de Loire": "Loire riverside greenway",
    "Piste séparée, 2,4 km.": "Separate track, 2.4 km.",
    "Bande cyclable de la rue des Écoles": "Rue des Écoles cycle lane",
    "Bande marquée, 600 m.": "Painted lane, 600 m.",
    "Liaison vers la gare": "Link to the station",
    "Chaussée partagée, 900 m.": "Shared roadway, 900 m.",
    "Stationnement vélo": "Bike parking",
    "Arceaux de la mairie": "Town hall bike racks",
    "8 places": "8 spaces",
    "Arceaux de l’école": "School bike racks",
    "12 places, abri couvert": "12 spaces, covered shelter",
    "Abri vélo de la gare": "Station bike shelter",
    "20 places sécurisées": "20 secure spaces",
    "Zone 30": "30 km/h zone",
    "Zone 30 du centre-bourg": "Town centre 30 km/h zone",
    "Vitesse limitée à 30 km/h.": "Speed limited to 30 km/h.",
}


# --- Data visualisation: one map per representation, a filtered map and a slideshow ----------
# The uMap example files in demo_data/ (from uMap's test fixtures, data only: see the README
# there) import with their representation, as any uMap export would.

from pathlib import Path  # noqa: E402

DEMO_DATA = Path(__file__).parent / "demo_data"


def umap_file(name: str) -> dict:
    """The document a uMap GeoJSON export imports to (its layer type becomes the
    representation)."""
    from wagtail_umap.formats import geojson

    return geojson.read((DEMO_DATA / name).read_bytes(), layer_name=name.split(".")[0]).document


def with_layer(document: dict, title: str, summary: str, **layer_changes) -> dict:
    layer = document["layers"][0]
    for key, value in layer_changes.items():
        if isinstance(value, dict) and isinstance(layer.get(key), dict) and "type" not in value:
            layer[key] = {**layer[key], **value}
        else:
            layer[key] = value
    return {**document, "title": title, "summary": summary, "options": options()}


def unemployment() -> dict:
    document = umap_file("choropleth_region_chomage.geojson")
    for feature in document["layers"][0]["features"]:
        feature["properties"]["name"] = feature["properties"]["nom"]  # the list names them
    return with_layer(
        document,
        "Taux de chômage par région",
        "Le taux de chômage de chaque région de France métropolitaine, en 4 classes "
        "(seuils naturels de Jenks), du plus clair au plus foncé.",
        representation={"method": "jenks", "classes": 4, "scheme": "oranges", "unit": "%"},
        popup_template="{nom}\nTaux de chômage : {taux} %",
    )


def roads() -> dict:
    return with_layer(
        umap_file("categorized_highway.geojson"),
        "Routes de Grisy-sur-Seine par catégorie",
        "Les routes de la commune voisine, chacune avec la couleur et le tracé (plein, "
        "tirets, pointillés) de sa catégorie OpenStreetMap.",
        name="Routes",
        popup_template='{ref|"Route sans numéro"}\nCatégorie : {highway}',
    )


def bike_parking_heat() -> dict:
    return with_layer(
        umap_file("heatmap_data.json"),
        "Stationnement vélo : où sont les places ?",
        "Carte de chaleur des arceaux vélo du centre de Nantes, pondérée par leur nombre "
        "de places.",
        name="Stationnements vélo",
        representation={"field": "capacity", "radius": 30, "intensity": 0.7},
    )


def bike_parking_clusters() -> dict:
    return with_layer(
        umap_file("heatmap_data.json"),
        "Stationnement vélo regroupé",
        "Les 68 stationnements vélo du centre de Nantes, regroupés quand ils sont proches : "
        "chaque groupe indique son nombre de lieux ; Entrée ou un clic l’ouvre.",
        name="Stationnements vélo",
        representation={"type": "cluster", "radius": 70},
        popup_layout="table",
    )


def bike_parking_circles() -> dict:
    return with_layer(
        umap_file("test_circles_layer.geojson"),
        "Capacité des parkings vélo",
        "Chaque parking vélo est un cercle dont la surface est proportionnelle à son nombre "
        "de places.",
        name="Parkings vélo",
        representation={"unit": "places", "min_radius": 4, "max_radius": 36},
        popup_template='{name|"Parking sans nom"}\n{capacity|"?"} places',
    )


FESTIVAL = [
    # name, type, day, places, lng offset, lat offset, description
    (
        "Concert d’ouverture",
        "Concert",
        "2026-06-20",
        400,
        0.0004,
        0.0006,
        "Place de la Mairie, 20 h.",
    ),
    (
        "Marché des producteurs",
        "Marché",
        "2026-06-20",
        0,
        -0.0020,
        0.0010,
        "Sous la halle, de 8 h à 13 h.",
    ),
    (
        "Tournoi de pétanque",
        "Sport",
        "2026-06-20",
        64,
        0.0030,
        -0.0012,
        "Boulodrome, inscriptions sur place.",
    ),
    ("Atelier réparation vélo", "Atelier", "2026-06-20", 12, -0.0011, -0.0018, "Devant la gare."),
    (
        "Fanfare des écoles",
        "Concert",
        "2026-06-20",
        150,
        0.0012,
        0.0022,
        "Cour de l’école Jules-Ferry.",
    ),
    ("Course des enfants", "Sport", "2026-06-21", 80, 0.0041, 0.0004, "Stade municipal, 10 h."),
    ("Bal populaire", "Concert", "2026-06-21", 600, -0.0004, 0.0030, "Bords de Loire, 21 h."),
    ("Atelier poterie", "Atelier", "2026-06-21", 10, -0.0030, 0.0002, "Salle des associations."),
    ("Marché artisanal", "Marché", "2026-06-21", 0, -0.0042, 0.0024, "Rue de la Loire."),
    ("Randonnée commentée", "Sport", "2026-06-21", 30, 0.0052, 0.0031, "Départ de l’église, 9 h."),
    ("Atelier cuisine", "Atelier", "2026-06-21", 16, 0.0008, -0.0027, "Cantine scolaire."),
    (
        "Concert de clôture",
        "Concert",
        "2026-06-21",
        500,
        -0.0035,
        -0.0010,
        "Place de la Mairie, 18 h.",
    ),
]


def festival() -> dict:
    lng, lat = TOWN_HALL
    features = [
        point(
            lng + dx * 2.5,  # spread out: each marker keeps room around it (touch targets)
            lat + dy * 2.5,
            name,
            description,
            type=kind,
            date=day,
            places=places or None,
        )
        for name, kind, day, places, dx, dy, description in FESTIVAL
    ]
    return {
        "title": "Fête de la commune : le programme",
        "summary": (
            "Les 12 rendez-vous du week-end des 20 et 21 juin. Filtrez par type, par jour, "
            "par nombre de places ou par mot : la carte et la liste suivent."
        ),
        "options": options(),
        "layers": [
            {
                **layer("Programme", features),
                "popup_template": '{description}\nLe {date}\nPlaces : {places|"entrée libre"}',
                "representation": {
                    "type": "categorized",
                    "field": "type",
                    "categories": [
                        {"value": "Concert", "label": "Concerts", "pictogram": "♪"},
                        {"value": "Marché", "label": "Marchés", "pictogram": "M"},
                        {"value": "Sport", "label": "Sport", "pictogram": "S"},
                        {"value": "Atelier", "label": "Ateliers", "pictogram": "A"},
                    ],
                },
                "filters": [
                    {"type": "category", "field": "type", "label": "Type de rendez-vous"},
                    {"type": "date_range", "field": "date", "label": "Jour"},
                    {"type": "range", "field": "places", "label": "Nombre de places"},
                    {"type": "search", "fields": ["name", "description"], "label": "Rechercher"},
                ],
            }
        ],
    }


HERITAGE = [
    # order, name, lng offset, lat offset, description (cleaned HTML)
    (
        1,
        "La mairie",
        0.0,
        0.0,
        "<p>Ancien <strong>relais de poste</strong> du XVIIIᵉ siècle, mairie depuis 1884.</p>",
    ),
    (
        2,
        "L’église Saint-Martin",
        0.0049,
        0.0029,
        "<p>Clocher roman, nef reconstruite en 1862. <em>Ouverte tous les jours.</em></p>",
    ),
    (3, "Le lavoir", -0.0026, 0.0035, "<p>Lavoir couvert de 1890, alimenté par une source.</p>"),
    (
        4,
        "Les bords de Loire",
        -0.0010,
        0.0061,
        '<p>Le chemin de halage, classé <a href="https://www.loire-a-velo.fr/">Loire à vélo</a>.</p>',  # noqa: E501
    ),
    (5, "La gare", -0.0046, -0.0031, "<p>Ouverte en 1861 sur la ligne Moret – Lyon.</p>"),
    (
        6,
        "Le moulin",
        0.0071,
        -0.0020,
        "<p>Moulin à eau, meules conservées. Visite le premier dimanche du mois.</p>",
    ),
]
DEMO_VIDEO = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"  # Big Buck Bunny (Blender, CC BY)


def heritage_walk(image_id: int | None = None, audio_id: int | None = None) -> dict:
    lng, lat = TOWN_HALL
    features = []
    for order, name, dx, dy, description in HERITAGE:
        feature = point(lng + dx, lat + dy, name, description, ordre=order)
        if order == 1 and (image_id or audio_id):
            media = {}
            if image_id:
                media["image"] = {"id": image_id, "alt": "Façade de la mairie, dessin"}
            if audio_id:
                media["audio"] = {"id": audio_id, "title": "Le mot du maire"}
            feature["properties"]["_media"] = media
        if order == 2:
            feature["properties"]["_media"] = {"video": DEMO_VIDEO}
        features.append(feature)
    return {
        "title": "Balade du patrimoine",
        "summary": (
            "Six étapes à pied autour de la mairie, à suivre en diaporama : précédent, "
            "suivant, lecture automatique."
        ),
        "options": {
            **options(),
            "slideshow": {"enabled": True, "sort_field": "ordre", "autoplay": False, "delay": 6},
        },
        "layers": [{**layer("Étapes", features), "popup_layout": "panel"}],
    }


def umap_equipments() -> dict:
    """A map migrated from a uMap backup (demo_data/equipements.umap, written for the demo):
    uMap popup markup, labelKey, conditional styles on ``statut``, permanent labels, the map's
    default style and ``defaultView: "data"``, as `umap_import` reads them."""
    from wagtail_umap.formats import read_map_file

    name = "equipements.umap"
    return read_map_file(name, (DEMO_DATA / name).read_bytes()).document


VIZ_PAGES = [
    # slug, page title, map builder
    ("chomage", "Le chômage par région", unemployment),
    ("routes", "Les routes par catégorie", roads),
    ("velo-chaleur", "Stationnement vélo : carte de chaleur", bike_parking_heat),
    ("velo-groupes", "Stationnement vélo regroupé", bike_parking_clusters),
    ("velo-cercles", "Capacité des parkings vélo", bike_parking_circles),
    ("fete", "Fête de la commune", festival),
    ("patrimoine", "Balade du patrimoine", heritage_walk),
    ("equipements-umap", "Équipements (carte uMap migrée)", umap_equipments),
]


def demo_media() -> tuple[int, int]:
    """A drawn image and a short sound for the slideshow's first step (made here, no download)."""
    import io
    import math
    import struct
    import wave

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image, ImageDraw
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # a flushed test database has none
        Collection.add_root(name="Root")
    picture = Image.new("RGB", (640, 400), "#dfe9f3")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((120, 150, 520, 360), fill="#c9b79c", outline="#5b4a35", width=4)
    draw.polygon([(100, 150), (320, 60), (540, 150)], fill="#8c3b2a")
    for x in (170, 270, 370, 450):
        draw.rectangle((x, 200, x + 40, 260), fill="#3b5b7a")
    draw.rectangle((295, 280, 345, 360), fill="#5b4a35")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    Image_ = get_image_model()
    Image_.objects.filter(title="Mairie (dessin)").delete()
    image = Image_(title="Mairie (dessin)")
    image.file.save(
        "mairie-dessin.png", ImageFile(io.BytesIO(buffer.getvalue()), "mairie-dessin.png")
    )
    image.save()

    sound = io.BytesIO()
    with wave.open(sound, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(6000 * math.sin(i * 440 * 2 * math.pi / 8000)))
                for i in range(8000)
            )
        )
    Document = get_document_model()
    Document.objects.filter(title="Le mot du maire").delete()
    document = Document(title="Le mot du maire")
    document.file.save("mot-du-maire.wav", ContentFile(sound.getvalue()))
    document.save()
    return image.pk, document.pk


def add_viz_pages(home, publish_map) -> list:
    """One published map page per entry of VIZ_PAGES under ``home`` (``publish_map`` saves and
    publishes a document, as load_demo does for the other maps)."""
    from wagtail_umap.models import MapPage

    image_id, audio_id = demo_media()
    pages = []
    for slug, title, build in VIZ_PAGES:
        document = build(image_id, audio_id) if build is heritage_walk else build()
        map_ = publish_map(document)
        page = home.add_child(instance=MapPage(title=title, slug=slug, intro="", map=map_))
        page.save_revision().publish()
        pages.append(page)
    return pages
