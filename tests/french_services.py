"""Local fakes of the BAN's CSV geocoder and of geo.api.gouv.fr, answering in their formats
(tests only: the tests never reach the internet).

The BAN fake reads the multipart form as the real endpoint does (``data``, ``columns``
repeated, ``postcode``, ``citycode``) and answers the same CSV with ``latitude``,
``longitude``, ``result_label``, ``result_score``, ``result_type`` and ``result_status``
appended; it knows a few addresses of Belleville-sur-Loire. The geo.api fake answers
``/communes``, ``/epcis``, ``/departements`` and ``/regions`` searches, and a commune's or an
EPCI's contour as a GeoJSON Feature."""

from __future__ import annotations

import csv
import io
import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# query text (lower case, a part of it) -> (lat, lon, label, score)
ADDRESSES = {
    "10 rue de la mairie": (
        47.5016,
        2.8527,
        "10 Rue de la Mairie 18240 Belleville-sur-Loire",
        0.93,
    ),
    "3 place du marché": (47.5031, 2.8561, "3 Place du Marché 18240 Belleville-sur-Loire", 0.81),
    "lieu-dit les vignes": (47.49, 2.84, "Les Vignes 18240 Belleville-sur-Loire", 0.31),
}
RESULT_COLUMNS = [
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_type",
    "result_status",
]


def square(lng: float, lat: float, size: float) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


COMMUNES = [
    {
        "nom": "Belleville-sur-Loire",
        "code": "18027",
        "codeDepartement": "18",
        "contour": square(2.82, 47.48, 0.06),
    },
    {
        "nom": "Belleville-en-Beaujolais",
        "code": "69019",
        "codeDepartement": "69",
        "contour": square(4.72, 46.1, 0.05),
    },
]
EPCIS = [
    {
        "nom": "CC Pays Fort Sancerrois Val de Loire",
        "code": "200066470",
        "contour": square(2.7, 47.3, 0.4),
    }
]
DEPARTEMENTS = [{"nom": "Cher", "code": "18", "contour": square(1.8, 46.4, 1.2)}]


class FakeServices(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.ban_requests: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: FakeServices

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if not self.path.startswith("/search/csv"):
            return self.answer(404, b"", "text/plain")
        length = int(self.headers["Content-Length"])
        raw = self.rfile.read(length)
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + raw
        )
        fields: dict[str, list] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields.setdefault(name, []).append(part.get_payload(decode=True))
        data = fields["data"][0].decode("utf-8-sig")
        columns = [value.decode() for value in fields.get("columns", [])]
        postcode = fields.get("postcode", [b""])[0].decode()
        self.server.ban_requests.append({"columns": columns, "postcode": postcode, "data": data})
        reader = csv.DictReader(io.StringIO(data))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*reader.fieldnames, *RESULT_COLUMNS])
        for row in reader:
            query = " ".join(row[name] for name in columns).lower()
            found = next((value for key, value in ADDRESSES.items() if key in query), None)
            if found and postcode and row.get(postcode) not in ("", "18240"):
                found = None  # the postcode filter: another commune's code finds nothing
            if found:
                lat, lon, label, score = found
                result = [lat, lon, label, score, "housenumber", "ok"]
            else:
                result = ["", "", "", "", "", "not-found"]
            writer.writerow([*row.values(), *result])
        self.answer(200, out.getvalue().encode(), "text/csv; charset=utf-8")

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        path = parts.path.rstrip("/")
        collections = {"/communes": COMMUNES, "/epcis": EPCIS, "/departements": DEPARTEMENTS}
        if path in collections or path == "/regions":
            items = collections.get(path, [])
            name = query.get("nom", "").lower()
            code = query.get("code", "")
            found = [
                {key: value for key, value in item.items() if key != "contour"}
                for item in items
                if (name and name in item["nom"].lower()) or (code and item["code"] == code)
            ]
            return self.answer(200, json.dumps(found).encode(), "application/json")
        for prefix, items in (("/communes/", COMMUNES), ("/epcis/", EPCIS)):
            if path.startswith(prefix):
                code = path[len(prefix) :]
                item = next((item for item in items if item["code"] == code), None)
                if item is None:
                    return self.answer(404, b"{}", "application/json")
                feature = {
                    "type": "Feature",
                    "properties": {"nom": item["nom"], "code": item["code"]},
                    "geometry": item["contour"],
                }
                return self.answer(200, json.dumps(feature).encode(), "application/geo+json")
        if path == "/departements.geojson":
            features = [
                {
                    "type": "Feature",
                    "properties": {"nom": d["nom"], "code": d["code"]},
                    "geometry": d["contour"],
                }
                for d in DEPARTEMENTS
            ]
            body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
            return self.answer(200, body, "application/geo+json")
        return self.answer(404, b"", "text/plain")


def serve_french_services(settings):
    """The fakes, with the settings pointing at them (a fixture's body)."""
    server = FakeServices()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAIL_UMAP = {
        **getattr(settings, "WAGTAIL_UMAP", {}),
        "GEOCODE_CSV_URL": server.url + "/search/csv/",
        "GEO_API_URL": server.url,
        "OUTLINE_URLS": {"departement": server.url + "/departements.geojson"},
    }
    yield server
    server.shutdown()
    server.server_close()
