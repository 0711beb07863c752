"""The ``task`` decorator of the site's task framework: Django's own (``django.tasks``) on
Django 6+, whose backends (django-tasks-db 0.13's database backend among them) check that a task
is one of theirs; Wagtail's django-tasks backport on Django 5.2."""

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

__all__ = ["task"]
