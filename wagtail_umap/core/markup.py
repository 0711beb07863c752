"""uMap's popup markup with ``{field}`` placeholders, rendered to safe HTML (pure Python).

The syntax is uMap's (its "text formatting" help): ``# heading``, ``## heading``,
``### heading``, ``**bold**``, ``*italic*``, ``[[https://…]]``, ``[[https://…|text]]``,
``{{https://…/image.jpg}}``, ``{{https://…/image.jpg|200}}`` (a width in pixels),
``{{{https://…}}}`` (uMap's iframe), ``---`` (a rule), and line breaks. Placeholders are those
of our popups: ``{name}``, ``{a|b}`` (``a``'s value, else ``b``'s), ``{a|"text"}``.

Safety, whatever the template and the data:

- the template is parsed first, and the placeholders' values are put in afterwards, always as
  text: a value is never markup and never HTML (``**`` or ``<b>`` in a property shows as is);
- the output holds only ``ALLOWED_TAGS`` with ``ALLOWED_ATTRIBUTES``; every other character
  of the template and the data is escaped;
- a link goes to an ``http:``, ``https:`` or ``mailto:`` address only (a placeholder may give
  the address: ``[[{site}|Site web]]``); anything else shows its text without a link;
- an image is shown from an ``https:`` address whose host ``image_hosts_allowed`` accepts
  (the hosts the site's Content-Security-Policy ``img-src`` allows); any other image becomes
  a link to its address (an ``http:`` or refused host), or plain text. With
  ``image_hosts_allowed=None`` no host is allowed: no request leaves the site unless it says so;
- an iframe (``{{{…}}}``) becomes a link to its address: nothing is embedded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urlsplit

ALLOWED_TAGS = frozenset({"h3", "h4", "h5", "h6", "strong", "em", "a", "img", "hr", "br", "p"})
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "rel", "target"}),
    "img": frozenset({"src", "alt", "width", "loading"}),
}
LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_REL = "noopener noreferrer nofollow"
LINK_TARGETS = ("_blank", "_top", "_parent", "_self")
MAX_IMAGE_WIDTH = 2000
MAX_DEPTH = 4  # bold inside a link inside italics… deeper markup shows as text

HEADING_RE = re.compile(r"(#{1,3})[ \t]+(.*)")
RULE_RE = re.compile(r"-{3,}[ \t]*")
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# Inline markup, leftmost first; a body may hold placeholders ({…}) but no other braces.
_BODY = r"(?:[^{}]|\{[^{}]*\})+?"
INLINE_RE = re.compile(
    r"\{\{\{(?P<iframe>[^{}]+)\}\}\}"
    rf"|\{{\{{(?P<image>{_BODY})\}}\}}"
    r"|\[\[(?P<link>(?:[^\[\]{}]|\{[^{}]*\})+?)\]\]"
    # A link inside bold text stays whole; each character has one way to match (no backtracking
    # blow-up on a bold that never closes).
    r"|\*\*(?P<bold>(?:\[\[(?:(?!\]\]).)*\]\]|(?!\*\*|\[\[).)+)\*\*"
    r"|\*(?P<italic>[^*\s][^*]*)\*"
    r"|\{(?P<field>[^{}]+)\}"
    r"|(?P<url>(?<![\w/:.@-])https?://[^\s<>\"'{}\[\]()|]+[^\s<>\"'{}\[\]().,;:!?|])"
)
PLACEHOLDER_RE = re.compile(r"\{([^{}]+)\}")
WIDTH_RE = re.compile(r"\s*(\d{1,4})\s*(?:px)?\s*")
IMAGE_HOSTS_NONE: Callable[[str], bool] = lambda host: False  # noqa: E731


def render_popup(
    template: str,
    properties: dict,
    *,
    image_hosts_allowed: Callable[[str], bool] | None,
    heading_level: int = 3,
    link_target: str | None = None,
    value_text: Callable[[object], str] | None = None,
) -> str:
    """The HTML of a popup template filled with a feature's properties.

    ``heading_level``: the tag of ``#`` (``##`` and ``###`` go one and two levels deeper, down
    to ``h6``); the popup's own title is above it. ``link_target``: ``"_blank"`` or ``"_top"``
    (an embedded map) to add to links, or None. ``value_text``: how a placeholder's value is
    written in the text (numbers in the page's language); addresses always take ``as_text``.
    See the module's docstring for what is shown.
    """
    renderer = _Renderer(
        properties if isinstance(properties, dict) else {},
        image_hosts_allowed or IMAGE_HOSTS_NONE,
        min(max(heading_level, 3), 6),
        link_target if link_target in LINK_TARGETS else None,
        value_text or as_text,
    )
    return renderer.document(template if isinstance(template, str) else "")


def fill_placeholders(
    template: str, properties: dict, value_text: Callable[[object], str] | None = None
) -> str:
    """``template`` with its placeholders filled, as plain text (no markup is read); each
    value written by ``value_text`` (default ``as_text``)."""
    return PLACEHOLDER_RE.sub(
        lambda match: placeholder_value(match.group(1), properties, value_text), template
    )


def feature_name(properties: dict, label_key: str = "") -> str:
    """A feature's name, as uMap's ``labelKey`` gives it: a template (``{nom} ({commune})``), or
    the property it names, else ``name``; "" when there is none (the caller then numbers it)."""
    if not isinstance(properties, dict):
        return ""
    if label_key and PLACEHOLDER_RE.search(label_key):
        return fill_placeholders(label_key, properties).strip()
    for key in (label_key, "name"):
        if key:
            text = as_text(properties.get(key)).strip()
            if text:
                return text
    return ""


def as_text(value: object) -> str:
    """A property's value as the viewer shows it (``asText`` in the viewer's script)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))  # as JavaScript writes it (1e21 and above in exponent form)
    return str(value)


def placeholder_value(
    alternatives: str, properties: dict, value_text: Callable[[object], str] | None = None
) -> str:
    """``{a|b|"text"}``: ``a``'s value, else ``b``'s, else the quoted text. A last unquoted
    alternative that names no property is text too (``{horaires|inconnus}``), as the viewer
    reads it."""
    options = alternatives.split("|")
    for position, option in enumerate(options):
        option = option.strip()
        if len(option) >= 2 and option[0] == option[-1] == '"':
            return option[1:-1]
        value = (value_text or as_text)(properties.get(option))
        if value:
            return value
        if position == len(options) - 1 and position > 0 and option not in properties:
            return options[position]
    return ""


class _Renderer:
    def __init__(
        self,
        properties: dict,
        image_hosts_allowed: Callable[[str], bool],
        heading_level: int,
        link_target: str | None,
        value_text: Callable[[object], str],
    ) -> None:
        self.properties = properties
        self.image_hosts_allowed = image_hosts_allowed
        self.heading_level = heading_level
        self.link_target = link_target
        self.value_text = value_text

    # --- blocks: headings, rules, paragraphs of lines ----------------------------------------

    def document(self, template: str) -> str:
        parts: list[str] = []
        paragraph: list[str] = []

        def close_paragraph() -> None:
            if paragraph:
                parts.append("<p>" + "<br>".join(paragraph) + "</p>")
                paragraph.clear()

        for line in LINE_BREAK_RE.split(template):
            heading = HEADING_RE.fullmatch(line)
            if heading:
                close_paragraph()
                level = min(self.heading_level + len(heading.group(1)) - 1, 6)
                parts.append(f"<h{level}>{self.inline(heading.group(2))}</h{level}>")
            elif RULE_RE.fullmatch(line):
                close_paragraph()
                parts.append("<hr>")
            elif line.strip():
                paragraph.append(self.inline(line))
            else:
                close_paragraph()
        close_paragraph()
        return "".join(parts)

    # --- inline markup -----------------------------------------------------------------------

    def inline(self, text: str, depth: int = 0, in_link: bool = False) -> str:
        if depth > MAX_DEPTH:
            return self.text(text)
        out, last = [], 0
        for match in INLINE_RE.finditer(text):
            out.append(self.text(text[last : match.start()]))
            out.append(self.token(match, depth, in_link))
            last = match.end()
        out.append(self.text(text[last:]))
        return "".join(out)

    def token(self, match: re.Match, depth: int, in_link: bool) -> str:
        kind = match.lastgroup
        body = match.group(kind)
        if kind == "field":  # a value is text; its line breaks are kept, as in the viewer
            value = placeholder_value(body, self.properties, self.value_text)
            return "<br>".join(_escape(line) for line in LINE_BREAK_RE.split(value))
        if kind == "bold":
            return f"<strong>{self.inline(body, depth + 1, in_link)}</strong>"
        if kind == "italic":
            if body[-1].isspace():  # "* not italic *", as uMap's authors write lists
                return "*" + self.inline(body, depth + 1, in_link) + "*"
            return f"<em>{self.inline(body, depth + 1, in_link)}</em>"
        if in_link:
            return _escape(match.group(0))  # no link, image or address inside a link's text
        if kind == "url":
            return self.link(body, None, depth)
        if kind == "link":
            address, label = _split_bar(body)
            return self.link(self.fill(address), label, depth)
        if kind == "image":
            address, width = _split_bar(body)
            return self.image(self.fill(address), width)
        # {{{…}}}: uMap's iframe, or, when its body is a placeholder, an image of that field
        # (uMap fills {photo} first, which leaves {{address}}).
        address, _size = _split_bar(body)
        if "://" not in address and not address.strip().lower().startswith("mailto:"):
            return self.image(self.fill("{" + address + "}"), _size)
        return self.link(self.fill(address), None, depth)

    def fill(self, text: str) -> str:
        return fill_placeholders(text, self.properties).strip()

    def text(self, text: str) -> str:
        return _escape(text)

    def link(self, address: str, label: str | None, depth: int) -> str:
        shown = (
            self.inline(label, depth + 1, in_link=True) if label is not None else _escape(address)
        )
        if not _is_link(address):
            return shown
        target = f' target="{self.link_target}"' if self.link_target else ""
        return f'<a href="{_escape(address)}" rel="{LINK_REL}"{target}>{shown}</a>'

    def image(self, address: str, width: str | None) -> str:
        if _is_https(address) and self._host_allowed(address):
            size = WIDTH_RE.fullmatch(width or "")
            width_attribute = ""
            if size and 0 < int(size.group(1)) <= MAX_IMAGE_WIDTH:
                width_attribute = f' width="{int(size.group(1))}"'
            return f'<img src="{_escape(address)}" alt=""{width_attribute} loading="lazy">'
        return self.link(address, None, 0)  # a link when it is a web address, else text

    def _host_allowed(self, address: str) -> bool:
        try:
            host = urlsplit(address).hostname or ""
        except ValueError:
            return False
        try:
            return bool(host) and bool(self.image_hosts_allowed(host))
        except Exception:  # a site's callable must not break a popup
            return False


def _split_bar(body: str) -> tuple[str, str | None]:
    """``body`` cut at its first "|" outside a placeholder: (before, after or None)."""
    depth = 0
    for position, character in enumerate(body):
        if character == "{":
            depth += 1
        elif character == "}":
            depth = max(depth - 1, 0)
        elif character == "|" and depth == 0:
            return body[:position], body[position + 1 :]
    return body, None


# Characters no address may hold: whitespace and controls (browsers strip or fold them, which
# lets "java\nscript:" through a naive prefix test), quotes and angle brackets.
_BAD_ADDRESS_RE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`]")


def _is_link(address: str) -> bool:
    lowered = address.lower()
    if not lowered.startswith(LINK_SCHEMES) or _BAD_ADDRESS_RE.search(address):
        return False
    if lowered.startswith("mailto:"):
        return len(address) > len("mailto:")
    try:
        return bool(urlsplit(address).hostname)
    except ValueError:
        return False


def _is_https(address: str) -> bool:
    return address.lower().startswith("https://") and _is_link(address)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)
