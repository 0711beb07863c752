"""An editor's own SVG icon, cleaned by an allowlist before any browser sees it.

An SVG file is a document that may run scripts (``<script>``, ``onload=``, ``javascript:``
links), load other documents (``<use href="https://…">``, ``<image>``, ``url(…)`` in a style,
``<foreignObject>`` with HTML) or blow up a parser (entities, DTDs). ``clean_svg`` parses it
with defusedxml (DTDs, entities and external references refused), keeps only the drawing
elements and presentation attributes of ``ALLOWED``, references inside the file only
(``#id``, ``url(#id)``), and writes it back. The result is served with ``image/svg+xml`` and a
Content Security Policy of its own (``viewer/icons.py``); markers show it as an image.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_BYTES = 100_000  # an icon: Maki's are under 2 kB
MAX_ELEMENTS = 2_000

ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "path",
        "circle",
        "ellipse",
        "rect",
        "line",
        "polyline",
        "polygon",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
    }
)
ATTRIBUTES = frozenset(
    {
        "id",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "d",
        "points",
        "transform",
        "preserveAspectRatio",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "opacity",
        "clip-path",
        "clip-rule",
        "color",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "clipPathUnits",
        "version",
    }
)
# Attributes that name another element: only one of this file (#id).
REFERENCES = frozenset({"href", f"{{{XLINK_NS}}}href"})
LOCAL_REFERENCE_RE = re.compile(r"#[A-Za-z_][\w.-]{0,100}")
# A value may point at an element of the file (url(#id)), nothing else.
URL_RE = re.compile(r"url\s*\(", re.IGNORECASE)
LOCAL_URL_RE = re.compile(r"url\(\s*#[A-Za-z_][\w.-]{0,100}\s*\)")


class SvgRefused(ValueError):
    """Not an SVG file this site will show (``reason``: English, for logs and tests)."""


def clean_svg(data: bytes) -> bytes:
    """The SVG in ``data`` with only the allowed elements and attributes; raises
    ``SvgRefused`` for a file that is too large, not XML, hostile XML or not an SVG."""
    if len(data) > MAX_BYTES:
        raise SvgRefused(f"larger than {MAX_BYTES} bytes")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise SvgRefused(f"not a safe XML file: {type(error).__name__}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused("not an SVG document")
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise SvgRefused(f"more than {MAX_ELEMENTS} elements")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _local(tag: object) -> str | None:
    """The SVG element's name, or None for any other namespace (or a comment)."""
    if isinstance(tag, str) and tag.startswith(f"{{{SVG_NS}}}"):
        return tag[len(SVG_NS) + 2 :]
    return None


def _clean(element: ET.Element) -> None:
    for name in list(element.attrib):
        value = element.attrib[name]
        if not _allowed_attribute(name, value):
            del element.attrib[name]
    for child in list(element):
        if _local(child.tag) in ELEMENTS:
            _clean(child)
            child.tail = None
        else:
            element.remove(child)  # with everything inside it (script, foreignObject, image…)
    if _local(element.tag) not in ("title", "desc"):
        element.text = None


def _allowed_attribute(name: str, value: str) -> bool:
    if name in REFERENCES:
        return bool(LOCAL_REFERENCE_RE.fullmatch(value.strip()))
    if name not in ATTRIBUTES:
        return False  # on*, style, xml:base, any namespace's attribute…
    if URL_RE.search(value):
        return all(LOCAL_URL_RE.fullmatch(part.strip()) for part in _url_parts(value))
    lowered = value.lower()
    return "javascript:" not in lowered and "data:" not in lowered and "&" not in value


def _url_parts(value: str) -> list[str]:
    return re.findall(r"url\s*\([^)]*\)?", value, flags=re.IGNORECASE)
