"""What a printed value becomes in a rendered part: cleaned, escaped, or refused.

Pure: no I/O. Every ``{{ … }}`` of a thidua template prints through :func:`print_value`, which
the code generator of :mod:`pipeline.documents.limits` calls in place of Jinja's
``escape(environment.finalize(value))``; it gives the same text. :func:`clean_value` is the
``finalize`` step (also Jinja's ``finalize`` hook, for constants folded at compile time), and
markupsafe's escaping the second.

A value that carries its own markup (``Markup``, docxtpl's ``RichText`` and ``Listing``: an
``__html__`` method) is inserted as it is: it may hold raw XML, so it is reported to the
document's budget (:func:`pipeline.documents.limits.mark_raw`) and the engine then parses the
part strictly. Any other value comes out as escaped text, which cannot break the XML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup, escape

from pipeline.documents.filtering import refuse_undefined
from pipeline.documents.limits import mark_raw

try:  # markupsafe ≥ 3: the escaping itself, without making a Markup object
    from markupsafe import _escape_inner as _escape_text  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older markupsafe

    def _escape_text(s: str, /) -> str:
        return str(escape(s))


_CLEAN_TRIGGER = re.compile("[\x00-\x06\x08\x0b\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_INVALID = re.compile("[\x00-\x06\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NUMBERS = frozenset({int, float, Decimal})  # exactly these types: their text is plain digits


class ValueRejected(ValueError):
    """A context value that cannot be put in a document (``None``, an image, a sub-document)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def clean_value(value: object) -> object:
    """Jinja ``finalize`` hook: make a value printable in WordprocessingML, or refuse it.

    Text keeps tab, line feed and docxtpl's listing characters (``\\a`` new paragraph, ``\\f``
    page break). ``\\r\\n`` and ``\\r`` become ``\\n``, and ``\\x0b`` (Word's manual line break,
    found in cells pasted from Word into Excel) becomes ``\\n``, which docxtpl renders as a line
    break. Every other character XML 1.0 forbids (other C0 controls, lone surrogates, U+FFFE,
    U+FFFF) is removed: it is invisible and would make the document unreadable. ``None`` and
    docxtpl's ``InlineImage``/``Subdoc`` are refused with :class:`ValueRejected`; a list or a
    dict holding an undefined value fails as the undefined value (it would print "Undefined").

    >>> clean_value("Cụm\\x0bsố 1\\x00")
    'Cụm\\nsố 1'
    >>> clean_value("R&D <kiểm tra>")
    'R&D <kiểm tra>'
    >>> clean_value(8.5)
    8.5
    """
    if isinstance(value, str):
        if _CLEAN_TRIGGER.search(value) is None:
            return value
        text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
        text = _XML_INVALID.sub("", text)
        return Markup(text) if isinstance(value, Markup) else text
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        refuse_undefined((value,))
        return value
    if value is None:
        raise ValueRejected(
            "Một giá trị cần in ra đang trống (None)",
            "Bổ sung dữ liệu; nếu được để trống, trong mẫu viết {{ bien or '' }} hoặc "
            "{% if bien %}…{% endif %}.",
        )
    kind = type(value)
    if kind.__module__.startswith("docxtpl") and kind.__name__ in ("InlineImage", "Subdoc"):
        raise ValueRejected(
            f"thidua chưa hỗ trợ giá trị {kind.__name__} của docxtpl",
            "Đặt ảnh hoặc nội dung cố định thẳng vào mẫu Word.",
        )
    return value


def print_value(value: object) -> str:
    """The text ``{{ value }}`` writes into the part: ``str(escape(clean_value(value)))``.

    The values a document prints most (plain text, whole numbers, ``Decimal``) take a short
    way with the same result: a ``str`` whose characters are all printable (so that
    :func:`clean_value` keeps it as it is: everything it changes is a control character, a
    lone surrogate or a non-character, none of them printable) is only escaped, and the text of
    an ``int``, ``float`` or ``Decimal`` holds nothing to escape or clean. Anything else goes the
    long way, and a value with its own markup is reported as raw output (:func:`mark_raw`).

    >>> print_value("R&D <kiểm tra>")
    'R&amp;D &lt;kiểm tra&gt;'
    >>> print_value(Decimal("8.50")), print_value(2013)
    ('8.50', '2013')
    >>> print_value("Cụm\\x0bsố 1")
    'Cụm\\nsố 1'
    """
    if type(value) is str:
        if value.isprintable():
            return _escape_text(value)
    elif type(value) in _NUMBERS:
        return str(value)
    return _print_any(value)


#: :func:`print_value` of a ``str`` whose characters are all printable (the caller checked
#: ``text.isprintable()``): only escaped. It is markupsafe's own function, not a wrapper: the
#: compiled templates call it for most printed texts.
escape_printable: Callable[[str], str] = _escape_text


def _print_any(value: object) -> str:
    cleaned = clean_value(value)
    if hasattr(cleaned, "__html__"):
        mark_raw()
    return str(escape(cleaned))
