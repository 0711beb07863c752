from django.db import migrations, models


class Migration(migrations.Migration):
    """Maps are public where they are published; sharing one publicly is a choice.

    Every existing map starts unshared (the safe side): a map shown on a public page stays
    public, a map shown only on restricted pages becomes private, as does a map shown on no
    page at all. docs/sharing.md ("Upgrading") says how to share again the maps that partner
    sites embed.
    """

    dependencies = [
        ("wagtail_umap", "0003_layer_data_derived"),
    ]

    operations = [
        migrations.AddField(
            model_name="map",
            name="shared_publicly",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Let anyone embed this map on another site, download its data and find it "
                    "in the API, even when it is shown only on restricted pages or on no page. "
                    "Takes effect when the map is published."
                ),
                verbose_name="share publicly",
            ),
        ),
    ]
