"""The browser tests' own instruments: an accessibility check that could not fail, or failed
on the test's scroll position rather than on the page, would prove nothing."""

from __future__ import annotations

# As in Wagtail's admin: a sticky header whose breadcrumb is a link as wide as the page.
PAGE = """<!doctype html><html lang="fr"><head><title>Cibles</title></head><body>
<header style="position: sticky; top: 0; height: 50px; background: #eee">
  <a href="/" style="display: block; height: 50px">Nouvelle carte</a></header>
<main style="height: 3000px; padding-top: 400px">
  <h1>Cibles</h1>
  <div id="large"><button style="height: 28px">Un</button>
    <button style="height: 28px; margin-left: 6px">Deux</button></div>
  <div id="small" style="margin-top: 60px"><button style="height: 14px; width: 14px;
    padding: 0; font-size: 8px">a</button><button style="height: 14px; width: 14px;
    padding: 0; font-size: 8px; margin-left: 1px">b</button></div>
</main></body></html>"""

TARGET_SIZE_OF_LARGE = """async () => (await axe.run(document.querySelector('#large'),
  {runOnly: {type: 'rule', values: ['target-size']}})).violations.length"""


def test_axe_judges_a_target_under_a_sticky_header_in_view_and_still_finds_small_ones(page, axe):
    page.set_content(PAGE)
    crowded = [v for v in axe(page) if v["id"] == "target-size"]
    assert len(crowded) == 1 and len(crowded[0]["nodes"]) == 2, crowded
    assert all(">a<" in node or ">b<" in node for node in crowded[0]["nodes"])

    # The large buttons half under the header: axe alone calls them obscured by its link.
    page.evaluate("() => window.scrollTo(0, document.querySelector('#large').offsetTop - 36)")
    scroll = page.evaluate("() => window.scrollY")
    assert page.evaluate(TARGET_SIZE_OF_LARGE) == 1, "axe alone passes now: the second look can go"
    assert [v for v in axe(page) if "Un<" in str(v) or "Deux<" in str(v)] == []
    assert page.evaluate("() => window.scrollY") == scroll, "the page's scroll is put back"
