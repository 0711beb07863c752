"""“Put this map on a page”: the step after publishing a map, so that it reaches the site.

A newcomer who publishes a map is otherwise left on the map list, the map on no page, with a
tour of the page tree ahead (Pages → a parent → add a child page → which page type? → which
block?). This screen creates a map page in one form: the title is the map's, the parent is the
one the webmaster set in the "New maps" settings (else the site's home page), and it lists the
pages that already show the map (Wagtail's reference index).

"Publish the page" publishes it at once and opens it on the site when the user may publish
there (as Wagtail's page editor offers "Publish" beside a workflow to those who may publish);
otherwise the page is created as a draft and opens in the page editor, where it is submitted
to its workflow as any page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, ReferenceIndex

from wagtail_umap.models import Map, MapPage
from wagtail_umap.models.access import is_map_staff
from wagtail_umap.models.site_settings import settings_for_request

PLACE_LABEL = gettext_lazy("Put this map on a page")


def place_url_name(edit_url_name: str) -> str:
    """This view's URL name, next to the edit view's in the map viewset's namespace."""
    return edit_url_name.rsplit(":", 1)[0] + ":place"


@dataclass
class Usage:
    """A page (or other object) that shows the map, with the links an editor needs."""

    title: str
    edit_url: str
    live_url: str
    live: bool


def map_usage(map_: Map, request=None) -> list[Usage]:
    """Where the map is used, from Wagtail's reference index (MapPage's map, MapBlocks…)."""
    usages = []
    for source, _references in ReferenceIndex.get_grouped_references_to(map_):
        if isinstance(source, Page):
            page = source.specific_deferred
            usages.append(
                Usage(
                    title=page.get_admin_display_title(),
                    edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    live_url=page.get_url(request=request) if page.live else "",
                    live=page.live,
                )
            )
        else:
            usages.append(Usage(title=str(source), edit_url="", live_url="", live=True))
    return usages


class PlaceOnPageForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the page"), max_length=255)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Under the page"),
        queryset=Page.objects.all(),
        widget=AdminPageChooser(can_choose_root=False),
        help_text=gettext_lazy("Where the new page goes in the site's menu and address."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_parent(self) -> Page:
        parent = self.cleaned_data["parent"].specific
        if not MapPage.can_create_at(parent):
            raise forms.ValidationError(
                gettext("A map page cannot go under “%(page)s”: choose another page.")
                % {"page": parent.get_admin_display_title()}
            )
        if not parent.permissions_for_user(self.user).can_add_subpage():
            raise forms.ValidationError(
                gettext("You may not add a page under “%(page)s”.")
                % {"page": parent.get_admin_display_title()}
            )
        return parent


class PlaceOnPageView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtail_umap/admin/place_on_page.html"
    form_class = PlaceOnPageForm
    header_icon = "doc-empty-inverse"
    edit_url_name = None
    index_url_name = None
    breadcrumbs_items = []

    @cached_property
    def object(self) -> Map:
        return get_object_or_404(Map, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not is_map_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(PLACE_LABEL)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.index_url_name:
            label = Map._meta.verbose_name_plural.capitalize()
            items.append({"url": reverse(self.index_url_name), "label": label})
        if self.edit_url_name:
            url = reverse(self.edit_url_name, args=[self.object.pk])
            items.append({"url": url, "label": str(self.object)})
        items.append({"url": "", "label": str(PLACE_LABEL)})
        return items

    def get_initial(self):
        site_settings = settings_for_request(self.request)
        parent = site_settings.parent_page() if site_settings else None
        return {"title": self.object.title, "parent": parent.pk if parent else None}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "map": self.object,
                "usage": map_usage(self.object, self.request),
                "edit_url": reverse(self.edit_url_name, args=[self.object.pk])
                if self.edit_url_name
                else "",
                "index_url": reverse(self.index_url_name) if self.index_url_name else "",
            }
        )
        return context

    def form_valid(self, form):
        parent = form.cleaned_data["parent"]
        page = MapPage(
            title=form.cleaned_data["title"],
            slug=find_available_slug(parent, slug_for(form.cleaned_data["title"])),
            map=self.object,
            locale=parent.locale,
            live=False,
        )
        parent.add_child(instance=page)
        revision = page.save_revision(user=self.request.user, log_action=True)
        if self.may_publish_at_once(page):
            revision.publish(user=self.request.user)
            page.refresh_from_db()
            # A parent outside every site gives a page without a public address: its editor.
            url = page.get_url(request=self.request)
            return redirect(url or reverse("wagtailadmin_pages:edit", args=[page.pk]))
        messages.success(
            self.request,
            gettext("Page “%(title)s” created as a draft: check it, then publish it.")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)

    def may_publish_at_once(self, page: MapPage) -> bool:
        wants = "action-publish" in self.request.POST
        return wants and page.permissions_for_user(self.request.user).can_publish()


def slug_for(title: str) -> str:
    return slugify(title) or "carte"
