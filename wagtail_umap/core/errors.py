"""Located, translatable validation issues and the error that carries them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail_umap.core import messages as m

Gettext = Callable[[str], str]

# How many issues a validation collects before it stops: enough for an editor to fix several
# at once, few enough that a broken 100,000-feature file does not produce 100,000 lines.
MAX_ISSUES = 20


def _identity(message: str) -> str:
    return message


def shown(value: object, limit: int = 60) -> str:
    """A short JSON rendering of ``value`` for a message (strings come out quoted).

    A lone surrogate comes out escaped (``\\ud800``): raw, it would make the message itself
    impossible to encode, hence to show.
    """
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# A layer name longer than this is cut in messages: a file's name for a layer can be huge.
# Above the longest valid name (200), so that a name a little too long is shown whole.
SHOWN_NAME_CHARS = 256


def _shortened(name: str) -> str:
    name = name if len(name) <= SHOWN_NAME_CHARS else name[: SHOWN_NAME_CHARS - 1] + "…"
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True, init=False)
class Location:
    layer: int | None = None  # 1-based layer position
    layer_name: str | None = None
    feature: int | None = None  # 1-based feature position inside the layer
    detail: str | None = None  # extra hint, e.g. "coordinates[0][3]"

    def __init__(
        self,
        layer: int | None = None,
        layer_name: str | None = None,
        feature: int | None = None,
        detail: str | None = None,
    ) -> None:
        # One call, where a frozen dataclass's own __init__ makes four: validation makes a
        # Location for every feature it reads (a fifth of its time on files of tiny features).
        self.__dict__.update(layer=layer, layer_name=layer_name, feature=feature, detail=detail)

    def render(self, gettext: Gettext = _identity) -> str:
        """'layer 2 "Écoles", feature 17' (or "" when the issue concerns the whole map)."""
        parts = []
        if self.layer is not None and self.layer_name:
            template = gettext(m.LOCATION_LAYER_NAMED)
            name = _shortened(self.layer_name)
            parts.append(template % {"layer": self.layer, "layer_name": name})
        elif self.layer is not None:
            parts.append(gettext(m.LOCATION_LAYER) % {"layer": self.layer})
        if self.feature is not None:
            parts.append(gettext(m.LOCATION_FEATURE) % {"feature": self.feature})
        where = ", ".join(parts)
        if self.detail and where:
            return gettext(m.LOCATION_DETAIL) % {"where": where, "detail": self.detail}
        return where or (self.detail or "")


@dataclass(frozen=True)
class Issue:
    template: str  # English template, marked with gettext_noop
    params: dict[str, object] = field(default_factory=dict)
    location: Location = Location()

    def render(self, gettext: Gettext = _identity) -> str:
        """The message in the language ``gettext`` gives, prefixed by where the issue is."""
        message = _format(gettext, self.template, self.params)
        where = self.location.render(gettext)
        if not where:
            return message
        return _format(gettext, m.LOCATED_MESSAGE, {"where": where, "message": message})


def _format(gettext: Gettext, template: str, params: dict[str, object]) -> str:
    # A broken translation must not turn a validation message into a server error.
    try:
        return gettext(template) % params
    except (KeyError, ValueError, TypeError):
        return template % params


class MapDocumentError(ValueError):
    """A map document, a layer or a file that cannot be accepted; ``issues`` says why."""

    def __init__(self, issues: list[Issue]) -> None:
        if not issues:
            raise ValueError("MapDocumentError needs at least one issue")
        self.issues = list(issues)
        super().__init__("; ".join(self.messages()))

    def messages(self, gettext: Gettext = _identity) -> list[str]:
        return [issue.render(gettext) for issue in self.issues]


class IssueCollector:
    """Collects issues, raising once ``MAX_ISSUES`` are found so checking never runs on."""

    def __init__(self, error_class: type[MapDocumentError] = MapDocumentError) -> None:
        self.issues: list[Issue] = []
        self.error_class = error_class

    def add(self, template: str, location: Location = Location(), **params: object) -> None:
        self.issues.append(Issue(template, params, location))
        if len(self.issues) >= MAX_ISSUES:
            stop = Issue(m.MORE_ISSUES, {"count": len(self.issues)})
            raise self.error_class([*self.issues, stop])

    def raise_if_any(self) -> None:
        if self.issues:
            raise self.error_class(self.issues)
