"""The map page as scripts/smoke-deploy's gunicorn workers serve it, before and after a publish
made by another process (the shell): ``before``, every answer shows the old summary (each
worker then holds its copies); ``after``, every answer shows the new one at once.

    python tests/deployment/publish_check.py http://127.0.0.1:8300 before|after
"""

import sys
import urllib.request

BASE, MOMENT = sys.argv[1:3]
NEW_SUMMARY = "Republiée par un autre processus"
REQUESTS = 12  # two workers: each answers several


def page() -> str:
    request = urllib.request.Request(BASE + "/velo/", headers={"Host": "localhost"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


shown = [NEW_SUMMARY in page() for _ in range(REQUESTS)]
expected = MOMENT == "after"
if shown != [expected] * REQUESTS:
    print(f"   FAILED  /velo/ {MOMENT} the publish: the new summary in {shown}", file=sys.stderr)
    sys.exit(1)
summary = "the new summary" if expected else "the old summary"
print(f"   ok  /velo/ {MOMENT} the publish: {summary} in each of {REQUESTS} answers")
