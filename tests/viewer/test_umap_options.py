"""uMap's options applied by the public viewer (issue 12): label_key names, popup markup
rendered on the server, the map's default style and rules, default_view."""

import re

from wagtail_umap.viewer.config import viewer_config
from wagtail_umap.viewer.map import ViewerLayer, layer_sections
from wagtail_umap.viewer.render import feature_item_html
from wagtail_umap.viewer.umap_markup import image_hosts_allowed, popup_source

from .test_viewer import make_map, point

TEMPLATE = (
    "# {nom}\n**Statut** : {statut}\n[[{site}|Site web]]\n{{https://img.example.fr/a.jpg|200}}"
)
ALLOWED_TAGS = {"h3", "h4", "h5", "h6", "strong", "em", "a", "img", "hr", "br", "p"}


def layer(**overrides):
    values = {
        "id": "L1",
        "name": "Équipements",
        "description": "",
        "shown_on_load": True,
        "style": {"color": "#0055aa", "show_label": "always", "label_direction": "top"},
        "popup_template": TEMPLATE,
        "features": [
            point(3.1, 47.0, nom="Mairie <b>", statut="ouvert", site="https://mairie.example.fr"),
            point(3.2, 47.1, nom="Gymnase", statut="fermé", site="javascript:alert(1)"),
            point(3.3, 47.2, statut="ouvert"),
        ],
        "viz": {
            "label_key": "nom",
            "rules": [
                {
                    "field": "statut",
                    "value": "fermé",
                    "style": {"color": "#c00000", "dash_array": "6 4", "bogus": 1},
                }
            ],
        },
    }
    values.update(overrides)
    return ViewerLayer(**values)


def tags_of(html):
    return {match.lower() for match in re.findall(r"</?([a-zA-Z0-9]+)", html)}


def test_label_key_names_the_features_in_the_list_and_the_config():
    viewer_map = make_map(layers=[layer()])
    items = layer_sections(viewer_map)[0].items
    assert [item.name for item in items[:2]] == ["Mairie <b>", "Gymnase"]
    assert not items[2].has_name  # no "nom": numbered
    config = viewer_config(viewer_map)["layers"][0]
    assert config["labelKey"] == "nom"


def test_popup_markup_is_rendered_on_the_server_and_allowlisted():
    viewer_map = make_map(layers=[layer()])
    popups = viewer_config(viewer_map)["layers"][0]["popupHtml"]
    first, second = popups[0], popups[1]
    # "# {nom}" repeats the popup's title: left out.
    assert "Mairie" not in first
    assert "<strong>Statut</strong>" in first
    assert 'href="https://mairie.example.fr"' in first
    assert "javascript" not in second  # no link: its text only
    for html in popups:
        assert tags_of(html) <= ALLOWED_TAGS
    # The test site's CSP does not allow img.example.fr: the image is a link to its address.
    assert "<img" not in first and 'href="https://img.example.fr/a.jpg"' in first


def test_the_list_shows_the_same_popup_html():
    viewer_map = make_map(layers=[layer()])
    item = layer_sections(viewer_map)[0].items[0]
    html = feature_item_html(item, "Voir sur la carte")
    assert "<strong>Statut</strong>" in html and html.count("Mairie &lt;b&gt;") == 2  # name, button


def test_images_show_only_from_hosts_the_csp_allows(settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"img-src": ["'self'", "data:", "https://img.example.fr"]}
    }
    allowed = image_hosts_allowed()
    assert allowed("img.example.fr") and not allowed("evil.example.com")
    popups = viewer_config(make_map(layers=[layer()]))["layers"][0]["popupHtml"]
    assert '<img src="https://img.example.fr/a.jpg" alt="" width="200" loading="lazy">' in popups[0]


def test_no_csp_means_no_image_host(settings):
    settings.CONTENT_SECURITY_POLICY = None
    settings.SECURE_CSP = None
    assert image_hosts_allowed() is None


def test_a_description_in_umap_markup_is_rendered_plain_or_html_ones_keep_their_path():
    assert popup_source("", {"description": "**Ouvert** le lundi"}) == "**Ouvert** le lundi"
    assert popup_source("", {"description": "Ouvert le lundi"}) == ""
    assert popup_source("", {"description": "<p>**x**</p>"}) == ""


def test_no_popup_html_without_template_nor_markup():
    viewer_map = make_map(layers=[layer(popup_template="", viz={})])
    assert "popupHtml" not in viewer_config(viewer_map)["layers"][0]


def test_rules_and_map_style_travel_cleaned():
    viewer_map = make_map(
        layers=[layer()],
        umap_options={
            "style": {"color": "#333333", "show_label": "hover", "evil": "<x>"},
            "rules": [{"field": "statut", "operator": ">", "value": 3, "style": {"weight": 6}}],
        },
    )
    config = viewer_config(viewer_map)
    rule = config["layers"][0]["rules"][0]
    assert rule == {
        "field": "statut",
        "operator": "=",
        "value": "fermé",
        "style": {"color": "#c00000", "dash_array": "6 4"},
    }
    assert config["umap"]["style"] == {"color": "#333333", "show_label": "hover"}
    assert config["umap"]["rules"][0]["value"] == "3"
    assert config["layers"][0]["style"]["show_label"] == "always"
    assert config["layers"][0]["style"]["label_direction"] == "top"


def test_default_view_data_center_latest_locate():
    base = {"center": {"lat": 45.0, "lng": 1.0}, "zoom": 9, "layers": [layer()]}
    view = viewer_config(make_map(**base))["view"]
    assert view["mode"] == "center" and view["center"] == [45.0, 1.0]
    view = viewer_config(make_map(**base, umap_options={"default_view": "data"}))["view"]
    assert view["center"] is None and view["bounds"] == [[47.0, 3.1], [47.2, 3.3]]
    view = viewer_config(make_map(**base, umap_options={"default_view": "latest"}))["view"]
    assert view["center"] == [47.2, 3.3] and view["zoom"] == 9
    config = viewer_config(
        make_map(**{**base, "controls": {"locate": False}}, umap_options={"default_view": "locate"})
    )
    assert config["view"]["center"] == [45.0, 1.0]  # no position asked on load
    assert config["controls"]["locate"] is True  # the citizen asks with the button


def test_popup_html_never_holds_a_script():
    hostile = layer(features=[point(1, 1, nom="<script>x</script>", statut="<img src=x>")])
    html = viewer_config(make_map(layers=[hostile]))["layers"][0]["popupHtml"][0]
    assert "<script>" not in html and "<img src=x>" not in html
    assert tags_of(html) <= ALLOWED_TAGS


def test_rules_show_in_the_legend_as_text():
    from django.utils import translation

    from wagtail_umap.viewer.config import template_context

    with translation.override("fr"):
        context = template_context(make_map(layers=[layer()]))
    legend = next(item for item in context["legends"] if item.kind == "rules")
    assert legend.entries[0].label == "statut = fermé : rouge, tirets"
    assert legend.entries[0].count == 1
    assert legend.entries[0].dash == "6 4"
    # A rule on points gets a marker swatch, not the dashed line its pattern would draw.
    assert legend.entries[0].shape == "circle"


def test_a_rule_swatch_follows_the_geometry_it_styles():
    from django.utils import translation

    from wagtail_umap.viewer.config import template_context

    road = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[3.1, 47.0], [3.2, 47.1]]},
        "properties": {"statut": "fermé"},
    }
    rules = [
        {"field": "statut", "value": "fermé", "style": {"color": "#c00000", "dash_array": "6 4"}},
        {"field": "statut", "value": "ouvert", "style": {"marker_shape": "square"}},
    ]
    mixed = layer(features=[road, point(3.3, 47.2, statut="ouvert")], viz={"rules": rules})
    with translation.override("fr"):
        context = template_context(make_map(layers=[mixed]))
    legend = next(item for item in context["legends"] if item.kind == "rules")
    assert [(entry.shape, entry.dash) for entry in legend.entries] == [
        ("line", "6 4"),
        ("square", ""),
    ]
    html = render_legend(legend)
    assert "<line" in html and 'stroke-dasharray="6 4"' in html
    assert '<rect x="6" y="2" width="16" height="16"' in html  # the square marker


def render_legend(legend):
    from django.template.loader import render_to_string

    return render_to_string("wagtail_umap/viewer/legend.html", {"legends": [legend]})


def test_an_empty_heading_is_left_out():
    html = viewer_config(make_map(layers=[layer()]))["layers"][0]["popupHtml"][2]
    assert "<h4>" not in html and "<strong>Statut</strong>" in html


def test_headings_start_at_the_popup_level_and_skip_none():
    from wagtail_umap.viewer.umap_markup import compact_headings

    assert compact_headings("<h5>a</h5><p>b</p>", 4) == "<h4>a</h4><p>b</p>"
    assert compact_headings("<h4>a</h4><h6>b</h6>", 4) == "<h4>a</h4><h5>b</h5>"


def test_a_heading_other_than_the_name_stays_one_level_below_the_title():
    custom = layer(popup_template="# Équipement {nom}\n{statut}")
    first = viewer_config(make_map(layers=[custom]))["layers"][0]["popupHtml"][0]
    assert first.startswith("<h4>Équipement Mairie &lt;b&gt;</h4>")


def test_popups_of_a_very_large_inline_layer_are_not_rendered_in_advance(monkeypatch):
    from wagtail_umap.viewer import umap_markup

    monkeypatch.setattr(umap_markup, "POPUP_HTML_MAX_FEATURES", 2)
    viewer_map = make_map(layers=[layer()])
    assert "popupHtml" not in viewer_config(viewer_map)["layers"][0]
    assert layer_sections(viewer_map)[0].items[0].description_html == ""
