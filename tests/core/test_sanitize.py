"""The allowlist cleaner for feature descriptions."""

import pytest

from wagtail_umap.core.sanitize import clean_description, looks_like_html
from wagtail_umap.core.validation import validate_document

REL = ' rel="noopener noreferrer nofollow"'


@pytest.mark.parametrize("text", ["", "Ouvert 8 h – 12 h", "5 < 6 & 7 > 2", "a\nb", "x <3"])
def test_plain_text_is_kept_as_written(text):
    assert not looks_like_html(text)
    assert clean_description(text) == text


def test_allowed_formatting_is_kept():
    html = "<p>Un <strong>b</strong> <em>i</em><br><b>c</b> <i>d</i></p><ul><li>1</li></ul><ol><li>2</li></ol>"  # noqa: E501
    assert clean_description(html) == html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ("<style>p{}</style><p>ok</p>", "<p>ok</p>"),
        ('<p onclick="x()">ok</p>', "<p>ok</p>"),
        ('<img src="x" onerror="y()">ok', "ok"),
        ('<iframe src="https://evil.example"></iframe>ok', "ok"),
        ('<a href="javascript:alert(1)">x</a>', f"<a{REL}>x</a>"),
        ('<a href="/relative">x</a>', f"<a{REL}>x</a>"),
        ('<a href="data:text/html,x">x</a>', f"<a{REL}>x</a>"),
        (
            '<a href="https://a.fr" target="_blank" style="color:red">x</a>',
            f'<a href="https://a.fr"{REL}>x</a>',
        ),
        ('<a href="mailto:mairie@a.fr">m</a>', f'<a href="mailto:mairie@a.fr"{REL}>m</a>'),
        ('<div class="x"><span>t</span></div>', "t"),
        ("<!-- note --><b>b</b>", "<b>b</b>"),
    ],
)
def test_everything_else_is_removed(dirty, clean):
    assert clean_description(dirty) == clean


def test_validation_cleans_descriptions():
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [2, 48]},
        "properties": {
            "description": "<p>Salle <script>x</script>polyvalente</p>",
            "other": "<b>x</b>",
        },
    }
    document = {"layers": [{"name": "L", "features": [feature]}]}
    properties = validate_document(document)["layers"][0]["features"][0]["properties"]
    assert properties["description"] == "<p>Salle polyvalente</p>"
    assert properties["other"] == "<b>x</b>"  # other properties are text, escaped when shown
