"""Colours an editor can read on the map: a palette, WCAG contrast, and a warning (pure Python).

WCAG 2.x defines the contrast of two colours from their relative luminance; graphical objects
(markers, lines) need at least 3:1 against what surrounds them (success criterion 1.4.11). The
default basemap (IGN Plan v2) is mostly light: we measure against its land colour and white.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail_umap.core.document import CSS_COLOUR_HEX
from wagtail_umap.core.messages import gettext_noop

MIN_CONTRAST = 3.0
# Representative light backgrounds of the default basemap: its land tint, and white (roads).
BASEMAP_BACKGROUNDS = ("#f2efe9", "#ffffff")

CONTRAST_WARNING = gettext_noop(
    "This colour has a contrast of only %(ratio)s:1 with the basemap (at least 3:1 is needed "
    "to see it well): choose a darker colour or one of the palette."
)

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class PaletteColour:
    key: str
    value: str  # #rrggbb, as written into the map document
    name: str  # English, marked for translation


# Ten colours, each at least 3:1 on both backgrounds (tests check it), distinct in hue and
# lightness so neighbouring layers stay apart.
PALETTE = (
    PaletteColour("blue", "#1f5fa8", gettext_noop("Blue")),
    PaletteColour("red", "#c0392b", gettext_noop("Red")),
    PaletteColour("green", "#2e7d32", gettext_noop("Green")),
    PaletteColour("orange", "#b35900", gettext_noop("Orange")),
    PaletteColour("purple", "#6a3d9a", gettext_noop("Purple")),
    PaletteColour("teal", "#00796b", gettext_noop("Teal")),
    PaletteColour("brown", "#8d5524", gettext_noop("Brown")),
    PaletteColour("raspberry", "#ad1457", gettext_noop("Raspberry")),
    PaletteColour("navy", "#1a237e", gettext_noop("Navy blue")),
    PaletteColour("grey", "#595959", gettext_noop("Dark grey")),
)


def palettes() -> dict[str, tuple[str, ...]]:
    """Every colour the project draws marks with on its own (not a colour an editor typed):
    each must reach MIN_CONTRAST on the basemap's backgrounds (``palette_failures``).

    The choropleth ramps are left out on purpose: they fill areas, which a dark outline
    (#333333) separates from the basemap, and their light end is what makes a ramp read."""
    from wagtail_umap.core import classify

    return {
        "editor palette": tuple(colour.value for colour in PALETTE),
        "categories": classify.CATEGORY_COLOURS,
        "features without a category": (classify.OTHER_CATEGORY_COLOUR,),
        "outlines and defaults": ("#333333", "#1f5fa8"),
    }


def palette_failures(minimum: float = MIN_CONTRAST) -> list[tuple[str, str, float]]:
    """(palette, colour, worst contrast) of every palette colour under ``minimum`` on the
    default basemap or on white; [] when all pass."""
    return [
        (name, colour, basemap_contrast(colour))
        for name, values in palettes().items()
        for colour in values
        if basemap_contrast(colour) < minimum
    ]


def parse_colour(value: object) -> tuple[RGB, float] | None:
    """((r, g, b) in 0..1, alpha) of #rgb, #rgba, #rrggbb, #rrggbbaa or a CSS name; else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    text = "#" + CSS_COLOUR_HEX[text] if text in CSS_COLOUR_HEX else text
    digits = text[1:]
    if not text.startswith("#") or len(digits) not in (3, 4, 6, 8):
        return None
    if len(digits) in (3, 4):
        digits = "".join(digit * 2 for digit in digits)
    try:
        channels = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
    except ValueError:
        return None
    alpha = channels[3] if len(channels) == 4 else 1.0
    return (channels[0], channels[1], channels[2]), alpha


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (channels in 0..1)."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio (1..21); a translucent foreground is first laid over the background."""
    front, back = parse_colour(foreground), parse_colour(background)
    if front is None or back is None:
        raise ValueError(f"not a colour: {foreground if front is None else background!r}")
    (front_rgb, alpha), (back_rgb, _) = front, back
    shown = tuple(alpha * f + (1 - alpha) * b for f, b in zip(front_rgb, back_rgb, strict=True))
    lighter, darker = sorted(
        (relative_luminance(shown), relative_luminance(back_rgb)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def basemap_contrast(colour: str) -> float:
    """The worst contrast of ``colour`` over the default basemap's backgrounds."""
    return min(contrast_ratio(colour, background) for background in BASEMAP_BACKGROUNDS)


def contrast_warning(colour: str) -> tuple[str, dict[str, str]] | None:
    """(message template, params) when ``colour`` is hard to see on the basemap, else None.

    A value that is not a colour gets no warning here: validation reports it.
    """
    if parse_colour(colour) is None:
        return None
    ratio = basemap_contrast(colour)
    if ratio >= MIN_CONTRAST:
        return None
    shown_ratio = f"{int(ratio * 10) / 10:.1f}"  # rounded down: 2.96 must not read as 3.0
    return CONTRAST_WARNING, {"ratio": shown_ratio}
