"""What scripts/smoke-deploy fetches from the example site running on gunicorn with DEBUG off,
as a citizen's browser and an editor would: a map page, its static files (hashed, compressed,
cached for a year), a download, a 404 (the French page, logged), robots.txt, the admin login; and
that the viewer's HTML went to the shared Redis cache.

    python tests/deployment/deploy_check.py http://127.0.0.1:8300 gunicorn.log redis://…/5 prefix
"""

import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE, LOG, REDIS_URL, KEY_PREFIX = sys.argv[1:5]
MAP_PAGE = "/velo/"


def ok(message):
    print(f"   ok  {message}")


def fail(message):
    print(f"   FAILED  {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message, detail=""):
    if not condition:
        fail(f"{message}{': ' + str(detail) if detail else ''}")
    ok(message)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def fetch(path, **headers):
    request = urllib.request.Request(BASE + path, headers={"Host": "localhost", **headers})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


status, headers, body = fetch(MAP_PAGE)
html = body.decode()
expect(status == 200, f"map page {MAP_PAGE}: 200", status)
expect("data-umap-viewer" in html, "   with the viewer")
expect("script-src 'self'" in headers.get("Content-Security-Policy", ""), "   under a strict CSP")

scripts = re.findall(r'src="(/static/wagtail_umap/[^"]+\.[0-9a-f]{12}\.js)"', html)
expect(scripts, "   its scripts have hashed names", "none found in the page")
status, headers, body = fetch(scripts[0], **{"Accept-Encoding": "br, gzip"})
expect(status == 200, f"static file {scripts[0]}: 200", status)
cache_control = headers.get("Cache-Control", "")
expect(
    "max-age=315360000" in cache_control and "immutable" in cache_control,
    f"   cached for good ({cache_control})",
    cache_control,
)
encoding = headers.get("Content-Encoding")
expect(encoding in ("br", "gzip"), f"   compressed ({encoding}, {len(body)} bytes)", encoding)

downloads = re.findall(r'href="(/cartes/\d+/download\.geojson)"', html)
expect(downloads, "   the page links its GeoJSON download")
status, headers, body = fetch(downloads[0])
# The address redirects to the file stored for this version of the map (docs/large-data.md).
expect(status == 302, f"download {downloads[0]}: redirects to its stored file", status)
stored = urllib.parse.urlsplit(headers["Location"]).path
status, headers, body = fetch(stored)
expect(status == 200 and body.startswith(b"{"), f"   {stored}: 200, GeoJSON", status)

missing = "/cette-page-n-existe-pas/"
status, headers, body = fetch(missing)
page = body.decode()
expect(status == 404, f"{missing}: 404", status)
expect("<h1>Page introuvable</h1>" in page and 'lang="fr"' in page, "   the site's French page")

status, headers, body = fetch("/robots.txt")
expect(status == 200 and b"Disallow: /cartes/data/" in body, "/robots.txt: 200, data URLs off")

status, headers, body = fetch("/admin/login/")
expect(status == 200 and b'name="password"' in body, "/admin/login/: 200, the login form", status)

# The log (gunicorn's stderr, what journald keeps): Django's line for the 404.
for _ in range(20):
    with open(LOG, encoding="utf-8", errors="replace") as log:
        logged = [line for line in log if "Not Found: " + missing in line]
    if logged:
        break
    time.sleep(0.1)
expect(logged, "the log records the 404", "nothing in " + LOG)
print("      " + logged[0].strip())

import redis  # noqa: E402  (the example extra's Redis client)

client = redis.Redis.from_url(REDIS_URL)
keys = list(client.scan_iter(match=f"{KEY_PREFIX}:*", count=1000))
expect(keys, f"the shared Redis cache holds {len(keys)} entries of this site")
client.delete(*keys)
