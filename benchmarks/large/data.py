"""Generated data shaped like French open data, made here with no network, the same at every
run (fixed seeds): IRVE charge points, communes, cycle paths, a town's small map."""

from __future__ import annotations

import math
import random

# Metropolitan France, roughly: where the generated features fall.
WEST, SOUTH, EAST, NORTH = -4.8, 42.3, 8.2, 51.1
OPERATORS = ["Izivia", "Freshmile", "Ionity", "TotalEnergies", "Bouygues", "Allego"]
PLUGS = ["T2", "CCS", "T2+CCS", "CHAdeMO", "EF"]


def _point(rng: random.Random) -> list[float]:
    return [round(rng.uniform(WEST, EAST), 5), round(rng.uniform(SOUTH, NORTH), 5)]


def irve_points(count: int, seed: int = 1) -> list[dict]:
    """Charge points with 6 short properties, like the national IRVE file."""
    rng = random.Random(seed)
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": _point(rng)},
            "properties": {
                "name": f"Borne {i + 1}",
                "operator": rng.choice(OPERATORS),
                "power_kw": rng.choice([7, 11, 22, 50, 150]),
                "plugs": rng.choice(PLUGS),
                "access": rng.choice(["public", "client"]),
                "id": f"FR*{i:07d}",
            },
        }
        for i in range(count)
    ]


def _ring(rng: random.Random, lng: float, lat: float, radius: float, vertices: int) -> list:
    ring = []
    for k in range(vertices - 1):
        angle = 2 * math.pi * k / (vertices - 1)
        r = radius * rng.uniform(0.75, 1.0)
        ring.append(
            [round(lng + r * math.cos(angle) * 1.4, 5), round(lat + r * math.sin(angle), 5)]
        )
    ring.append(ring[0])
    return ring


def communes(count: int, vertices: int = 60, seed: int = 2) -> list[dict]:
    """Commune-like polygons of ``vertices`` positions tiling France on a grid."""
    rng = random.Random(seed)
    side = math.ceil(math.sqrt(count))
    step_lng, step_lat = (EAST - WEST) / side, (NORTH - SOUTH) / side
    features = []
    for i in range(count):
        lng = WEST + (i % side + 0.5) * step_lng
        lat = SOUTH + (i // side + 0.5) * step_lat
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [_ring(rng, lng, lat, step_lat / 2, vertices)],
                },
                "properties": {"name": f"Commune {i + 1}", "insee": f"{i:05d}"},
            }
        )
    return features


def lines(count: int, vertices: int = 30, seed: int = 3) -> list[dict]:
    """Cycle-path-like lines of ``vertices`` positions, short random walks."""
    rng = random.Random(seed)
    features = []
    for i in range(count):
        lng, lat = _point(rng)
        coordinates = []
        for _ in range(vertices):
            coordinates.append([round(lng, 5), round(lat, 5)])
            lng += rng.uniform(-0.002, 0.002)
            lat += rng.uniform(-0.002, 0.002)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coordinates},
                "properties": {"name": f"Piste {i + 1}"},
            }
        )
    return features


def municipal_layers(seed: int = 4) -> list[dict]:
    """A town's map: 3 layers of 300 points and a layer of 50 polygons, around one town."""
    rng = random.Random(seed)
    centre_lng, centre_lat = 2.85, 47.50

    def near() -> list[float]:
        return [
            round(centre_lng + rng.uniform(-0.05, 0.05), 5),
            round(centre_lat + rng.uniform(-0.03, 0.03), 5),
        ]

    layers = []
    for name in ("Commerces", "Bancs", "Poubelles"):
        layers.append(
            {
                "name": name,
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": near()},
                        "properties": {"name": f"{name[:-1]} {i + 1}", "description": "Ouvert"},
                    }
                    for i in range(300)
                ],
            }
        )
    zones = []
    for i in range(50):
        lng, lat = near()
        zones.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [_ring(rng, lng, lat, 0.003, 12)]},
                "properties": {"name": f"Zone {i + 1}"},
            }
        )
    layers.append({"name": "Zones", "features": zones})
    return layers
