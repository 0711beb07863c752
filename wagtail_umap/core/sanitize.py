"""The allowlist cleaner for the HTML editors may put in a feature's description.

Pure Python (nh3, no Django). Validation runs every description through ``clean_description``,
so what is stored, exported and sent to the viewer holds only a few formatting tags and links to
web or mail addresses. Plain text (no tag in it) is kept exactly as written.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_PREFIXES = ("http://", "https://", "mailto:")
# Dropped with their content, not just unwrapped: their text is code, not prose.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})

# Something that reads as a tag, a comment or a character reference: only then is the text
# treated as HTML (so "5 < 6 & 7" stays plain text).
HTML_HINT_RE = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


def looks_like_html(text: str) -> bool:
    return bool(HTML_HINT_RE.search(text))


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        # nh3 lets relative addresses through: keep absolute web and mail links only.
        return value if value.strip().lower().startswith(LINK_PREFIXES) else None
    return value


def clean_html(html: str) -> str:
    """``html`` with only the allowed tags and safe links (rel="noopener noreferrer nofollow")."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_description(text: str) -> str:
    """A description as stored: plain text unchanged, HTML cleaned by the allowlist."""
    return clean_html(text) if looks_like_html(text) else text
