"""The last steps of a rendered part: docxtpl's post-processing, and the strict XML check.

Pure: no I/O. docxtpl rewrites every rendered part (``DocxTemplate.render_xml_part`` and
``render``): it un-escapes ``{_{ }_}``, expands its *listing* characters in text (``\\n`` a line
break, ``\\t`` a tab, ``\\a`` a new paragraph, ``\\f`` a page break: ``resolve_listing``), and for
the main document fixes table grids (``fix_tables``) and renumbers drawing ids
(``fix_docpr_ids``). :func:`post_process` does the first two, each only when it can change
something; :func:`finished` parses the part strictly when asked (broken XML raises
:class:`lxml.etree.XMLSyntaxError`: it is reported, never silently repaired) and applies the
two fixes when the template needs them.

:func:`resolve_listing` is docxtpl 0.20's ``resolve_listing``, the same regular expressions in
the same order (a test compares the two over many parts; a paragraph or run without a listing
character is left as it is, which is what the replacements do to it), so that rendering a
document does not import docxtpl and python-docx (about 60 ms) for it. The table and drawing-id
fixes, which only templates with ``{%tc %}``, ``colspan``, ``{% hm %}`` or pictures need, still
call docxtpl's own code.
"""

from __future__ import annotations

import functools
import io
import re
from typing import Any

from lxml import etree

_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_LISTING = (b"\n", b"\t", b"\a", b"\f")  # docxtpl's listing characters in values

_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", flags=re.DOTALL)
_PARAGRAPH_PROPERTIES = re.compile(r"<w:pPr>.*?</w:pPr>")
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", flags=re.DOTALL)
_RUN_PROPERTIES = re.compile(r"<w:rPr>.*?</w:rPr>")
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", flags=re.DOTALL)
_ANY_LISTING = re.compile("[\n\t\a\f]")


def post_process(data: bytes) -> tuple[bytes, bool]:
    """docxtpl's post-processing of a rendered part (its UTF-8 bytes), each step only when it
    can change something; and whether the strict parse is needed: listing characters were
    expanded (the XML changed shape) or some are left where docxtpl does not expand them.

    The checks look for single bytes (``memchr`` speed); the ``\\n`` docxtpl puts before each
    ``<w:p`` was already taken out of the compiled template (``analysis._drop_line_breaks``).
    """
    if (b"{" in data or b"}" in data) and (b"{_" in data or b"_}" in data):
        data = data.replace(b"{_{", b"{{").replace(b"}_}", b"}}").replace(b"{_%", b"{%")
        data = data.replace(b"%_}", b"%}")
    if any(char in data for char in _LISTING):
        resolved = resolve_listing(data.decode("utf-8")).encode("utf-8")
        # \a and \f are expanded only in a run's text; anywhere else they stay, and XML 1.0
        # forbids them: the part must then be parsed (and reported) too.
        return resolved, resolved != data or b"\a" in resolved or b"\f" in resolved
    return data, False


def resolve_listing(xml: str) -> str:
    """docxtpl's ``DocxTemplate.resolve_listing``: in each run's text, ``\\t`` becomes a tab
    run, ``\\a`` a new paragraph, ``\\n`` a line break and ``\\f`` a page break, the paragraph's
    and run's properties carried over.

    >>> resolve_listing('<w:p><w:r><w:t>a\\nb</w:t></w:r></w:p>')
    '<w:p><w:r><w:t>a</w:t><w:br/><w:t xml:space="preserve">b</w:t></w:r></w:p>'
    """

    def resolve_text(run_properties: str, paragraph_properties: str, match: re.Match[str]) -> str:
        xml = match.group(0).replace(
            "\t",
            "</w:t></w:r>"
            f"<w:r>{run_properties}<w:tab/></w:r>"
            f'<w:r>{run_properties}<w:t xml:space="preserve">',
        )
        xml = xml.replace(
            "\a",
            "</w:t></w:r></w:p>"
            f'<w:p>{paragraph_properties}<w:r>{run_properties}<w:t xml:space="preserve">',
        )
        xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
        return xml.replace(
            "\f",
            "</w:t></w:r></w:p>"
            '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
            f'<w:p>{paragraph_properties}<w:r>{run_properties}<w:t xml:space="preserve">',
        )

    def resolve_run(paragraph_properties: str, match: re.Match[str]) -> str:
        run = match.group(0)
        if _ANY_LISTING.search(run) is None:  # nothing to replace: the run as it is
            return run
        found = _RUN_PROPERTIES.search(run)
        run_properties = found.group(0) if found else ""
        return _TEXT.sub(lambda text: resolve_text(run_properties, paragraph_properties, text), run)

    def resolve_paragraph(match: re.Match[str]) -> str:
        paragraph = match.group(0)
        if _ANY_LISTING.search(paragraph) is None:  # most paragraphs: nothing to replace
            return paragraph
        found = _PARAGRAPH_PROPERTIES.search(paragraph)
        paragraph_properties = found.group(0) if found else ""
        return _RUN.sub(lambda run: resolve_run(paragraph_properties, run), paragraph)

    return _PARAGRAPH.sub(resolve_paragraph, xml)


def finished(data: bytes, *, parse: bool, fix_tables: bool, fix_docpr_ids: bool) -> bytes:
    """The part's final bytes (with the XML declaration). With ``parse``, or when a fix needs
    the tree, the part is parsed strictly first (:class:`lxml.etree.XMLSyntaxError` if the XML
    is broken); then docxtpl's table and drawing-id fixes are applied if asked."""
    if not (parse or fix_tables or fix_docpr_ids):
        return _DECLARATION + data
    tree = etree.fromstring(data)
    if fix_tables:
        tree = docxtpl_helper().fix_tables(data.decode("utf-8"))
    if fix_docpr_ids:
        type(docxtpl_helper()).fix_docpr_ids(_DocPrCounter(), tree)
    if fix_tables or fix_docpr_ids:
        data = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    return _DECLARATION + data


@functools.cache
def docxtpl_helper() -> Any:
    """A DocxTemplate used only for its XML helpers (it opens nothing; importing docxtpl
    imports python-docx, so this is called only when a helper is needed)."""
    from docxtpl import DocxTemplate

    return DocxTemplate(io.BytesIO())


class _DocPrCounter:
    """What ``DocxTemplate.fix_docpr_ids`` needs of ``self``: a counter starting at 1000."""

    def __init__(self) -> None:
        self.docx_ids_index = 1000
