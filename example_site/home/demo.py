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
    stations = [
        (2.8527, 47.5016, "Bureau 1 – Mairie", "1 place de la Mairie, 18240 Belleville-sur-Loire"),
        (2.8590, 47.4985, "Bureau 2 – École Jules-Ferry", "12 rue des Écoles"),
        (2.8455, 47.5043, "Bureau 3 – Salle des fêtes", "3 avenue du Stade"),
        (2.8612, 47.5061, "Bureau 4 – Maison des associations", "28 route de Sancerre"),
    ]
    return {
        "title": "Bureaux de vote",
        "summary": (
            "Les 4 bureaux de vote de la commune, avec leur adresse. Tous sont accessibles "
            "aux personnes à mobilité réduite."
        ),
        "options": options(),
        "layers": [
            layer(
                "Bureaux de vote",
                [
                    point(lng, lat, name, f"{address}\nOuvert de 8 h à 19 h.", address=address)
                    for lng, lat, name, address in stations
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
