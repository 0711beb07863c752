"""Import map files (uMap backups, GeoJSON, CSV, KML, GPX…) as Maps, in one run.

manage.py umap_import backups/*.umap                 # one map per file
manage.py umap_import ecoles.csv colleges.csv --map "Écoles"   # several files, one map
manage.py umap_import carte.umap --dry-run           # read and report, save nothing
manage.py umap_import carte.umap --replace           # replace the layers of the map of that title
manage.py umap_import ajout.csv --map "Écoles" --append        # add layers to an existing map

A map that already has the title is never changed without ``--replace`` or ``--append``: the
run stops before anything is saved and says which maps exist.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext

from wagtail_umap.conf import get_import_limits
from wagtail_umap.core.document import empty_document, merge_imported_options
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation_groups import merge_groups
from wagtail_umap.formats import ImportResult, read_map_file
from wagtail_umap.models import Map, store


class DryRun(Exception):
    """Raised inside the transaction of a dry run, so that nothing it wrote is kept."""


class Command(BaseCommand):
    help = "Import map files as maps: one map per file, or every file into the map --map."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--map", dest="title", help="Import every file into this map.")
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--append",
            action="store_true",
            help="When a map has the title already: add the layers to those it has.",
        )
        existing.add_argument(
            "--replace",
            action="store_true",
            help="When a map has the title already: replace its layers with those imported.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish what is imported.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report only.")

    def handle(self, *args, files: list[Path], title: str | None, **options):
        results = [(path, self.read(path)) for path in files]
        for path, result in results:
            self.report(path, result)
        groups = [(title, results)] if title else [(None, [item]) for item in results]
        self.check_existing(groups, options)
        try:
            with transaction.atomic():
                for group_title, group in groups:
                    self.save(group_title, group, options)
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write(self.style.WARNING(gettext("Dry run: nothing was saved.")))

    def read(self, path: Path) -> ImportResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            # MAX_IMPORT_BYTES, as the editor's import and the readers (one limit, one message).
            return read_map_file(path.name, data, get_import_limits())
        except MapDocumentError as error:
            # Refuse the whole run before anything is written: no half-imported account.
            raise CommandError(
                "\n".join(f"{path}: {m}" for m in error.messages(gettext))
            ) from error

    def report(self, path: Path, result: ImportResult) -> None:
        for layer in result.document["layers"]:
            kinds = Counter(f["geometry"]["type"] for f in layer["features"])
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            line = gettext("layer “%(name)s”: %(summary)s") % {
                "name": layer["name"],
                "summary": summary or gettext("no features"),
            }
            self.stdout.write(f"{path}: {line}")
        for note in result.notes:
            self.stdout.write(
                f"{path}: " + gettext("not shown: %(note)s") % {"note": note.render(gettext)}
            )

    @staticmethod
    def target_title(title: str | None, group: list[tuple[Path, ImportResult]]) -> str:
        first_path, first = group[0]
        return title or first.document.get("title") or first_path.stem

    def check_existing(self, groups, options) -> None:
        """Refuse the run, before anything is saved, when it would change a map that exists
        without ``--replace`` or ``--append``, or when the title names several maps."""
        problems = []
        for title, group in groups:
            title = self.target_title(title, group)
            pks = list(Map.objects.filter(title=title).values_list("pk", flat=True)[:3])
            if len(pks) > 1:
                problems.append(
                    gettext("Several maps are titled “%(title)s”: give another title with --map.")
                    % {"title": title}
                )
            elif pks and not (options["replace"] or options["append"]):
                problems.append(
                    gettext(
                        "A map titled “%(title)s” exists already (id %(id)s): add --replace to "
                        "replace its layers, --append to add to them, or give another title "
                        "with --map."
                    )
                    % {"title": title, "id": pks[0]}
                )
        if problems:
            raise CommandError("\n".join(problems))

    def save(self, title: str | None, group: list[tuple[Path, ImportResult]], options) -> None:
        _first_path, first = group[0]
        title = self.target_title(title, group)
        map_ = Map.objects.filter(title=title).first()
        created = map_ is None
        if created:
            map_ = Map(title=title, summary=first.document.get("summary") or title)
            document = {**empty_document(), "layers": []}
        else:
            map_ = map_.get_latest_revision_as_object()
            document = copy.deepcopy(map_.document)  # layers by reference
            if not options["append"]:
                document["layers"] = []
                document.pop("groups", None)
        document.pop("title", None)
        document.pop("summary", None)
        try:
            for _path, result in group:
                # The editor's import takes the file's settings by the same rule.
                document["options"] = merge_imported_options(
                    document.get("options", {}), result.document.get("options", {})
                )
                # Each layer stored on its own (MAX_LAYER_BYTES…), as the editor saves them.
                imported = store.store_imported(result.document)["layers"]
                if result.document.get("groups"):  # groups of layers, ids kept apart
                    document["groups"] = merge_groups(
                        document.get("groups") or [], result.document["groups"], imported
                    )
                document["layers"] += imported
            map_.set_document(document)
        except MapDocumentError as error:
            raise CommandError("\n".join(error.messages(gettext))) from error
        if created:
            map_.live = False
            map_.save()
        revision = map_.save_revision(log_action=True)
        if options["publish"]:
            revision.publish()
        if created:
            message = gettext(
                "Created the map “%(title)s”: %(layers)s layers, %(features)s features."
            )
        else:
            message = gettext(
                "Updated the map “%(title)s”: %(layers)s layers, %(features)s features."
            )
        state = gettext("Published.") if options["publish"] else gettext("Saved as a draft.")
        values = {"title": map_.title, "layers": len(map_.layers), "features": map_.feature_count}
        self.stdout.write(self.style.SUCCESS(f"{message % values} {state}"))
