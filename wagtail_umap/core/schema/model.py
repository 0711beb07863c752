"""The shape of one option declaration (pure Python, no Django).

An ``Option`` says everything the project needs to know about one key of the map document:
its type, default, bounds or choices, the English label and help text an editor reads (marked
with ``gettext_noop``), the message a bad value gets, whether it inherits map → layer →
feature, and how it travels to and from uMap (``UmapLink``). Validation, the ``.umap`` reader
and writer, the viewer's defaults, the editor's field descriptions and the docs read these
declarations; none of them lists options of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass


class _Missing:
    """No value: a uMap file without the option, or a value we cannot use."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()

# Where an option lives in the map document. A scope is a JSON object of the document; its
# options are that object's keys.
SCOPES = {
    "document": "the map document (top level)",
    "map": "options",
    "controls": "options.controls",
    "licence": "options.licence",
    "slideshow": "options.slideshow",
    "layer": "layers[]",
    "style": "options.style, layers[].style, properties._style",
    "representation": "layers[].representation",
    "category": "layers[].representation.categories[]",
    "filter": "layers[].filters[]",
    "rule": "options.rules[], layers[].rules[]",
    "feature": "layers[].features[].properties",
    "media": "layers[].features[].properties._media",
    "data": "layers[].data",
    "group": "groups[]",
}

# What the .umap reader does with a uMap option (docs/formats.md shows it per option).
APPLIED = "applied"  # read into the same option of ours, shown as uMap shows it
CONVERTED = "converted"  # read into an option of ours that differs in shape or values
KEPT = "kept"  # not shown here; kept verbatim and written back (the round trip)
NOT_SUPPORTED = "not supported"  # kept and written back, but never used, on purpose

# Option types (the editor picks a widget from it; validation a checker).
TYPES = (
    "text",  # a string; ``max_length``
    "boolean",
    "integer",  # a whole number; ``min``/``max``
    "number",  # a number; ``min``/``max``
    "choice",  # one of ``choices``
    "colour",  # a CSS colour
    "dash",  # numbers separated by commas or spaces (a line pattern)
    "key",  # a short identifier (``pattern``)
    "url",  # an http(s) address
    "position",  # {"lat", "lng"}
    "object",  # a JSON object with options of its own scope (``of``)
    "list",  # a list of objects of the scope ``of``
    "json",  # any JSON object, kept as it is
)


@dataclass(frozen=True)
class UmapLink:
    """How one of our options travels to and from a uMap file.

    ``read(options)`` takes the uMap options of the same place (the map's ``properties``, a
    layer's options, a feature's ``_umap_options``) and returns our value, or ``MISSING`` when
    the file has none we can use. ``write(value, ours)`` returns the uMap keys for our value
    (``ours`` is the whole object the option belongs to, for options whose uMap form depends on
    a neighbour); it returns nothing for the value an absent key means, so that a backup holds
    no value its source did not have. ``keys`` are the uMap keys the option reads and writes:
    the reader does not keep them as "unsupported", the writer replaces them.
    """

    keys: tuple[str, ...]
    read: Callable[[dict], object]
    write: Callable[[object, dict], dict]
    status: str = APPLIED
    note: str = ""  # for docs/formats.md: what is converted, or why not
    legacy: tuple[str, ...] = ()  # older uMap names, read too (listed in the docs)
    # A value ``read`` cannot use is kept without a note (uMap itself ignores it there).
    quiet: bool = False
    # uMap's own values are always kept beside ours (a representation: uMap's settings of
    # its type stay as they came, and go back unless an editor changes the representation).
    keep: bool = False


@dataclass(frozen=True)
class Option:
    """One key of the map document."""

    scope: str
    key: str
    type: str
    label: str  # English, gettext_noop
    help: str = ""  # English, gettext_noop
    default: object = None
    nullable: bool = False  # null is a value of its own (e.g. "no centre: fit the data")
    required: bool = False
    min: float | None = None
    max: float | None = None
    step: float | None = None  # the editor's step (display only)
    max_length: int | None = None  # characters (text), or items (list)
    choices: tuple = ()
    choice_labels: tuple[str, ...] = ()  # one English label a choice, gettext_noop
    pattern: str | None = None  # a regular expression the whole value matches
    of: str | None = None  # the scope of an object's or a list's items
    # ``sparse``: the full form leaves the key out while it holds its default. Every option
    # added after the first release is sparse, so documents saved before it (and their digests
    # and revisions) stay exactly as they were.
    sparse: bool = False
    inherits: bool = False  # map → layer → feature, as uMap's "inheritable" options
    umap: UmapLink | None = None
    message: str | None = None  # the template of a bad value's message (messages.py)
    field: str | None = None  # the name messages show, when it is not ``key``
    editor: bool = True  # an editor sets it (else: set by the system, or by a file)
    representations: tuple[str, ...] = ()  # scope "representation": the types that use it
    unit: str = ""  # English, gettext_noop: what the number counts ("pixels", "seconds")
    extra: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        """``scope.key``: unique across the schema."""
        return f"{self.scope}.{self.key}"

    @property
    def shown_name(self) -> str:
        return self.field or self.key
