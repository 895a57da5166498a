"""The XML of a workbook part, read fast and exactly as streaming reads it.

Pure: no I/O, no openpyxl. :func:`elements` gives the elements of one local name (``row``,
``si``) the way :func:`xml.etree.ElementTree.iterparse` gives them, but parses a part of a few
megabytes whole, in C, when that gives the same elements in the same order; :func:`local` is
:func:`~pipeline.workbook.xlsx_package.local_name` remembered; :func:`string_text` is the text of
a shared or inline string and :func:`decode_escapes` Excel's ``_xHHHH_`` escapes (ECMA-376 Part
1, §18.4, §22.9.2.19).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from pipeline.workbook.xlsx_package import local_name

__all__ = ["LOCAL_NAMES", "decode_escapes", "elements", "local", "string_text"]


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_escapes(text: str) -> str:
    """Text as Excel shows it: each ``_xHHHH_`` is the character U+HHHH (ECMA-376 Part 1,
    §22.9.2.19 ST_Xstring), read left to right, so ``_x005F_`` before an escape keeps it
    literal; escaped UTF-16 surrogate pairs give one character, a lone surrogate ``�``.

    >>> decode_escapes("Dòng 1_x000D_\\nDòng 2"), decode_escapes("_x005F_x000D_")
    ('Dòng 1\\r\\nDòng 2', '_x000D_')
    >>> decode_escapes("a_x0009_b_xD83D__xDE00_")
    'a\\tb😀'
    """
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= ch <= "\udfff" for ch in decoded):
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return decoded


#: Tag → its local name (:func:`~pipeline.workbook.xlsx_package.local_name`), remembered: a
#: workbook's parts use a handful of tags, met hundreds of thousands of times.
LOCAL_NAMES: dict[str, str] = {}


def local(tag: str) -> str:
    """The local name of ``tag``, remembered (see :data:`LOCAL_NAMES`)."""
    name = LOCAL_NAMES.get(tag)
    if name is None:
        name = local_name(tag)
        if len(LOCAL_NAMES) < 4096:  # a hostile part's made-up tags are not remembered
            LOCAL_NAMES[tag] = name
    return name


def string_text(node: ET.Element) -> str:
    """The text of a shared or inline string (``si``/``is``): its ``t``, or its runs' ``t``,
    without the phonetic guides (``rPh``)."""
    if len(node) == 1:  # the usual case: one ``t``
        child = node[0]
        tag = child.tag
        if (LOCAL_NAMES.get(tag) or local(tag)) == "t":
            return decode_escapes(child.text or "")
    parts: list[str] = []
    for child in node:
        name = local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts += [t.text or "" for t in child if local(t.tag) == "t"]
    return decode_escapes("".join(parts))


#: Parts up to this size are parsed whole (in C, much faster than streaming them element by
#: element); larger ones are streamed, so a large hostile part never becomes one large tree.
_WHOLE_PART = 4 * 1024 * 1024


def elements(xml: bytes, name: str) -> Iterator[ET.Element]:
    """The elements called ``name`` (in any namespace) of ``xml``, in the order of their end
    tags, each cleared once the caller has it, exactly as :func:`ET.iterparse` gives them.

    A part of at most :data:`_WHOLE_PART` bytes is parsed whole first; when it is not
    well-formed (the error, or the elements before it, must come as streaming gives them) or an
    element called ``name`` holds another (their end order is not document order), it is
    streamed instead, so what the caller sees is the same either way.
    """
    if len(xml) <= _WHOLE_PART:
        try:
            root = ET.fromstring(xml)
        except ET.ParseError:
            pass
        else:
            found = _found_whole(root, xml, name)
            if found is not None:
                for node in found:
                    yield node
                    node.clear()
                return
    for _, node in ET.iterparse(io.BytesIO(xml)):
        if local(node.tag) == name:
            yield node
            node.clear()


def _found_whole(root: ET.Element, xml: bytes, name: str) -> list[ET.Element] | None:
    """The elements called ``name`` of the parsed part, in document order, when that is their
    end order too: all of them in the root's namespace and none inside another; ``None``
    otherwise. Without ``<!`` (no DTD, so no entity that expands to elements, no comment, no
    CDATA), each element has its own start tag in the bytes, so as many start tags of that
    local name as elements in the root's namespace means there are no others (a processing
    instruction holding such text only makes it give up)."""
    if b"<!" in xml:
        return None
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    tag = namespace + name
    found = list(root.iter(tag))
    if not _only_these(xml, name.encode(), len(found)):
        return None
    if sum(1 for node in found for _ in node.iter(tag)) != len(found):
        return None
    return found


def _only_these(xml: bytes, name: bytes, found: int) -> bool:
    """Whether the part (without ``<!``) has exactly ``found`` start tags of local name
    ``name``: without a prefixed one (``:name``), each is ``<name``, and the count of ``<name``
    (which also counts longer names that start so) settles it unless it is larger; then a
    regular expression counts them exactly (slower, and seldom needed)."""
    if b":" + name not in xml and xml.count(b"<" + name) == found:
        return True
    starts = _START_TAGS.get(name)
    if starts is None:
        starts = _START_TAGS[name] = re.compile(rb"<(?:[^\s<>/!?]*:)?%s[\s/>]" % name)
    return len(starts.findall(xml)) == found


_START_TAGS: dict[bytes, re.Pattern[bytes]] = {}
