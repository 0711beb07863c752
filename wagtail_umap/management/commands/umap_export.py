"""Export a published map, whole, in one of the export formats.

manage.py umap_export "Travaux de voirie" --format umap --output travaux.umap
manage.py umap_export 12 --format csv > ecoles.csv
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from wagtail_umap.formats import EXPORT_FORMATS, write_map_file
from wagtail_umap.models import Map


class Command(BaseCommand):
    help = "Write a published map in a file format (its live version, as the public sees it)."

    def add_arguments(self, parser):
        parser.add_argument("map", help="The map's id or title.")
        parser.add_argument("--format", choices=list(EXPORT_FORMATS), default="umap")
        parser.add_argument("--output", help="A file to write (default: standard output).")

    def handle(self, *args, map: str, format: str, output: str | None, **options):
        map_ = self.find(map)
        data = write_map_file(map_.full_document(), format)
        if output:
            with open(output, "wb") as file:
                file.write(data)
            message = gettext("Wrote %(size)s bytes to %(path)s.")
            self.stderr.write(message % {"size": len(data), "path": output})
        else:
            self.stdout.write(data.decode("utf-8"), ending="")  # every export format is UTF-8

    def find(self, reference: str) -> Map:
        maps = Map.objects.live()
        found = maps.filter(pk=int(reference)) if reference.isdigit() else maps.none()
        found = found or maps.filter(title=reference)
        if not found:
            message = gettext("No published map has the id or title “%(reference)s”.")
            raise CommandError(message % {"reference": reference})
        if len(found) > 1:
            message = gettext("Several published maps are titled “%(reference)s”: give an id.")
            raise CommandError(message % {"reference": reference})
        return found[0]
