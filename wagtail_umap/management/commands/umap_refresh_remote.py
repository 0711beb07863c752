"""Enqueue a fetch of every live layer whose refresh period has passed (docs/live-data.md).

manage.py umap_refresh_remote            # enqueue the due layers (a worker fetches them)
manage.py umap_refresh_remote --now      # fetch them in this process, one after the other
manage.py umap_refresh_remote --dry-run  # list them

Run it from cron every few minutes (``*/5 * * * *``): only layers of live maps whose period is
over (or that were never fetched) are fetched, so running it often costs little.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wagtail_umap.models.remote import due_states, enqueue, refresh


class Command(BaseCommand):
    help = "Fetch (through the task backend) the live layers whose refresh period has passed."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Fetch here, not in a worker.")
        parser.add_argument("--dry-run", action="store_true", help="List; fetch nothing.")

    def handle(self, *args, now: bool, dry_run: bool, **options):
        states = due_states()
        for state in states:
            line = f"map {state.map_id}, layer {state.layer_id}: {state.url}"
            if dry_run:
                self.stdout.write(line)
            elif now:
                ok = refresh(state)
                self.stdout.write(f"{line}: {'ok' if ok else state.error_text()}")
            else:
                enqueue(state)
                self.stdout.write(f"{line}: enqueued")
        self.stdout.write(f"{len(states)} live layer(s) due.")
