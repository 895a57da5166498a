"""Find and explain mistakes in docxtpl templates, in Vietnamese, with the paragraph they are in.

Jinja stops at the first syntax error of a template and its messages name a line of a machine-made
XML string. This module works on the same string (one templated part after docxtpl's
``patch_xml``, with ``\\n`` before each ``<w:p``, so a line is about one paragraph) and:

* :func:`unpaired_delimiters` checks, on a part's XML *before* docxtpl patches it, that every
  ``{{``, ``{%`` and ``{#`` closes in its own paragraph and that no ``}}``, ``%}`` or ``#}``
  stands alone: docxtpl strips the XML between a ``{{`` and the next ``}}`` wherever it is, so
  ``{{ cau_xep_hang }`` (one brace deleted) silently swallows the paragraphs up to the next tag.
* :func:`scan_part` walks every tag of the part and follows the ``{% for %}``/``{% if %}``
  nesting and the XML elements around it. It reports every block that opens in one XML element
  and closes in another (``{% if %}`` in a paragraph, ``{% endif %}`` in a table cell), which
  gives broken XML for some data even when Jinja accepts it, and, when Jinja rejects the part,
  every broken tag (each tag is parsed on its own), unknown filter, and unbalanced block.
* :func:`unknown_names` lists every unknown filter and test of a parsed part.
* :func:`explain_syntax_error` translates Jinja's own error, used when the scan found nothing.
* :func:`explain_render_error` translates an error raised while rendering (a missing variable,
  a filter that failed on a value).
* :func:`paragraph_text` gives the text a person sees in Word around a source line.

Every finding has a ``lineno`` in that string, turned into paragraph text by the caller.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from jinja2 import nodes
from jinja2.environment import Environment
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

from pipeline.documents.limits import LimitExceeded, out_of_memory, too_deep

# Jinja tags exactly as docxtpl's patch_xml delimits them, and XML tags between them. A Jinja tag
# inside an XML tag (docxtpl writes ``w:val="{% if loop.first %}…"``) is part of that XML tag.
_TOKEN = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})|<([^<>]*)>", re.DOTALL)
_XML_TAG = re.compile(r"<[^<>]*>")
_NAME = re.compile(r"[A-Za-z_]\w*")

_BLOCKS = frozenset({"for", "if", "with", "filter", "macro", "call", "autoescape", "block", "raw"})
_MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
_DOCXTPL_ROW_TAGS = {
    "tr": "{%tr %} chỉ dùng trong một ô của hàng bảng (nó thay cho cả hàng)",
    "tc": "{%tc %} chỉ dùng trong một ô của bảng (nó thay cho cả ô)",
    "p": "{%p %} phải nằm trong một đoạn văn",
    "r": "{%r %} phải nằm trong một đoạn văn",
}
_DOCXTPL_CELL_TAGS = frozenset({"vm", "hm", "colspan", "cellbg"})
_UNSUPPORTED = frozenset({"include", "import", "from", "extends"})
# Characters Word's AutoCorrect puts where a tag needs plain ASCII. docxtpl already turns
# “ ” ‘ ’ into straight quotes; these it leaves.
_LOOKALIKES = {
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‚": "'",
    "‛": "'",
    "′": "'",
    "–": "-",
    "—": "-",
    "…": "...",
}
_FORMS = {
    "for": "{% for muc in danh_sach %} … {% endfor %}",
    "if": "{% if dieu_kien %} … {% endif %}",
    "elif": "{% if dieu_kien %} … {% elif dieu_kien_khac %} … {% endif %}",
    "set": "{% set ten = gia_tri %}",
}
_REASONS = (
    (re.compile(r"^unexpected end of template", re.I), "thẻ kết thúc khi chưa viết xong"),
    (re.compile(r"^expected an expression, got '(.+)'$", re.I), "thiếu biểu thức trước «{0}»"),
    (re.compile(r"^expected token '(.+)', got '(.+)'$", re.I), "cần «{0}» nhưng gặp «{1}»"),
    (re.compile(r"^unexpected char (.+) at \d+$", re.I), "ký tự lạ {0}"),
    (re.compile(r"^unexpected '(.+)'$", re.I), "«{0}» đặt sai chỗ"),
    (re.compile(r"^encountered unknown tag '(.+?)'", re.I), "không có thẻ «{0}»"),
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One mistake at ``lineno`` of a part's source.

    ``syntactic`` findings (a broken tag, an unbalanced block) are only trusted when Jinja also
    rejects the part: the scan splits tags with docxtpl's regular expressions, which a string
    containing ``%}`` can fool. The others (unknown filters, blocks crossing XML elements,
    unsupported tags) hold whatever Jinja says.
    """

    lineno: int
    code: str
    message: str
    hint: str
    tag: str = ""
    syntactic: bool = False


@dataclass(slots=True)
class _Open:
    name: str
    tag: str
    lineno: int
    xml: tuple[str, ...]


def paragraph_text(source: str, lineno: int, around: str = "", width: int = 100) -> str:
    """The text of source line ``lineno`` as Word shows it (XML tags removed, entities decoded).

    When ``around`` (a tag) is in the line's first paragraph, or not given, only that paragraph
    is shown (what follows it on the line are block tags docxtpl moved there). Long text is cut
    to ``width`` characters around ``around``.

    >>> paragraph_text('x\\n<w:p><w:r><w:t>Số: {{ so }} &amp; A</w:t></w:r></w:p>', 2)
    'Số: {{ so }} & A'
    """
    lines = source.split("\n")
    if not 1 <= lineno <= len(lines):
        return ""
    line = lines[lineno - 1]
    end = line.find("</w:p>")
    if end >= 0 and (not around or 0 <= line.find(around) < end):
        line = line[:end]  # the tag's own paragraph, without block tags that docxtpl moved after it
    text = " ".join(html.unescape(_XML_TAG.sub("", line)).split())
    if len(text) <= width:
        return text
    at = max(text.find(around), 0) if around else 0
    start = max(0, min(at - width // 3, len(text) - width))
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")


def _reason(message: str) -> str:
    """Jinja's English message, translated when it is a common one."""
    for pattern, vietnamese in _REASONS:
        match = pattern.search(message)
        if match:
            return vietnamese.format(*match.groups())
    return message


def _lookalike_hint(text: str) -> str:
    found = sorted({ch for ch in text if ch in _LOOKALIKES})
    if not found:
        return ""
    pairs = ", ".join(f"«{ch}» → «{_LOOKALIKES[ch]}»" for ch in found)
    return (
        f" Word đã tự đổi ký tự trong thẻ ({pairs}): gõ lại bằng ký tự thường, hoặc tắt "
        "AutoCorrect › AutoFormat As You Type."
    )


def _syntax_hint(name: str, tag: str) -> str:
    form = _FORMS.get(name)
    base = (
        f"Viết đúng dạng {form}."
        if form
        else (
            "Viết đúng dạng {{ ten_bien }} hoặc {{ ten_bien | bo_loc }}; kiểm tra ngoặc và dấu "
            "nháy."
        )
    )
    return base + _lookalike_hint(tag)


def _close_names(name: str, known: Iterable[str], fallback: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if close:
        return "Có phải là: " + ", ".join(close) + "?"
    if fallback:
        return "Các bộ lọc của thidua: " + ", ".join(sorted(fallback)) + "."
    return "Xem danh sách bộ lọc trong hướng dẫn viết mẫu."


def unknown_names(
    env: Environment,
    tree: nodes.Template,
    custom: Collection[str],
    lineno: int | None = None,
    tag: str = "",
) -> list[Finding]:
    """Every filter or test of ``tree`` that ``env`` does not have.

    Found on the syntax tree, so all of them at once (Jinja's compiler stops at the first). The
    findings are at ``lineno`` in tag ``tag`` when given, else at each node's own line.
    """
    findings: list[Finding] = []
    where = f" (trong thẻ {tag})" if tag else ""
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        is_filter = isinstance(node, nodes.Filter)
        if node.name in (env.filters if is_filter else env.tests):
            continue
        line = node.lineno if lineno is None else lineno
        if is_filter:
            findings.append(
                Finding(
                    line,
                    "template-filter",
                    f"Không có bộ lọc «{node.name}»{where}",
                    _close_names(node.name, env.filters, custom),
                    tag=tag or node.name,
                )
            )
        else:
            findings.append(
                Finding(
                    line,
                    "template-test",
                    f"Không có phép thử «{node.name}»{where}",
                    _close_names(node.name, env.tests, ()),
                    tag=tag or node.name,
                )
            )
    return findings


def _check_alone(
    env: Environment, snippet: str, lineno: int, name: str, tag: str, custom: Collection[str]
) -> list[Finding]:
    """Parse one tag on its own (completed into a valid block by ``snippet``)."""
    try:
        tree = env.parse(snippet)
    except UNPARSABLE:
        return [too_complex(lineno, tag)]
    except TemplateSyntaxError as exc:
        return [
            Finding(
                lineno,
                "template-syntax",
                f"Thẻ {tag} viết sai: {_reason(exc.message or str(exc))}",
                _syntax_hint(name, tag),
                tag=tag,
                syntactic=True,
            )
        ]
    return unknown_names(env, tree, custom, lineno, tag)


#: What Python raises while parsing a tag Jinja accepts in principle: nesting deeper than the
#: interpreter's stack (``((((…))))``), an integer of more than 4.300 digits.
UNPARSABLE = (RecursionError, MemoryError, ValueError, OverflowError)


def too_complex(lineno: int, tag: str = "") -> Finding:
    """A tag nested too deeply, or with a number too long, to be read."""
    where = f"Thẻ {tag}" if tag else "Một thẻ"
    return Finding(
        lineno,
        "template-syntax",
        f"{where} quá phức tạp để đọc (lồng ngoặc quá sâu hoặc có số quá dài)",
        "Viết thẻ đơn giản hơn: bớt ngoặc lồng nhau, bỏ các số dài hàng nghìn chữ số.",
        tag=tag,
        syntactic=True,
    )


def _crossing(block: _Open, tag: str, lineno: int, xml: list[str], source: str) -> Finding | None:
    """A finding when ``tag`` sits in a different XML element than the block's opening tag."""
    if tuple(xml) == block.xml:
        return None
    opened = paragraph_text(source, block.lineno, around=block.tag, width=60)
    return Finding(
        lineno,
        "template-structure",
        f"Khối {block.tag} mở ở đoạn «{opened}» nhưng {tag} nằm ở chỗ khác cấp "
        "(ví dụ mở trong đoạn văn, đóng trong ô bảng)",
        "Đặt thẻ mở và thẻ đóng cùng trong một đoạn, hoặc mỗi thẻ trong một đoạn riêng dùng "
        "{%p … %} (đoạn văn), {%tr … %} (hàng bảng), {%tc … %} (ô bảng).",
        tag=tag,
    )


def _strip_markers(inner: str) -> str:
    """The inside of a tag without whitespace-control markers: ``{%- if x +%}`` → ``if x``."""
    inner = inner.strip()
    if inner[:1] in "-+":
        inner = inner[1:]
    if inner[-1:] in "-+":
        inner = inner[:-1]
    return inner.strip()


def scan_part(
    env: Environment, source: str, custom_filters: Collection[str], *, each_tag: bool
) -> list[Finding]:
    """The mistakes found by following the tags of ``source`` in order.

    Always: blocks crossing XML elements, misplaced docxtpl tags, unsupported and unknown tags,
    unbalanced blocks. With ``each_tag`` (worth it only when Jinja rejects the part), every tag
    is also parsed on its own, for its syntax errors and unknown filters.
    """

    def check(snippet: str, lineno: int, name: str, tag: str) -> list[Finding]:
        if not each_tag:
            return []
        return _check_alone(env, snippet, lineno, name, tag, custom_filters)

    findings: list[Finding] = []
    stack: list[_Open] = []
    xml: list[str] = []
    lineno, position = 1, 0
    for match in _TOKEN.finditer(source):
        lineno += source.count("\n", position, match.start())
        position = match.start()
        tag, element = match.group(1), match.group(2)
        if tag is None:
            if element.startswith("/"):
                if xml:
                    xml.pop()
            elif not element.endswith("/") and element[:1] not in "?!":
                xml.append(element.split(None, 1)[0])
            continue
        inner = _strip_markers(tag[2:-2])
        if tag.startswith("{#"):
            continue
        if tag.startswith("{{"):
            findings += check(f"{{{{ {inner} }}}}", lineno, "", tag)
            continue
        word = _NAME.match(inner)
        name = word.group(0) if word else ""
        if name in _BLOCKS or (name == "set" and "=" not in inner):
            findings += check(f"{{% {inner} %}}{{% end{name} %}}", lineno, name, tag)
            stack.append(_Open(name, tag, lineno, tuple(xml)))
        elif name in _MIDDLES:
            if not stack or stack[-1].name not in _MIDDLES[name]:
                findings.append(
                    Finding(
                        lineno,
                        "template-block",
                        f"Thẻ {tag} không nằm trong khối nào",
                        f"Thẻ {{% {name} %}} chỉ dùng giữa {_FORMS['if']}.",
                        tag=tag,
                        syntactic=True,
                    )
                )
                continue
            crossing = _crossing(stack[-1], tag, lineno, xml, source)
            if crossing:
                findings.append(crossing)
                xml[:] = stack[-1].xml
            if name == "elif":
                findings += check(f"{{% if true %}}{{% {inner} %}}{{% endif %}}", lineno, name, tag)
        elif name.startswith("end") and (name[3:] in _BLOCKS or name == "endset"):
            findings += _close_block(stack, name[3:], tag, lineno, xml, source)
        elif name in _DOCXTPL_ROW_TAGS:
            findings.append(
                Finding(
                    lineno,
                    "template-misplaced",
                    f"Thẻ {tag} đặt sai chỗ",
                    _DOCXTPL_ROW_TAGS[name] + "; trong đoạn văn thường dùng {%p … %}.",
                    tag=tag,
                    syntactic=True,
                )
            )
        elif name in _DOCXTPL_CELL_TAGS:
            findings.append(
                Finding(
                    lineno,
                    "template-misplaced",
                    f"Thẻ {tag} phải nằm trong một ô của bảng",
                    "Chuyển thẻ vào ô bảng cần gộp hoặc tô màu.",
                    tag=tag,
                    syntactic=True,
                )
            )
        elif name in _UNSUPPORTED:
            findings.append(
                Finding(
                    lineno,
                    "template-unsupported",
                    f"Mẫu Word không dùng được thẻ {tag}",
                    "Mỗi mẫu phải tự chứa toàn bộ nội dung; chép phần cần dùng vào mẫu.",
                    tag=tag,
                )
            )
        elif name == "set":
            findings += check(f"{{% {inner} %}}", lineno, name, tag)
        else:
            findings.append(
                Finding(
                    lineno,
                    "template-syntax",
                    f"Không có thẻ «{name or inner}» ({tag})",
                    "Các thẻ dùng được: for, if, elif, else, set, with và các thẻ đóng end…; "
                    "kiểm tra lỗi chính tả." + _lookalike_hint(tag),
                    tag=tag,
                    syntactic=True,
                )
            )
    for block in stack:
        findings.append(
            Finding(
                block.lineno,
                "template-block",
                f"Khối {block.tag} chưa được đóng",
                f"Thêm {{% end{block.name} %}} (cùng kiểu thẻ với thẻ mở, ví dụ {{%p "
                f"end{block.name}"
                " %}) ở cuối phần cần lặp hoặc cần điều kiện.",
                tag=block.tag,
                syntactic=True,
            )
        )
    return findings


def _close_block(
    stack: list[_Open], name: str, tag: str, lineno: int, xml: list[str], source: str
) -> list[Finding]:
    if not stack or all(block.name != name for block in stack):
        return [
            Finding(
                lineno,
                "template-block",
                f"Thẻ đóng {tag} không có thẻ mở tương ứng",
                f"Xoá thẻ này, hoặc thêm thẻ mở {{% {name} … %}} phía trước.",
                tag=tag,
                syntactic=True,
            )
        ]
    findings: list[Finding] = []
    while stack[-1].name != name:
        inner = stack.pop()
        findings.append(
            Finding(
                inner.lineno,
                "template-block",
                f"Khối {inner.tag} chưa được đóng trước {tag}",
                f"Thêm {{% end{inner.name} %}} trước {tag}.",
                tag=inner.tag,
                syntactic=True,
            )
        )
    block = stack.pop()
    crossing = _crossing(block, tag, lineno, xml, source)
    if crossing:
        findings.append(crossing)
    return findings


def explain_syntax_error(exc: TemplateSyntaxError) -> Finding:
    """Jinja's syntax error as a finding, with the innermost unclosed block named if any."""
    message = exc.message or str(exc)
    unclosed = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if unclosed:
        name = unclosed.group(1)
        return Finding(
            exc.lineno,
            "template-block",
            f"Khối {{% {name} %}} chưa được đóng đúng",
            f"Thêm {{% end{name} %}} (hoặc {{%p end{name} %}}) ở đúng chỗ kết thúc khối.",
            syntactic=True,
        )
    return Finding(
        exc.lineno,
        "template-syntax",
        f"Mẫu viết sai: {_reason(message)}",
        "Kiểm tra các thẻ {{ … }} và {% … %} trong đoạn này." + _lookalike_hint(message),
        syntactic=True,
    )


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_DELIMITER = re.compile(r"\{[{%#]|[}%#]\}")
_PAIR_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def _closing(text: str, start: int, closer: str) -> int:
    """Where the ``closer`` of the tag opened at ``start`` is (-1 if not in ``text``): the
    first one outside quotes and brackets, as Jinja's lexer reads it."""
    depth: list[str] = []
    quote = ""
    i = start + 2
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif not depth and text.startswith(closer, i):
            return i
        elif char in _PAIR_BRACKETS:
            depth.append(_PAIR_BRACKETS[char])
        elif depth and char == depth[-1]:
            depth.pop()
        i += 1
    return -1


def unpaired_delimiters(text: str) -> list[tuple[str, str]]:
    """(message, hint) for each tag of one paragraph's text that does not close in it, and each
    closing delimiter that opens nothing.

    >>> unpaired_delimiters("kết quả {{ cau_xep_hang }.")[0][0]
    'Thẻ «{{ cau_xep_hang }.» chưa được đóng trong đoạn này (thiếu «}}»)'
    >>> unpaired_delimiters("{ ten_cum }} và {{ nam }}")[0][0]
    'Dấu «}}» không có thẻ mở «{{» đi trước trong đoạn này'
    >>> unpaired_delimiters("{{ {'a': 1}['a'] }} {%p if x %}")
    []
    """
    found: list[tuple[str, str]] = []
    position = 0
    while True:
        match = _DELIMITER.search(text, position)
        if match is None:
            return found
        token = match.group(0)
        closer = _OPENERS.get(token)
        if closer is None:
            opener = next(key for key, value in _OPENERS.items() if value == token)
            found.append((
                f"Dấu «{token}» không có thẻ mở «{opener}» đi trước trong đoạn này",
                f"Gõ lại thẻ cho đủ hai dấu mở {opener} … {token}; nếu cần in đúng dấu này, "
                f"viết {token[0]}_{token[1]}.",
            ))  # fmt: skip
            position = match.end()
            continue
        end = _closing(text, match.start(), closer)
        if end < 0:
            tag = text[match.start() : match.start() + 40].rstrip()
            found.append((
                f"Thẻ «{tag}» chưa được đóng trong đoạn này (thiếu «{closer}»)",
                f"Mỗi thẻ mở và đóng trong cùng một đoạn văn: gõ lại cho đủ {token} … {closer}. "
                "Để vậy, docxtpl bỏ mất cả phần văn bản tới thẻ đóng kế tiếp.",
            ))  # fmt: skip
            return found
        position = end + 2


_MISSING_NAME = re.compile(r"^'(.+)' is undefined$")
_MISSING_FIELD = re.compile(r"^'?(.+?)'? has no (?:attribute|element) '?(.+?)'?$")


def explain_render_error(exc: Exception, context: Mapping[str, object]) -> Finding:
    """An error raised while rendering with ``context`` (``lineno`` 0: the caller knows it).

    ``tag`` is the missing name, to find its paragraph.
    """
    text = str(exc)
    if isinstance(exc, UndefinedError):
        missing = _MISSING_NAME.match(text)
        if missing:
            name = missing.group(1)
            close = difflib.get_close_matches(name, [str(k) for k in context], n=3, cutoff=0.6)
            hint = (
                f"Có phải là: {', '.join(close)}? Sửa tên biến trong mẫu cho khớp."
                if close
                else f"Bổ sung «{name}» vào dữ liệu, hoặc sửa tên biến trong mẫu."
            )
            return Finding(
                0, "template-undefined", f"Không có dữ liệu cho biến «{name}»", hint, tag=name
            )
        field = _MISSING_FIELD.match(text)
        if field:
            owner, key = field.groups()
            return Finding(
                0,
                "template-undefined",
                f"Không có trường «{key}» (trong {owner})",
                "Kiểm tra tên trường sau dấu chấm trong thẻ, và dữ liệu tương ứng.",
                tag=key,
            )
        return Finding(
            0, "template-undefined", f"Thiếu dữ liệu: {text}", "Bổ sung dữ liệu cho thẻ này."
        )
    if isinstance(exc, LimitExceeded):
        return Finding(0, "template-limit", str(exc), exc.hint)
    if isinstance(exc, RecursionError):
        limit = too_deep()
        return Finding(0, "template-limit", str(limit), limit.hint)
    if isinstance(exc, MemoryError):
        limit = out_of_memory()
        return Finding(0, "template-limit", str(limit), limit.hint)
    if isinstance(exc, SecurityError):
        return Finding(
            0,
            "template-unsafe",
            f"Thẻ dùng thao tác không được phép ({text})",
            "Mẫu chỉ được đọc dữ liệu và dùng bộ lọc; bỏ phần gọi hàm/thuộc tính ẩn.",
        )
    return Finding(
        0,
        "template-render",
        f"Lỗi khi điền dữ liệu vào thẻ: {type(exc).__name__}: {text}",
        "Kiểm tra kiểu của giá trị (số, ngày, chữ) và bộ lọc dùng trong thẻ.",
    )
