"""The render engine's shortcuts give what the long way gives.

Each shortcut of :mod:`pipeline.documents` (printing a value in one call, skipping the strict
parse of a part proven well-formed, docxtpl's ``resolve_listing`` re-implemented, a dict's field
read at once) is compared here with the long way it replaces, on the values and templates where
they could differ.
"""

from __future__ import annotations

import io
import random
import zipfile
from decimal import Decimal
from typing import Any

import docx
import pytest
from docxtpl import DocxTemplate, Listing, RichText
from lxml import etree
from markupsafe import Markup, escape
from template_files import with_members

from pipeline.documents.engine import CompiledTemplate, make_environment
from pipeline.documents.finishing import resolve_listing
from pipeline.documents.printing import clean_value, print_value
from pipeline.documents.xmlsafe import well_formed_whatever_the_values
from pipeline.errors import ThiduaError
from pipeline.resources import bundled_templates_dir

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HOSTILE = "a&b <c> \"d\" 'e' ]]> &amp; <w:p> </w:t> \x01\x0b\r\n\t x\ud800y \ufffe"


def _template(body: str) -> bytes:
    """A .docx whose body is ``body`` (raw WordprocessingML, tags included)."""
    document = docx.Document()
    document.add_paragraph("MARK")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    start = xml.index("<w:p>")
    end = xml.index("</w:p>", start) + len("</w:p>")
    xml = xml[:start] + body + xml[end:]
    return with_members(data, {"word/document.xml": xml.encode("utf-8")})


def _body(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


# --- printing a value ---------------------------------------------------------------------------


class _Text(str):
    """A ``str`` subclass without markup."""


_PRINTED: list[object] = [
    "Cụm thi đua số 5",
    "R&D <kiểm tra> \"x\" 'y'",
    HOSTILE,
    "Dòng 1\nDòng 2\tcột\aĐoạn\fmới",
    "",
    _Text("a<b"),
    Markup("<w:br/>"),
    Markup("a\x0bb\x00"),
    0,
    -12,
    10**25,
    8.5,
    float("nan"),
    float("-inf"),
    Decimal("8.50"),
    Decimal("-0"),
    Decimal("1E+3"),
    True,
    [1, "a<b"],
    ("x",),
    {"a": "<b>"},
    RichText("đậm", bold=True),
    Listing("a\nb"),
]


@pytest.mark.parametrize("value", _PRINTED, ids=repr)
def test_a_value_prints_as_escape_of_finalize(value: object) -> None:
    assert print_value(value) == str(escape(clean_value(value)))


def test_print_value_is_what_the_template_writes() -> None:
    env = make_environment()
    template = env.from_string("<p>{{ v }}</p>")
    for value in _PRINTED:
        assert template.render(v=value) == "<p>" + str(escape(clean_value(value))) + "</p>"


# --- the strict parse, skipped only where it cannot fail ----------------------------------------


def _doc(inner: str, root: str = "w:document") -> str:
    """A part whose root element declares the ``w`` namespace, holding ``inner``."""
    return f'<{root} xmlns:w="{W_NS}">{inner}</{root}>'


_PROVEN = [
    _doc("<w:body><w:p><w:r><w:t>{{ x }}</w:t></w:r></w:p></w:body>"),
    _doc('<w:p w:rsidR="{{ x }}">{% for i in xs %}<w:r><w:t>{{ i }}</w:t></w:r>{% endfor %}</w:p>'),
    _doc("{% if x %}<w:p>{{ x }}</w:p>{% else %}<w:p/>{% endif %}"),
]

_NOT_PROVEN = {
    "if opens an element": _doc("{% if x %}<w:p>{% endif %}</w:p>"),
    "loop leaves an element open": _doc("{% for i in xs %}<w:p>{% endfor %}"),
    "value as an element name": _doc("<{{ x }}/>"),
    "value in a start tag": _doc("<w:p {{ x }}/>"),
    "value outside the root": _doc("") + "{{ x }}",
    "value in a namespace": '<w:document xmlns:w="{{ x }}"/>',
    "autoescape off": _doc("{% autoescape false %}{{ x }}{% endautoescape %}"),
    "filter block": _doc("{% filter upper %}{{ x }}{% endfilter %}"),
    "undeclared prefix": "<w:document>{{ x }}</w:document>",
    "attribute twice": f'<w:document xmlns:w="{W_NS}" w:a="1" w:a="{{{{ x }}}}"/>',
    "comment": _doc("<!-- {{ x }} -->"),
    "raw > in text": _doc("a > {{ x }}"),
    "bad reference": _doc("&nbsp;{{ x }}"),
}


def _proven(source: str) -> bool:
    env = make_environment()
    from jinja2 import nodes

    return well_formed_whatever_the_values(env.parse(source), nodes.EvalContext(env, "x"))


@pytest.mark.parametrize("source", _PROVEN)
def test_proven_sources_render_well_formed_whatever_the_values(source: str) -> None:
    assert _proven(source)
    template = make_environment().from_string(source)
    rng = random.Random(13)
    for _ in range(50):
        text = "".join(rng.choice(HOSTILE) for _ in range(rng.randrange(12)))
        value: object = rng.choice([text, 0, Decimal("1.5"), [text], {"k": text}])
        etree.fromstring(template.render(x=value, xs=[value, text]).encode("utf-8"))


@pytest.mark.parametrize("source", list(_NOT_PROVEN.values()), ids=list(_NOT_PROVEN))
def test_sources_that_may_break_are_not_proven(source: str) -> None:
    assert not _proven(source)


def test_bundled_templates_are_proven_so_their_parse_is_skipped() -> None:
    """The shortcut applies to the documents thidua makes (else it would be dead code)."""
    for path in sorted(bundled_templates_dir().glob("*.docx")):
        compiled = CompiledTemplate.compile(path)
        body = next(p for p in compiled._analysis.parts if p.name == "word/document.xml")
        assert body.proven, path.name


_BROKEN_VALUES = {
    "safe": ("<w:r><w:t>{{ x | safe }}</w:t></w:r>", {"x": "<w:b>"}),
    "markup": ("<w:r><w:t>{{ x }}</w:t></w:r>", {"x": Markup("</w:t>")}),
    "rich text": ("<w:r><w:t>{{ x }}</w:t></w:r>", {"x": RichText("a")}),
    "macro": ("<w:r>{% macro m() %}</w:r><w:r>{% endmacro %}<w:t>{{ m() }}</w:t></w:r>", {}),
    # docxtpl's \a and \f are expanded inside <w:t> only: anywhere else they stay, and XML
    # forbids them.
    "listing outside text": ("<w:r><w:instrText>{{ x }}</w:instrText></w:r>", {"x": "a\ab"}),
    "listing in an attribute": ('<w:r w:rsidR="{{ x }}"><w:t>t</w:t></w:r>', {"x": "a\fb"}),
}


@pytest.mark.parametrize(
    ("runs", "context"), list(_BROKEN_VALUES.values()), ids=list(_BROKEN_VALUES)
)
def test_values_that_break_the_xml_are_still_caught(runs: str, context: dict[str, Any]) -> None:
    compiled = CompiledTemplate.compile(_template(f"<w:p>{runs}</w:p>"), name="mau.docx")
    try:
        data = compiled.render(context)
    except ThiduaError as exc:
        assert [p.code for p in exc.problems] == ["template-xml"]
    else:  # RichText whose XML happens to fit: then the output must parse
        etree.fromstring(_body(data))


# --- resolve_listing ----------------------------------------------------------------------------


def _listing_parts() -> list[str]:
    """Every templated part of the bundled templates, with listing characters put into random
    texts, runs and paragraphs of every kind (properties, attributes, several texts a run)."""
    rng = random.Random(2013)
    parts = []
    for path in sorted(bundled_templates_dir().glob("*.docx")):
        archive = zipfile.ZipFile(path)
        for name in archive.namelist():
            if not name.startswith("word/") or not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8")
            if "<w:t" not in xml:
                continue
            for _ in range(5):
                pieces = xml.split("</w:t>")
                for i in range(len(pieces) - 1):
                    if rng.random() < 0.3:
                        pieces[i] += rng.choice(["\n", "\t", "\a", "\f", "a\nb\tc\ad\fe", "\n\n"])
                parts.append("</w:t>".join(pieces))
    return parts


def test_resolve_listing_is_docxtpls() -> None:
    theirs = DocxTemplate(io.BytesIO())
    parts = _listing_parts()
    assert len(parts) > 20
    for xml in parts:
        assert resolve_listing(xml) == theirs.resolve_listing(xml)


# --- a dict's field ------------------------------------------------------------------------------


def test_dict_fields_read_like_the_sandbox() -> None:
    env = make_environment()
    record = {"ten": "Đơn vị A", "keys": "chữ", "__class__": "x"}
    assert env.from_string("{{ d.ten }}").render(d=record) == "Đơn vị A"
    # an attribute a dict has is the attribute (Jinja's rule), not the item
    assert env.from_string("{{ d.keys is callable }}").render(d=record) == "True"
    assert env.from_string("{{ d['keys'] }}").render(d=record) == "chữ"

    class Record(dict[str, object]):
        ten = "thuộc tính"

    assert env.from_string("{{ d.ten }}").render(d=Record(ten="mục")) == "thuộc tính"
    with pytest.raises(Exception, match="thieu"):
        env.from_string("{{ d.thieu }}").render(d=record)
