"""The benchmark's WSGI app: the example site, static files served by Django (no web server
in front), as one gunicorn worker runs it."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.large.settings")

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

application = StaticFilesHandler(get_wsgi_application())
