"""A demo map of the commune's services with groups of layers (issue 17): "Écoles" ›
"Maternelles", "Élémentaires", a group "Sport" and the town hall outside any group, with a
basemap switcher (grey plan, aerial photographs) and the communes' limits over them.
"""

from __future__ import annotations

from example_site.home.demo import TOWN_HALL, layer, options, point

SLUG = "services"


def services() -> dict:
    lng, lat = TOWN_HALL
    schools = [
        ("mat", "Maternelles", "#b34000", [
            (2.8571, 47.4996, "École maternelle Les Tilleuls", "8 rue des Tilleuls"),
            (2.8489, 47.5031, "École maternelle du Stade", "5 avenue du Stade"),
        ]),
        ("elem", "Élémentaires", "#000091", [
            (2.8590, 47.4985, "École élémentaire Jules-Ferry", "12 rue des Écoles"),
            (2.8466, 47.5052, "École élémentaire Victor-Hugo", "2 rue Victor-Hugo"),
        ]),
    ]  # fmt: skip
    layers = [
        {
            **layer(
                name,
                [point(x, y, school, address, adresse=address) for x, y, school, address in items],
                color=colour,
                marker_shape="circle",
            ),
            "id": layer_id,
            "group": "ecoles",
        }
        for layer_id, name, colour, items in schools
    ]
    layers += [
        {
            **layer(
                "Équipements sportifs",
                [
                    point(2.8455, 47.5043, "Stade municipal", "3 avenue du Stade"),
                    point(2.8612, 47.5061, "Gymnase des Vignes", "30 route de Sancerre"),
                ],
                color="#18753c",
                marker_shape="square",
            ),
            "id": "sport",
            "group": "sport",
        },
        {
            **layer("Mairie", [point(lng, lat, "Mairie", "1 place de la Mairie")], color="#3a3a3a"),
            "id": "mairie",
        },
    ]
    return {
        "title": "Services de la commune",
        "summary": (
            "Les écoles (maternelles et élémentaires), les équipements sportifs et la mairie. "
            "Le sélecteur de calques montre ou masque un groupe entier ou un seul calque."
        ),
        "options": options(
            basemap_choice=["plan_ign_gris", "ign_orthophotos"],
            overlays=[{"id": "admin_limits", "opacity": 0.7, "shown": True}],
        ),
        "layers": layers,
        "groups": [
            {"id": "ecoles", "name": "Écoles", "parent": None},
            {"id": "sport", "name": "Sport", "parent": None},
        ],
    }


def add_groups_demo(home, publish_map) -> None:
    """The grouped map and the page that shows it, under ``home``."""
    from example_site.home.models import StandardPage

    map_ = publish_map(services())
    page = home.add_child(
        instance=StandardPage(
            title="Les services de la commune",
            slug=SLUG,
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>Écoles, équipements sportifs et mairie : choisissez ce que la "
                    "carte montre, groupe par groupe.</p>",
                },
                {"type": "map", "value": {"map": map_.pk, "height": 520, "caption": ""}},
            ],
        )
    )
    page.save_revision().publish()
