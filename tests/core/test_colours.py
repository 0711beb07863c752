import gettext
from pathlib import Path

import pytest

from wagtail_umap.core.colours import (
    BASEMAP_BACKGROUNDS,
    MIN_CONTRAST,
    PALETTE,
    basemap_contrast,
    contrast_ratio,
    contrast_warning,
    palette_failures,
    palettes,
    parse_colour,
    relative_luminance,
)
from wagtail_umap.core.validation import is_css_colour

MO_FILE = Path(__file__).resolve().parents[2] / "wagtail_umap/locale/fr/LC_MESSAGES/django.mo"


def test_luminance_of_black_and_white():
    assert relative_luminance((0, 0, 0)) == 0
    assert relative_luminance((1, 1, 1)) == pytest.approx(1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#fff", "#000", 21.0),
        ("white", "white", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic "just fails 4.5:1" grey
        ("#0000FF", "#ffffff", 8.59),
        ("Navy", "#FFFFFF", 16.0),
    ],
)
def test_contrast_ratio_matches_wcag_examples(a, b, expected):
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(b, a) == pytest.approx(expected, abs=0.01)


def test_translucent_colour_is_laid_over_the_background():
    solid = contrast_ratio("#000000", "#ffffff")
    half = contrast_ratio("#00000080", "#ffffff")
    assert half < solid
    assert contrast_ratio("#0000", "#ffffff") == pytest.approx(1)


@pytest.mark.parametrize("value", ["#12", "#ggg", "nocolour", "", None, 3, "#1234567"])
def test_parse_refuses_what_is_not_a_colour(value):
    assert parse_colour(value) is None


def test_contrast_ratio_refuses_bad_input():
    with pytest.raises(ValueError, match="not a colour"):
        contrast_ratio("#zzz", "#fff")


def test_palette_is_readable_on_the_default_basemap_and_valid_in_documents():
    assert len(PALETTE) >= 10
    assert len({colour.key for colour in PALETTE}) == len(PALETTE)
    assert len({colour.value for colour in PALETTE}) == len(PALETTE)
    for colour in PALETTE:
        assert is_css_colour(colour.value)
        for background in BASEMAP_BACKGROUNDS:
            assert contrast_ratio(colour.value, background) >= MIN_CONTRAST, colour
        assert contrast_warning(colour.value) is None


@pytest.mark.parametrize("colour", ["#ffd700", "yellow", "#f2efe9", "#9ecae1", "#ffffff80"])
def test_light_colours_get_a_warning_with_their_ratio(colour):
    template, params = contrast_warning(colour)
    assert float(params["ratio"]) < 3
    assert float(params["ratio"]) <= basemap_contrast(colour)
    message = template % params
    assert f"only {params['ratio']}:1" in message


def test_ratio_just_under_the_limit_is_not_rounded_up():
    greys = ("#" + f"{value:02x}" * 3 for value in range(256))
    first_failing = next(grey for grey in greys if basemap_contrast(grey) < MIN_CONTRAST)
    assert basemap_contrast(first_failing) > 2.95
    _, params = contrast_warning(first_failing)
    assert params["ratio"] == "2.9"


def test_dark_colours_and_non_colours_get_no_warning():
    assert contrast_warning("#1b1b1b") is None
    assert contrast_warning("not a colour") is None


def test_warning_and_palette_names_are_translated():
    with MO_FILE.open("rb") as mo:
        french = gettext.GNUTranslations(mo).gettext
    template, params = contrast_warning("yellow")
    assert "contraste" in french(template) % params
    assert french(PALETTE[0].name) == "Bleu"
    for colour in PALETTE:
        assert french(colour.name) != colour.name, colour.name


# --- every palette the project draws with (RGAA 3.2/3.3, WCAG 1.4.11) ------------------------

ALL_PALETTE_COLOURS = [(name, colour) for name, values in palettes().items() for colour in values]


@pytest.mark.parametrize(("palette", "colour"), ALL_PALETTE_COLOURS)
@pytest.mark.parametrize("background", BASEMAP_BACKGROUNDS)
def test_every_palette_colour_reaches_3_to_1_on_the_basemap_and_white(palette, colour, background):
    assert contrast_ratio(colour, background) >= MIN_CONTRAST, (palette, colour, background)


def test_the_category_palette_is_checked_with_the_others():
    from wagtail_umap.core import classify

    assert set(classify.CATEGORY_COLOURS) <= set(palettes()["categories"])
    assert "#ffffff" in BASEMAP_BACKGROUNDS
    assert palette_failures() == []
    # The check would see a light colour (the old Okabe–Ito yellow).
    assert palette_failures(minimum=19) != []
