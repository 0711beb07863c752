"""Delete the layer data no map, revision, translation or grace period refers to.

manage.py umap_collect_layer_data --dry-run     # what would go, and the bytes freed
manage.py umap_collect_layer_data               # delete it
manage.py umap_collect_layer_data --min-age 48  # only data no save used for 48 hours

Safe while editors save (see wagtail_umap/models/collect.py): data a save stored or referenced
in the last ``--min-age`` hours (``WAGTAIL_UMAP["LAYER_DATA_MIN_AGE"]``, a day by default) is
kept. Run it from cron, or let the periodic task do it (``LAYER_DATA_COLLECT_INTERVAL``).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from wagtail_umap.models.collect import collect_layer_data


class Command(BaseCommand):
    help = "Delete the layer data that no map, revision, translation or grace period uses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--min-age",
            type=float,
            default=None,
            help="Keep data a save stored or referenced in the last N hours "
            "(default: WAGTAIL_UMAP['LAYER_DATA_MIN_AGE']).",
        )

    def handle(self, *args, dry_run: bool, min_age: float | None, **options):
        if min_age is not None and min_age < 0:
            raise CommandError(gettext("--min-age must be a positive number of hours."))
        age = timedelta(hours=min_age) if min_age is not None else None
        result = collect_layer_data(dry_run=dry_run, min_age=age)
        if options["verbosity"] > 1:
            for digest in result.deleted:
                self.stdout.write(digest)
        template = (
            gettext(
                "%(examined)s layer data untouched by saves for the minimum age; %(count)s "
                "unused would be deleted (%(size)s MB)."
            )
            if dry_run
            else gettext(
                "%(examined)s layer data untouched by saves for the minimum age; %(count)s "
                "unused deleted (%(size)s MB freed)."
            )
        )
        self.stdout.write(
            template
            % {
                "count": len(result.deleted),
                "examined": result.examined,
                "size": f"{result.freed_bytes / 1e6:.1f}",
            }
        )
