"""XML read with caps that hold while parsing, and text made fit for the XML we write.

Reading goes through defusedxml with DTDs refused (so entities and external references never
resolve), and stops as soon as elements are nested too deeply or a counted element is too
frequent: a hostile file is refused before its tree is built, in time linear in what was read.

Writing: XML 1.0 cannot hold most control characters, U+FFFE, U+FFFF nor lone surrogates, not
even escaped; ``xml_text`` removes them from every text and attribute value our writers emit,
so the output is always well-formed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # the tree and its C builder; parsing goes through defusedxml
from collections.abc import Callable, Collection

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from wagtail_umap.core import messages as m
from wagtail_umap.core.errors import Issue
from wagtail_umap.core.validation import Limits

# Elements may nest this many times ``Limits.max_depth``. A backstop far above what the readers
# check themselves, with messages that name the placemark or the folder (KML folders and
# multi-geometries: ``max_depth`` each), so that those come first on any file but a hostile one.
XML_DEPTH_FACTOR = 8
# Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF].
XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (a writer cannot escape them)."""
    return XML_FORBIDDEN_RE.sub("", value)


class XmlTooDeep(Exception):
    """More elements open at once than allowed (``nested``: only of the capped kinds)."""

    def __init__(self, line: int, column: int, open_elements: list[ET.Element], nested: bool):
        super().__init__(line, column)
        self.line, self.column = line, column
        self.open_elements, self.nested = open_elements, nested


class XmlTooMany(Exception):
    """More counted elements than allowed; ``count`` is the number read when parsing stopped."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


_NESTED, _COUNTED, _DROPPED, _TEXT = 1, 2, 4, 8


class _CappedParser(DefusedXMLParser):
    """defusedxml's parser building a C ElementTree, counting as it goes (see ``parse``)."""

    def __init__(
        self,
        *,
        max_depth: int,
        nested: Collection[str],
        max_nested: int,
        counted: Collection[str],
        max_count: int,
        count_depth: int | None,
        each_child: Callable[[ET.Element], None] | None = None,
        kept: Collection[str] | None = None,
        texts: Collection[str] = (),
    ) -> None:
        super().__init__(target=ET.TreeBuilder(), forbid_dtd=True)
        self.each_child = each_child
        self.kept_names = None if kept is None else frozenset(kept)
        self.text_names = frozenset(texts)
        self.texts_open = 0  # open elements of ``texts``: nothing inside them is dropped
        self.max_depth, self.max_nested, self.max_count = max_depth, max_nested, max_count
        self.nested_names, self.counted_names = frozenset(nested), frozenset(counted)
        self.count_depth = count_depth
        self.open: list[ET.Element] = []
        self.nested_open = self.count = 0
        self.tags: dict[str, tuple[str, int]] = {}  # see _tag

    def _tag(self, name: str) -> tuple[str, int]:
        """The local name of expat's ("namespace}local", or "local") and its kind, cached."""
        local = name.rpartition("}")[2]
        kind = (
            (_NESTED if local in self.nested_names else 0)
            | (_COUNTED if local in self.counted_names else 0)
            | (_DROPPED if self.kept_names is not None and local not in self.kept_names else 0)
            | (_TEXT if local in self.text_names else 0)
        )
        self.tags[name] = entry = (local, kind)
        return entry

    # expat's handlers, once per element: kept short, they are most of the parsing time.

    def _start(self, tag: str, attr_list: list) -> ET.Element:
        attrib = {}
        if attr_list:  # ordered_attributes: name, value, name, value…
            attrib = dict(zip(attr_list[0::2], attr_list[1::2], strict=True))
            if "}" in "".join(attrib):  # expat's "uri}name" is ElementTree's "{uri}name"
                fixname = self._fixname
                attrib = {fixname(name): value for name, value in attrib.items()}
        name, kind = self.tags.get(tag) or self._tag(tag)
        element = self.target.start(name, attrib)
        stack = self.open
        stack.append(element)
        if len(stack) > self.max_depth:
            self._too_deep(nested=False)
        if kind & (_NESTED | _COUNTED):
            self._count(kind)
        if kind & _TEXT:
            self.texts_open += 1
        return element

    def _end(self, tag: str) -> ET.Element:
        stack = self.open
        stack.pop()
        name, kind = self.tags[tag]
        if kind & _NESTED:
            self.nested_open -= 1
        if kind & _TEXT:
            self.texts_open -= 1
        element = self.target.end(name)
        if kind & _DROPPED and stack and not self.texts_open and not len(element):
            del stack[-1][-1]  # its parent's last child: the one that just ended
        elif self.each_child is not None and len(stack) == 1:
            self.each_child(element)
            del stack[0][-1]  # the root's last child: the one that just ended
        return element

    def _count(self, kind: int) -> None:
        if kind & _NESTED:
            self.nested_open += 1
            if self.nested_open > self.max_nested:
                self._too_deep(nested=True)
        if kind & _COUNTED and self.count_depth in (None, len(self.open)):
            self.count += 1
            if self.count > self.max_count:
                raise XmlTooMany(self.count)

    def _too_deep(self, *, nested: bool) -> None:
        line, column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
        raise XmlTooDeep(line, column, list(self.open), nested)


def parse_capped(
    data: bytes,
    limits: Limits,
    *,
    counted: Collection[str],
    count_depth: int | None = None,
    nested: Collection[str] = (),
    nested_issue: Callable[[XmlTooDeep], Issue] | None = None,
    each_child: Callable[[ET.Element], None] | None = None,
    kept: Collection[str] | None = None,
    texts: Collection[str] = (),
) -> ET.Element:
    """The root element of an XML file (KML, GPX, GeoRSS) read with ``parse`` (DTDs refused:
    such files never need one, and that stops every entity trick), each refusal a located
    ``FormatError`` with the same words for every format.

    Elements nest at most ``XML_DEPTH_FACTOR * limits.max_depth`` deep; the ``counted`` ones
    (features) are at most ``limits.max_features``; the ``nested`` ones (KML folders) at most
    ``limits.max_depth + 1`` deep, refused with the issue ``nested_issue`` makes (it names
    them). ``count_depth``, ``each_child``, ``kept`` and ``texts``: see ``parse``.
    """
    from wagtail_umap.formats import FormatError  # the package imports its readers lazily

    depth = XML_DEPTH_FACTOR * limits.max_depth
    try:
        return parse(
            data,
            max_depth=depth,
            nested=nested,
            max_nested=limits.max_depth + 1,  # a top Document is no folder
            counted=counted,
            max_count=limits.max_features,
            count_depth=count_depth,
            each_child=each_child,
            kept=kept,
            texts=texts,
        )
    except defusedxml.DefusedXmlException as error:  # DTD, entities, external references
        raise FormatError([Issue(m.XML_FORBIDDEN)]) from error
    except ET.ParseError as error:
        line, column = error.position
        raise FormatError([Issue(m.XML_NOT_XML, {"line": line, "column": column + 1})]) from error
    except XmlTooDeep as error:
        if error.nested and nested_issue is not None:
            raise FormatError([nested_issue(error)]) from None
        params = {"limit": depth, "line": error.line, "column": error.column}
        raise FormatError([Issue(m.XML_TOO_DEEP, params)]) from None
    except XmlTooMany as error:
        params = {"value": error.count, "limit": limits.max_features}
        raise FormatError([Issue(m.TOO_MANY_FEATURES, params)]) from None


def parse(
    data: bytes,
    *,
    max_depth: int,
    nested: Collection[str] = (),
    max_nested: int = 0,
    counted: Collection[str] = (),
    max_count: int = 0,
    count_depth: int | None = None,
    each_child: Callable[[ET.Element], None] | None = None,
    kept: Collection[str] | None = None,
    texts: Collection[str] = (),
) -> ET.Element:
    """The root element of ``data``, read with defusedxml (DTDs refused).

    Elements are named by their local name, without namespace (KML 2.2, Google's 2.x and none
    read alike), so that ElementTree's ``find``, ``findall`` and ``iter`` select them in C.

    Raises, as soon as it is read, ``XmlTooDeep`` for an element inside ``max_depth`` others,
    or for more than ``max_nested`` open elements named in ``nested``; ``XmlTooMany`` for more
    than ``max_count`` elements named in ``counted`` (only at depth ``count_depth``, the root
    being 1, when given). Otherwise the errors of defusedxml's ``fromstring``
    (``DefusedXmlException``, ``ParseError``).

    ``each_child``, when given, is called with each child of the root as soon as it is whole,
    and the child is then taken out of the tree: the tree never holds more than one of them
    (an ElementTree costs about 80 bytes an element, several times the file's size), and the
    root comes back without them. An exception it raises stops the parsing. ``kept``, when
    given, names the elements a reader looks at: any other leaves the tree as soon as it ends,
    unless something kept is left inside it or it is inside one of ``texts`` (elements whose
    text is read with their descendants'), so that unknown elements cost no memory and what is
    read is the same.
    """
    parser = _CappedParser(
        max_depth=max_depth,
        nested=nested,
        max_nested=max_nested,
        counted=counted,
        max_count=max_count,
        count_depth=count_depth,
        each_child=each_child,
        kept=kept,
        texts=texts,
    )
    parser.feed(data)
    return parser.close()
