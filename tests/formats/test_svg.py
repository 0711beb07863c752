"""An editor's own SVG icon cleaned by the allowlist (formats/svg.py): hostile files lose
what runs or loads, hostile XML and oversized files are refused."""

import pytest

from wagtail_umap.formats.svg import MAX_BYTES, SvgRefused, clean_svg

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 15 15">{}</svg>'
)


def cleaned(inner: str) -> str:
    return clean_svg(SVG.format(inner).encode()).decode()


def test_a_plain_icon_keeps_its_drawing():
    out = cleaned(
        '<title>Vélo</title><g fill="#123456"><path d="M1 1h13v13z"/>'
        '<circle cx="7" cy="7" r="3"/></g>'
    )
    assert 'd="M1 1h13v13z"' in out
    assert "<circle" in out and 'fill="#123456"' in out
    assert "<title>Vélo</title>" in out
    assert 'viewBox="0 0 15 15"' in out


def test_scripts_go_with_their_content():
    out = cleaned(
        '<script>alert(1)</script><path d="M0 0"/><script xlink:href="https://evil.example/x.js"/>'
    )
    assert "script" not in out and "alert" not in out and "evil" not in out
    assert "<path" in out


def test_event_handlers_go():
    out = clean_svg(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><path d="M0 0" onclick="x()" '
        b'onmouseover="y()"/><set attributeName="onmouseover" to="alert(1)"/>'
        b'<animate attributeName="href" to="javascript:alert(1)"/></svg>'
    ).decode()
    assert "alert" not in out and "onload" not in out and "onclick" not in out
    assert "<set" not in out and "<animate" not in out


def test_javascript_and_external_references_go():
    out = cleaned(
        '<a xlink:href="javascript:alert(1)"><path d="M0 0"/></a>'
        '<use xlink:href="javascript:alert(1)"/>'
        '<use href="https://evil.example/sprite.svg#x"/>'
        '<use xlink:href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#x"/>'
        '<use href="#ok"/>'
        '<image href="https://evil.example/track.png"/>'
        '<rect fill="url(https://evil.example/p.svg#g)" stroke="url(#grad)" width="3" height="3"/>'
    )
    assert "javascript" not in out and "evil" not in out and "data:" not in out
    assert "<a" not in out and "<image" not in out  # a link is not an icon's business
    assert 'href="#ok"' in out
    assert 'stroke="url(#grad)"' in out and "fill=" not in out


def test_foreign_object_and_styles_go():
    out = cleaned(
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></div></foreignObject>'
        "<style>@import url(https://evil.example/x.css);</style>"
        '<path d="M0 0" style="fill:url(https://evil.example/t)"/>'
    )
    assert "foreignObject" not in out and "iframe" not in out and "evil" not in out
    assert "style" not in out


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><title>&b;</title></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><title>&x;</title></svg>',
        b"<html><body>not an svg</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"></svg>',  # not well-formed
        b"\x89PNG\r\n\x1a\n",
        b"",
    ],
)
def test_hostile_or_broken_xml_is_refused(data):
    with pytest.raises(SvgRefused):
        clean_svg(data)


def test_a_huge_file_is_refused_before_parsing():
    huge = SVG.format('<path d="M0 0"/>' * (MAX_BYTES // 10)).encode()
    assert len(huge) > MAX_BYTES
    with pytest.raises(SvgRefused, match="larger than"):
        clean_svg(huge)


def test_too_many_elements_are_refused():
    many = SVG.format("<g/>" * 2500).encode()
    assert len(many) < MAX_BYTES
    with pytest.raises(SvgRefused, match="elements"):
        clean_svg(many)
