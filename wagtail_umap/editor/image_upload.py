"""The place panel's "Choose an image on your computer": one file, sent as soon as it is chosen.

The newcomer of issue 19 went through Wagtail's image chooser for each photo: a button, the
modal's upload tab, the file, then "Upload". Here the panel's button is the file field itself,
and the editor posts the chosen file to this endpoint at once. Everything that makes an image
is Wagtail's: its image form (formats, size and pixel limits, its translated messages), its
permission policy and collections (the first collection the user may add images to), the
``uploaded_by_user``. The title is the file's name without its extension, as Wagtail's upload
tab fills it in. The answer is what Wagtail's chooser answers for a chosen image (id, title,
preview, default alt text), or ``{"errors": [...]}`` with Wagtail's messages.
"""

from __future__ import annotations

from pathlib import PurePath

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

PREVIEW_FILTER = "max-165x165"


def image_title(filename: str) -> str:
    """ "scène-1.jpg" → "scène-1" (Wagtail's upload tab does the same in the browser)."""
    return PurePath(filename).stem[:255] or filename[:255]


def image_permission_policy():
    """Wagtail's image permission policy: from its registry (Wagtail 7.1+), or from the images
    app's module on Wagtail 7.0 (deprecated later, and looked up only once the apps are ready)."""
    try:
        from wagtail.permissions import policy_registry
    except ImportError:
        from wagtail.images.permissions import permission_policy

        return permission_policy
    return policy_registry.get_by_type(get_image_model())


@require_POST
def upload_image(request: HttpRequest) -> JsonResponse:
    model = get_image_model()
    permission_policy = image_permission_policy()
    if not permission_policy.user_has_permission(request.user, "add"):
        return JsonResponse({"errors": [gettext("You are not allowed to add images.")]}, status=403)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"errors": [gettext("Choose an image file.")]}, status=400)
    collection = (
        permission_policy.collections_user_has_permission_for(request.user, "add")
        .order_by("path")
        .first()
    )
    if collection is None:  # no collection at all: Wagtail could not file the image
        return JsonResponse(
            {"errors": [gettext("No collection takes your images: ask an administrator.")]},
            status=403,
        )
    data = {"title": image_title(upload.name), "collection": str(collection.pk)}
    form = get_image_form(model)(
        data,
        {"file": upload},
        user=request.user,
        instance=model(uploaded_by_user=request.user),
    )
    if not form.is_valid():
        messages = [str(message) for field in form.errors.values() for message in field]
        return JsonResponse({"errors": messages}, status=400)
    image = form.save()
    preview = image.get_rendition(PREVIEW_FILTER)
    return JsonResponse(
        {
            "id": image.pk,
            "title": image.title,
            "preview": {"url": preview.url, "width": preview.width, "height": preview.height},
            "default_alt_text": image.default_alt_text,
        }
    )
