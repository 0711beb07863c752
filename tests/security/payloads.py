"""Our own list of hostile strings for every text an editor or an imported file can write.

Each payload that runs calls ``__xss(<its number>)``: the browser tests record the call (an init
script defines ``__xss``), and look in the DOM for what would run later (an event handler, a
``javascript:`` address, a script) even when the CSP blocked it. Template payloads compute 1337
if a template engine ever evaluates them: that number must never appear.

``XSS()`` in a payload stands for ``__xss(<number>)``.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATE_RESULT = "1337"

RAW_PAYLOADS = [
    # Script tags, as they come and breaking out of where they are put.
    "<script>XSS()</script>",
    "<ScRiPt>XSS()</sCrIpT>",
    '"><script>XSS()</script>',
    "'><script>XSS()</script>",
    "</script><script>XSS()</script>",
    "</textarea><script>XSS()</script>",
    "</title><script>XSS()</script>",
    "--><script>XSS()</script><!--",
    "<script src=data:text/javascript,XSS()></script>",
    # Event handlers.
    "<img src=x onerror=XSS()>",
    '<img src="x" onerror="XSS()">',
    "<svg onload=XSS()>",
    "<svg><script>XSS()</script></svg>",
    "<body onload=XSS()>",
    "<details open ontoggle=XSS()>",
    "<input autofocus onfocus=XSS()>",
    "<video><source onerror=XSS()></video>",
    "<x onclick=XSS()>clic</x>",
    "<marquee onstart=XSS()>",
    '" onmouseover="XSS()" x="',
    "' onfocus='XSS()' autofocus='",
    # javascript: and data: addresses.
    "javascript:XSS()",
    "JaVaScRiPt:XSS()",
    "java\tscript:XSS()",
    "&#106;avascript:XSS()",
    '<a href="javascript:XSS()">lien</a>',
    '<a href="&#x6A;avascript&#x3A;XSS()">lien</a>',
    '<iframe src="javascript:XSS()"></iframe>',
    '<iframe srcdoc="<script>parent.XSS()</script>"></iframe>',
    '<object data="javascript:XSS()"></object>',
    '<embed src="javascript:XSS()">',
    '<form action="javascript:XSS()"><button>envoyer</button></form>',
    '<base href="javascript:XSS()//">',
    '<meta http-equiv="refresh" content="0;url=javascript:XSS()">',
    '<svg><a xlink:href="javascript:XSS()"><text y="20">lien</text></a></svg>',
    "data:text/html,<script>parent.XSS()</script>",
    # uMap's own syntax: links, images and iframes in descriptions.
    "[[javascript:XSS()|lien]]",
    "{{javascript:XSS()}}",
    "{{{javascript:XSS()}}}",
    # CSS.
    '<div style="width:expression(XSS())">css</div>',
    "<div style=\"background:url('javascript:XSS()')\">css</div>",
    "<style>@import 'javascript:XSS()';</style>",
    # Mutation XSS: markup a sanitiser parses one way and the browser another.
    "<math><mtext><table><mglyph><style><img src=x onerror=XSS()>",
    '<noscript><p title="</noscript><img src=x onerror=XSS()>">',
    # Unicode tricks.
    "＜script＞XSS()＜/script＞",
    "\u202e<img src=x onerror=XSS()>",
    "<scr\u200bipt>XSS()</scr\u200bipt>",
    '<img src=x onerror="\\u005f\\u005fxss(NUMBER)">',
    "\u2028</script>\u2029<script>XSS()</script>",
    # Template injection: Django, Jinja, JavaScript template literals, Angular-like.
    "{{ 1336|add:1 }}",
    "{{7*191}}",
    "${7*191}",
    "{% now 'Y' %}{% templatetag openblock %}",
    "{{constructor.constructor('XSS()')()}}",
    "{name}<img src=x onerror=XSS()>",
]


def payloads() -> list[str]:
    """The payloads, each calling ``__xss`` with its own number (1-based)."""
    return [
        raw.replace("XSS()", f"__xss({n})").replace("NUMBER", str(n))
        for n, raw in enumerate(RAW_PAYLOADS, 1)
    ]


def chunks(texts: list[str], size: int) -> list[str]:
    """``texts`` joined by spaces into strings of at most ``size`` characters."""
    result, current = [], ""
    for text in texts:
        candidate = f"{current} {text}".strip()
        if current and len(candidate) > size:
            result.append(current)
            current = text
        else:
            current = candidate
    return [*result, current] if current else result


# In the browser: ``__xss`` records the payloads that ran (in frames too), for the test.
RECORDER = """
(() => {
  const record = (n) => { try { (window.top.reportXss || window.reportXss)(String(n)); } catch (e) {
    try { window.reportXss(String(n)); } catch (e2) {} } };
  Object.defineProperty(window, '__xss', { value: record, writable: false });
})();
"""

# What would run later, or ran without calling back (dom_scan.js): a finding per element.
DOM_SCAN = (Path(__file__).parent / "dom_scan.js").read_text()
