from django.db import migrations, models


class Migration(migrations.Migration):
    """Builder version 3 (smaller low-zoom tiles): older archives are built again."""

    dependencies = [
        ("wagtail_umap", "0012_vector_tile_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="vectortiles",
            name="version",
            field=models.PositiveSmallIntegerField(default=3, verbose_name="builder version"),
        ),
    ]
