"""Load the example site's demo content: three published maps and the pages that show them,
and the English version of the bike map and its page (translated with wagtail-localize)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.strings import StringValue

from example_site.home.demo import DEMO_MAPS, ENGLISH, TOWN_HALL, add_viz_pages
from example_site.home.demo_groups import add_groups_demo
from example_site.home.demo_large import add_large_demo
from example_site.home.demo_live import add_live_demo
from example_site.home.models import HomePage, StandardPage
from wagtail_umap.models import Map, MapPage

ADMIN_USERNAME = ADMIN_PASSWORD = "admin"


class Command(BaseCommand):
    help = "Create the demo maps and pages (again: earlier demo content is replaced)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-large",
            action="store_true",
            help="Leave out the national map of 100,000 charge points (/bornes-de-recharge/).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        maps = {build().get("title"): self.publish_map(build()) for build in DEMO_MAPS}
        home = self.home_page()
        bikes = self.add_pages(home, maps)
        add_viz_pages(home, self.publish_map)  # one map per representation, filters, slideshow
        add_groups_demo(home, self.publish_map)  # groups of layers, basemaps, overlay (/services/)
        add_live_demo(home, self.publish_map)  # a live layer and a geocoded CSV (demo_live.py)
        if not options["no_large"]:
            add_large_demo(home)  # 100,000 points, stored once (demo_large.py)
        self.translate_to_english(home, bikes, maps["Réseau cyclable"])
        self.ensure_admin()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {Map.objects.filter(live=True).count()} published maps, "
                f"{home.get_children().count()} pages, "
                "in English: the cycle network (/en/velo/). "
                f"Admin: /admin/ — user “{ADMIN_USERNAME}”, password “{ADMIN_PASSWORD}”."
            )
        )

    def publish_map(self, document: dict) -> Map:
        for old in Map.objects.filter(title=document["title"]):
            Map.objects.filter(translation_key=old.translation_key).delete()  # translations too
        map_ = Map()
        map_.set_document(document)
        map_.full_clean()
        map_.save()
        map_.save_revision().publish()
        return map_

    def home_page(self) -> HomePage:
        root = Page.get_first_root_node()
        for page in root.get_children():
            page.specific.delete()
        root.refresh_from_db()  # its child count changed: treebeard reads it to add the next
        home = root.add_child(
            instance=HomePage(
                title="Bienvenue à Belleville-sur-Loire",
                slug="accueil",
                body=[
                    {
                        "type": "paragraph",
                        "value": "<p>Le site de la commune : cartes des travaux, des "
                        "bureaux de vote et du réseau cyclable.</p>",
                    }
                ],
            )
        )
        Site.objects.all().delete()
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Belleville-sur-Loire",
        )
        return home

    def add_pages(self, home: HomePage, maps: dict[str, Map]) -> MapPage:
        lng, lat = TOWN_HALL
        town_hall = home.add_child(
            instance=StandardPage(
                title="Votre mairie et les travaux en cours",
                slug="mairie-et-travaux",
                body=[
                    {"type": "heading", "value": "Nous trouver"},
                    {
                        "type": "location",
                        "value": {
                            "name": "Mairie de Belleville-sur-Loire",
                            "address": "1 place de la Mairie, 18240 Belleville-sur-Loire",
                            "point": {"lat": lat, "lng": lng, "srid": 4326},
                            "zoom": 16,
                            "description": "Ouverte du lundi au vendredi, de 9 h à 12 h "
                            "et de 14 h à 17 h. Téléphone : 02 48 00 00 00.",
                        },
                    },
                    {"type": "heading", "value": "Travaux de voirie"},
                    {
                        "type": "paragraph",
                        "value": "<p>Les chantiers en cours et les rues fermées cette semaine.</p>",
                    },
                    {
                        "type": "map",
                        "value": {
                            "map": maps["Travaux de voirie"].pk,
                            "height": 480,
                            "caption": "Mise à jour chaque lundi par les services techniques.",
                        },
                    },
                ],
            )
        )
        town_hall.save_revision().publish()
        elections = home.add_child(
            instance=StandardPage(
                title="Élections : où voter ?",
                slug="elections",
                body=[
                    {
                        "type": "paragraph",
                        "value": "<p>Votre bureau de vote figure sur votre carte électorale.</p>",
                    },
                    {
                        "type": "map",
                        "value": {"map": maps["Bureaux de vote"].pk, "height": None, "caption": ""},
                    },
                ],
            )
        )
        elections.save_revision().publish()
        bikes = home.add_child(
            instance=MapPage(
                title="Le vélo à Belleville",
                slug="velo",
                intro="<p>Pistes, bandes cyclables et stationnements vélo de la commune.</p>",
                map=maps["Réseau cyclable"],
            )
        )
        bikes.save_revision().publish()
        home.save_revision().publish()
        return bikes

    def translate_to_english(self, home: HomePage, bikes: MapPage, bike_map: Map) -> None:
        """The English home page, bike map and bike page, through wagtail-localize: the map
        first, so that the English page points to the English map."""
        english, _created = Locale.objects.get_or_create(language_code="en")
        for instance in (bike_map, home, bikes):
            translate(instance, english, ENGLISH).get_latest_revision().publish()

    def ensure_admin(self) -> None:
        User = get_user_model()
        if not User.objects.filter(username=ADMIN_USERNAME).exists():
            User.objects.create_superuser(ADMIN_USERNAME, "admin@example.org", ADMIN_PASSWORD)


def translate(instance, locale: Locale, strings: dict[str, str]):
    """Create or update the translation of ``instance`` into ``locale`` as a translator would in
    wagtail-localize: its strings go into translation memory (like an imported PO file), then
    wagtail-localize writes the translated object, saved as a draft for the caller to publish.
    Strings missing from ``strings`` keep the source text."""
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        # PO entries hold wagtail-localize's HTML form of a string ("\n" is "<br/>").
        text = strings.get(StringValue(entry.msgid).render_text(), "")
        entry.msgstr = StringValue.from_plaintext(text).data if text else ""
    translation.import_po(po)
    source.create_or_update_translation(locale, publish=False, fallback=True)
    return instance.get_translation(locale)
