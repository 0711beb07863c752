"""uMap's popup markup rendered safely (core/markup.py)."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_umap.core.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_SCHEMES,
    feature_name,
    fill_placeholders,
    render_popup,
)

REL = 'rel="noopener noreferrer nofollow"'


def render(template, properties=None, **options):
    options.setdefault("image_hosts_allowed", lambda host: host == "images.example.fr")
    return render_popup(template, properties or {}, **options)


# --- the syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "html"),
    [
        ("# Titre", "<h3>Titre</h3>"),
        ("## Sous-titre", "<h4>Sous-titre</h4>"),
        ("### Petit", "<h5>Petit</h5>"),
        ("#### Trop", "<p>#### Trop</p>"),
        ("#collé", "<p>#collé</p>"),
        ("**gras** et *italique*", "<p><strong>gras</strong> et <em>italique</em></p>"),
        ("* pas une liste *", "<p>* pas une liste *</p>"),
        ("un\ndeux\r\ntrois", "<p>un<br>deux<br>trois</p>"),
        ("un\n\ndeux", "<p>un</p><p>deux</p>"),
        ("avant\n---\naprès", "<p>avant</p><hr><p>après</p>"),
        ("[[https://a.fr]]", f'<p><a href="https://a.fr" {REL}>https://a.fr</a></p>'),
        ("[[https://a.fr|le site]]", f'<p><a href="https://a.fr" {REL}>le site</a></p>'),
        ("[[mailto:mairie@a.fr|écrire]]", f'<p><a href="mailto:mairie@a.fr" {REL}>écrire</a></p>'),
        ("voir https://a.fr/x.", f'<p>voir <a href="https://a.fr/x" {REL}>https://a.fr/x</a>.</p>'),
        ("[[javascript:alert(1)|clic]]", "<p>clic</p>"),
        ("[[/relative|clic]]", "<p>clic</p>"),
        (
            "[[https://a.fr|**fort**]]",
            f'<p><a href="https://a.fr" {REL}><strong>fort</strong></a></p>',
        ),
        (
            "{{https://images.example.fr/a.jpg}}",
            '<p><img src="https://images.example.fr/a.jpg" alt="" loading="lazy"></p>',
        ),
        (
            "{{https://images.example.fr/a.jpg|200}}",
            '<p><img src="https://images.example.fr/a.jpg" alt="" width="200" loading="lazy"></p>',
        ),
        (
            "{{https://images.example.fr/a.jpg|200px}}",
            '<p><img src="https://images.example.fr/a.jpg" alt="" width="200" loading="lazy"></p>',
        ),
        (
            "{{https://ailleurs.fr/a.jpg}}",
            f'<p><a href="https://ailleurs.fr/a.jpg" {REL}>https://ailleurs.fr/a.jpg</a></p>',
        ),
        (
            "{{http://images.example.fr/a.jpg}}",
            f'<p><a href="http://images.example.fr/a.jpg" {REL}>http://images.example.fr/a.jpg</a></p>',
        ),
        ("{{data:image/png;base64,xx}}", "<p>data:image/png;base64,xx</p>"),
        (
            "{{{https://video.fr/embed/1|300*400}}}",
            f'<p><a href="https://video.fr/embed/1" {REL}>https://video.fr/embed/1</a></p>',
        ),
        ("<b>pas du HTML</b> & co", "<p>&lt;b&gt;pas du HTML&lt;/b&gt; &amp; co</p>"),
    ],
)
def test_markup(template, html):
    assert render(template) == html


def test_placeholders_are_text_never_markup():
    properties = {
        "nom": "<script>alert(1)</script>",
        "statut": "**ouvert** [[https://x.fr]] {{https://images.example.fr/a.jpg}}",
        "vide": "",
    }
    assert render("# {nom}\n**Statut** : {statut}", properties) == (
        "<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3><p><strong>Statut</strong> : "
        "**ouvert** [[https://x.fr]] {{https://images.example.fr/a.jpg}}</p>"
    )
    assert render('{vide|nom2|"inconnu"} {horaires|fermé}', properties) == "<p>inconnu fermé</p>"


def test_addresses_from_placeholders_are_checked():
    template = "[[{site}|Site web]] {{{photo}}} {{{photo}|120}}"
    good = {"site": "https://bazois.fr", "photo": "https://images.example.fr/p.jpg"}
    assert render(template, good) == (
        f'<p><a href="https://bazois.fr" {REL}>Site web</a> '
        '<img src="https://images.example.fr/p.jpg" alt="" loading="lazy"> '
        '<img src="https://images.example.fr/p.jpg" alt="" width="120" loading="lazy"></p>'
    )
    bad = {"site": "javascript:alert(1)", "photo": 'https://images.example.fr/" onerror="x'}
    assert render(template, bad) == (
        "<p>Site web https://images.example.fr/&quot; onerror=&quot;x "
        "https://images.example.fr/&quot; onerror=&quot;x</p>"
    )
    assert render("[[{site}]]", {"site": "java\nscript:alert(1)"}) == "<p>java\nscript:alert(1)</p>"


def test_images_need_an_allowed_host():
    template = "{{https://images.example.fr/a.jpg}}"
    link = f'<p><a href="https://images.example.fr/a.jpg" {REL}>https://images.example.fr/a.jpg</a></p>'
    assert render(template, image_hosts_allowed=None) == link  # no host: nothing loads

    def broken(host):
        raise RuntimeError(host)

    assert render(template, image_hosts_allowed=broken) == link
    assert render(template, image_hosts_allowed=lambda host: True).startswith("<p><img ")


def test_options():
    assert render("# A\n## B", heading_level=5) == "<h5>A</h5><h6>B</h6>"
    assert render("### A", heading_level=6) == "<h6>A</h6>"
    assert render("[[https://a.fr]]", link_target="_blank") == (
        f'<p><a href="https://a.fr" {REL} target="_blank">https://a.fr</a></p>'
    )
    assert render("[[https://a.fr]]", link_target='x" onclick="y') == (
        f'<p><a href="https://a.fr" {REL}>https://a.fr</a></p>'
    )
    assert render_popup(None, None, image_hosts_allowed=None) == ""


def test_feature_names_and_plain_text():
    properties = {"nom": "Maison du Bazois", "commune": "Moulins", "name": "MdB", "n": 2.0}
    assert feature_name(properties, "{nom} ({commune})") == "Maison du Bazois (Moulins)"
    assert feature_name(properties, "nom") == "Maison du Bazois"
    assert feature_name(properties, "absent") == "MdB"
    assert feature_name(properties) == "MdB"
    assert feature_name({}, "nom") == ""
    assert fill_placeholders('{n} {x|"?"}', properties) == "2 ?"


def test_pathological_inputs_stay_fast():
    for template in ("**" + "[[a]]" * 3000, "*a" * 5000, "[[" * 5000, "{{{" * 3000, "{" * 9999):
        start = time.perf_counter()
        render(template)
        assert time.perf_counter() - start < 1


# --- whatever the input: only allowed tags, attributes and addresses -------------------------


class Checker(HTMLParser):
    """Collects what a browser would build from the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name} on {tag}")
            elif name == "href" and not (value or "").lower().startswith(LINK_SCHEMES):
                self.problems.append(f"href {value!r}")
            elif name == "src" and not (value or "").lower().startswith("https://"):
                self.problems.append(f"src {value!r}")
            elif name in ("href", "src") and any(c in value for c in " \t\n\r\"'<>`"):
                self.problems.append(f"{name} {value!r}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.problems.append("comment")

    def handle_decl(self, decl):
        self.problems.append("declaration")

    def handle_pi(self, data):
        self.problems.append("processing instruction")

    def unknown_decl(self, data):
        self.problems.append("declaration")


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Markup pieces, hostile addresses and HTML, and any text at all.
PIECES = [
    "#", "## ", "### ", "**", "*", "[[", "]]", "|", "{{", "}}", "{{{", "}}}", "{", "}", "---",
    "\n", "\r\n", " ", "https://", "http://", "mailto:", "javascript:", "JaVaScRiPt:", "data:",
    "//", "images.example.fr/", "a.jpg", "<", ">", "\"", "'", "&", "&amp;", "<script>",
    "</p>", "<img src=x onerror=alert(1)>", "onerror=", "`", "\x00", "\t", "\u2028", "é", "200",
    "px", "{name}", "{site}", "{x|\"y\"}", "name", "site",
]  # fmt: skip
templates = st.one_of(
    st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=30).map("".join),
    st.text(max_size=200),
)
values = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=10).map("".join),
    st.text(max_size=40),
    st.integers(),
    st.none(),
    st.booleans(),
)
properties = st.dictionaries(st.sampled_from(["name", "site", "x", "photo"]), values)
hosts = st.sampled_from([None, lambda host: True, lambda host: host.endswith("example.fr")])


@SETTINGS
@given(templates, properties, hosts, st.sampled_from([None, "_blank", '"><script>']))
def test_only_allowed_tags_attributes_and_addresses(template, values_, allowed, target):
    output = render_popup(template, values_, image_hosts_allowed=allowed, link_target=target)
    checker = Checker()
    checker.feed(output)
    checker.close()
    assert checker.problems == [], output


@SETTINGS
@given(values)
def test_a_value_shows_exactly_as_written(value):
    from wagtail_umap.core.markup import as_text

    output = render_popup("{x}", {"x": value}, image_hosts_allowed=lambda host: True)
    shown = []

    class Text(HTMLParser):
        def handle_data(self, data):
            shown.append(data)

        def handle_starttag(self, tag, attrs):
            assert tag in ("p", "br")
            if tag == "br":
                shown.append("\n")

    parser = Text(convert_charrefs=True)
    parser.feed(output)
    parser.close()
    # Every character is the value's own; its line breaks become <br>.
    expected = as_text(value).replace("\r\n", "\n").replace("\r", "\n")
    assert "".join(shown) == expected
