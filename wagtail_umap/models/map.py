"""The Map snippet: a reusable map with drafts, revisions, workflows, locking and preview."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.fields import InvalidJSONInput, JSONString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from wagtail_umap.conf import get_limits, get_setting
from wagtail_umap.core.document import empty_document
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_document
from wagtail_umap.formats import parse_json_text
from wagtail_umap.models import localize, store
from wagtail_umap.models.basemaps import get_basemaps


def empty_stored_document() -> dict:
    document = empty_document()
    document["options"]["basemap"] = get_setting("DEFAULT_BASEMAP")
    return document


class MapDocumentFormField(forms.JSONField):
    """Django's JSON form field, parsing with the formats' guarded parser: a posted document
    holding a 5,000-digit integer or a lone surrogate gets a located error, not a 500 (Django's
    own field lets ``ValueError`` through)."""

    def to_python(self, value):
        if self.disabled or not isinstance(value, str) or value in self.empty_values:
            return super().to_python(value)
        try:
            converted = parse_json_text(value, get_limits())
        except MapDocumentError as error:
            raise ValidationError(error.messages(gettext), code="invalid") from error
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        if self.disabled or not isinstance(data, str):
            return super().bound_data(data, initial)
        try:
            return parse_json_text(data, get_limits())
        except MapDocumentError:  # redisplaying a refused document: as it was posted
            return InvalidJSONInput(data)


class MapDocumentField(models.JSONField):
    """The map document: options and layers, with layer data kept by reference.

    wagtail-localize finds its translatable text (credits, layer names, descriptions and popup
    templates, feature names and descriptions) through the two methods below.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MapDocumentFormField, **kwargs})

    def get_translatable_segments(self, value):
        return localize.get_translatable_segments(value)

    def restore_translated_segments(self, value, segments):
        return localize.restore_translated_segments(value, segments)


class MapQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def live(self) -> MapQuerySet:
        return self.filter(live=True)


class Map(
    TranslatableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(
        _("summary"),
        help_text=_(
            "What the map shows, in one or two sentences. Screen readers read it as the "
            "map's text alternative."
        ),
    )
    document = MapDocumentField(_("map document"), default=empty_stored_document)
    # Off by default: a published map is seen where it is published (on public pages: by
    # everyone; on restricted pages: by those who may see them). Sharing it publicly gives it
    # public URLs wherever it is used, for partner sites and open data (docs/sharing.md).
    shared_publicly = models.BooleanField(
        _("share publicly"),
        default=False,
        help_text=_(
            "Let anyone embed this map on another site, download its data and find it in the "
            "API, even when it is shown only on restricted pages or on no page. Takes effect "
            "when the map is published."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="wagtail_umap_map")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="wagtail_umap_map",
        for_concrete_model=False,
    )

    objects = MapQuerySet.as_manager()

    # wagtail-localize: the title, summary and the document's text are translated; the rest of
    # the document (geometries, styles, view, basemap…) is kept in sync with the source map.
    translatable_fields = localize.translatable_fields()

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        # The API searches among the maps a request may see, and may sort the results.
        index.FilterField("id"),
        index.FilterField("title"),
        index.FilterField("live"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("map")
        verbose_name_plural = _("maps")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    # Translations

    def get_live_localized(self) -> Map | None:
        """The published version of this map to show in the active language: its translation,
        else this map, else the map in the site's default language; ``None`` if none is live.
        A draft translation never shows: the page falls back to a published map."""
        candidates = [self.localized, self]
        with contextlib.suppress(Locale.DoesNotExist):
            candidates.append(self.get_translation_or_none(Locale.get_default()))
        for candidate in candidates:
            if candidate is not None and candidate.live:
                return candidate
        return None

    def get_live_on_page(self, request, page) -> Map | None:
        """:meth:`get_live_localized`, read with the other maps of ``page`` the first time one
        of them is asked for in ``request`` (models/page_maps.py)."""
        from wagtail_umap.models.page_maps import live_on_page

        return live_on_page(self, request, page)

    # Who may see it (models/access.py)

    def visibility(self):
        """Shared or not, and the live pages that show this map or one of its translations."""
        from wagtail_umap.models.access import visibility_of

        return visibility_of(self)

    def access_for(self, request):
        """May ``request`` see this live map on its own URLs, and may anyone cache it?"""
        from wagtail_umap.models.access import access_for

        return access_for(request, self)

    # The document

    @property
    def options(self) -> dict:
        return self.document.get("options", {})

    @property
    def layers(self) -> list[dict]:
        return self.document.get("layers", [])

    @property
    def feature_count(self) -> int:
        return sum(layer.get("data", {}).get("feature_count", 0) for layer in self.layers)

    feature_count.fget.short_description = _("features")

    @property
    def layer_count(self) -> int:
        return len(self.layers)

    layer_count.fget.short_description = _("layers")

    def set_document(self, document: dict) -> None:
        """Validate a full or stored document, save its layer data, and keep its stored form.

        Every write path (admin form, import, commands) goes through here or through
        ``clean``; raises ``MapDocumentError`` with located messages on bad input.
        """
        stored = store.validate_and_store(document)
        self.title = document.get("title") or self.title
        self.summary = document.get("summary") or self.summary
        self.document = stored

    def clean(self) -> None:
        super().clean()
        try:
            validate_document(self.document, get_limits())
        except MapDocumentError as error:
            raise ValidationError({"document": error.messages(gettext)}) from error
        basemap = self.options.get("basemap")
        if basemap and basemap not in get_basemaps():
            raise ValidationError(
                {"document": gettext("Unknown basemap “%(basemap)s”.") % {"basemap": basemap}}
            )
        if missing := store.missing_digests(self.document):
            raise ValidationError(
                {
                    "document": gettext("Layer data not found: %(digests)s.")
                    % {"digests": ", ".join(sorted(missing))}
                }
            )

    def full_document(self) -> dict:
        """The whole map, features inline: what exports and the editor work on."""
        return {**store.full_document(self.document), "title": self.title, "summary": self.summary}

    # Preview

    def get_preview_template(self, request, mode_name: str) -> str:
        return "wagtail_umap/map_preview.html"

    def get_preview_context(self, request, mode_name: str) -> dict:
        context = super().get_preview_context(request, mode_name)
        notice = (
            ""
            if self.live and not self.has_unpublished_changes
            else gettext("Preview: this version of the map is not published.")
        )
        # The template's {% umap_map %} tag draws it: a draft's data has no public URL, so
        # every layer travels inline.
        context["umap_map"] = self
        context["umap_options"] = {"inline_data": True, "notice": notice}
        context["base_template"] = get_setting("BASE_TEMPLATE")
        return context
