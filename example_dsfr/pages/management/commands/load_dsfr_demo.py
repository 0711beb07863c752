"""``python example_dsfr/manage.py load_dsfr_demo``: the préfecture's demo content page with its
map, and an administrator ``admin`` / ``admin`` when there is none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from example_dsfr.pages.demo import build_demo


class Command(BaseCommand):
    help = "Publish the Sites Conformes example's content page with a map."

    def handle(self, *args, **options):
        home = build_demo()
        users = get_user_model().objects
        if not users.filter(is_superuser=True).exists():
            users.create_superuser("admin", "admin@example.org", "admin")
            self.stdout.write("Administrator: admin / admin")
        self.stdout.write(f"Published: {home.title} at /")
