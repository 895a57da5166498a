"""The template context as data, and the check of a template's names against it.

Pure: no I/O. :data:`CONTEXT` is the shape of what :func:`pipeline.documents.context.build_context`
gives every template, as ``docs/templates.md`` documents it (a test keeps the three in step): a
record is a ``dict`` of its fields, a list is a one-item ``list`` holding the shape of its items,
and a value (text, number, date, bool) is ``None``.

:func:`check_names` walks a parsed template and reports, before any data is seen, what would
fail when rendering: a variable that is not in the context (``{{ ten_cumm }}``), a field a
record does not have (``{{ hoi_nghi.ngayy }}``, ``{% for r in bang_diem %}{{ r.tongg }}``,
``map(attribute='tenn')``), a field asked of a list, an attribute the sandbox refuses (``_``
names, methods that change a list or a dict). Names the template defines itself (``{% set %}``,
loop variables, macros and their arguments) are followed; what cannot be followed (the result of
most filters, a variable index) is not checked, so the check never reports a working template.
A name tested with ``is defined`` or given a ``default`` is not reported either: the template
expects it may be missing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import nodes

from pipeline.documents.diagnostics import Finding
from pipeline.domain.model import DOCUMENT_KINDS, NARRATIVE_SECTIONS

Shape = Any  # dict[str, Shape] (a record) | list[Shape] (a list) | None (a value)

UNIT: dict[str, Shape] = dict.fromkeys((
    "stt", "ma", "ten", "ten_ngan", "ten_in_hoa", "vai_tro", "vai_tro_chu", "thu_truong",
    "chuc_vu_thu_truong", "nguoi_ky", "chuc_vu_nguoi_ky", "cap_pho_ky",
))  # fmt: skip
PERSON: dict[str, Shape] = dict.fromkeys(("ho_ten", "chuc_vu", "don_vi", "mo_ta"))
DELEGATE: dict[str, Shape] = {**PERSON, "ly_do": None}
VOTE: dict[str, Shape] = dict.fromkeys((
    "ma", "noi_dung", "hinh_thuc", "hinh_thuc_chu", "bo_phieu_kin", "phat_ra", "thu_ve",
    "hop_le", "khong_hop_le", "dong_y", "khong_dong_y", "khong_y_kien", "co_so", "ty_le",
    "thong_qua", "ket_qua",
))  # fmt: skip
SIGNATURE: dict[str, Shape] = {"quyen_han": None, "chuc_vu": None, "dong": [None], "ho_ten": None}
DOCUMENT: dict[str, Shape] = dict.fromkeys(
    ("so", "loai", "co_quan", "ngay", "dia_danh_ngay", "ten_co_quan")
)
_AWARD: dict[str, Shape] = {
    **dict.fromkeys(("hinh_thuc", "ma_hinh_thuc", "thanh_tich", "he_so", "so_tien")),
    **dict.fromkeys(("so_tien_chu", "ghi_chu")),
    "bieu_quyet": VOTE,
}
_NARRATIVE: list[Shape] = [dict.fromkeys(("don_vi", "noi_dung", "doan"))]

#: The shape of the context every template receives (docs/templates.md, "Variables").
CONTEXT: dict[str, Shape] = {
    **dict.fromkeys((
        "the_thuc", "dang", "loai_cum", "loai_cum_hoa", "loai_cum_in_hoa", "ten_cum",
        "ten_cum_ngan", "co_quan_cap_tren", "dia_danh", "nam", "nam_sau", "thang_diem",
    )),
    "van_ban": dict.fromkeys(DOCUMENT_KINDS, DOCUMENT),
    "so_don_vi": None,
    "don_vi": [UNIT],
    "don_vi_cum_truong": UNIT,
    "don_vi_cum_pho": UNIT,
    "cau_thanh_phan": None,
    "hoi_nghi": {
        **dict.fromkeys(("ngay", "bat_dau", "ket_thuc", "dia_diem")),
        "chu_tri": PERSON,
        "thu_ky": PERSON,
        "dai_bieu": [DELEGATE],
        "vang_mat": [DELEGATE],
        "don_vi_vang_mat": [UNIT],
        "khach_moi": [DELEGATE],
        "so_don_vi_co_mat": None,
        "so_dai_bieu_co_mat": None,
        "thao_luan": [dict.fromkeys(("stt", "nguoi_phat_bieu", "don_vi", "mo_ta", "noi_dung"))],
    },
    "bieu_quyet": [VOTE],
    "bang_diem": [dict.fromkeys((
        "stt", "ma", "ten", "ten_ngan", "tu_cham", "cum_cham", "cong", "tru", "tong", "xep_thu",
        "xep_thu_chu", "dong_hang",
    ))],
    **dict.fromkeys(("so_dat", "diem_thap_nhat", "diem_cao_nhat", "cau_diem")),
    "xep_hang": [{
        **dict.fromkeys(("hang", "thu_hang", "xep_thu_chu", "tong", "dong_hang", "so_don_vi")),
        "don_vi": [UNIT],
        "ten_don_vi": None,
    }],
    "cau_xep_hang": None,
    "cau_xep_hang_diem": None,
    "de_nghi_tap_the": [{
        **dict.fromkeys(("stt", "ma_don_vi", "ten", "ten_ngan")),
        **_AWARD,
        **dict.fromkeys(("la_co", "xep_thu", "tong", "ket_qua")),
    }],
    "de_nghi_ca_nhan": [{
        **dict.fromkeys(("stt", "ho_ten", "gioi_tinh", "danh_xung", "nam_sinh", "chuc_vu")),
        **dict.fromkeys(("ma_don_vi", "don_vi", "chuc_vu_don_vi")),
        **_AWARD,
    }],
    "co_de_nghi": None,
    "nhom_de_nghi": [{
        **dict.fromkeys(("hinh_thuc", "doi_tuong", "so_luong", "ten_noi")),
        "ten": [None],
    }],
    "cau_de_nghi": None,
    "so_bang_khen_toi_da": None,
    "luong_co_so": {"muc": None, "tu_ngay": None},
    **dict.fromkeys(("tong_tien_tap_the", "tong_tien_ca_nhan", "tong_tien", "tong_tien_chu")),
    "luan_phien": {"nam": None, "cum_truong": UNIT, "cum_pho": UNIT, "bieu_quyet": VOTE},
    "cau_luan_phien": None,
    "chi_tieu_giao_uoc": [{
        "stt": None,
        "ten": None,
        "chi_tieu": [{"stt": None, "noi_dung": None}],
    }],
    "noi_dung_bao_cao": dict.fromkeys(NARRATIVE_SECTIONS, _NARRATIVE),
    "ky": dict.fromkeys(("bao_cao", "danh_sach", "bien_ban", "thu_ky"), SIGNATURE),
    "chu_ky_don_vi": [[{
        **dict.fromkeys(("ma", "ten_don_vi", "ten_tieu_de", "quyen_han", "chuc_vu")),
        **dict.fromkeys(("dong_1", "dong_2", "ho_ten", "trong")),
    }]],
    "noi_nhan": {kind: [None] for kind in DOCUMENT_KINDS},
    "can_cu": {kind: [None] for kind in DOCUMENT_KINDS},
}


def paths(shape: Shape = None, prefix: str = "") -> set[str]:
    """Every path of a shape (:data:`CONTEXT` by default): ``hoi_nghi.chu_tri.ho_ten``,
    ``bang_diem[].tong`` (``[]``: each item of a list)."""
    shape = CONTEXT if shape is None and not prefix else shape
    found: set[str] = set()
    if isinstance(shape, dict):
        for key, value in shape.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= paths(value, path)
    elif isinstance(shape, list) and shape and shape[0] is not None:
        found |= paths(shape[0], f"{prefix}[]")
    return found


# ---------------------------------------------------------------------------------------------
# The check

_UNKNOWN = object()  # a value whose shape is not followed: nothing about it is checked
_RECORD_METHODS = frozenset({"items", "keys", "values", "get"})
_LIST_METHODS = frozenset({"index", "count"})
#: Methods the immutable sandbox refuses (they change a list, a dict or a set).
MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update",
    "setdefault", "popitem", "add", "discard", "difference_update", "intersection_update",
    "symmetric_difference_update",
})  # fmt: skip
#: Filters whose result has the shape of their input, or of its items.
_SAME = frozenset({"list", "sort", "reverse", "unique", "select", "reject", "selectattr",
                   "rejectattr"})  # fmt: skip
_ITEM = frozenset({"first", "last", "random", "min", "max"})
#: Filters that take the name of a field of the items (keyword ``attribute``, or first argument).
_ATTRIBUTE_FILTERS: dict[str, int | None] = {
    "map": None, "selectattr": 0, "rejectattr": 0, "sort": None, "sum": None, "unique": None,
    "min": None, "max": None, "groupby": 0, "join": None,
}  # fmt: skip
_LENIENT_FILTERS = frozenset({"default", "d"})
_LENIENT_TESTS = frozenset({"defined", "undefined"})


_DEFINED = "\0defined"  # the scope's key for the names a branch knows exist (``is defined``)


def _dotted(node: nodes.Node) -> str | None:
    """``a.b.c`` for a name or a chain of attributes, else ``None``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    return None


def _tested(scope: dict[str, Any], test: nodes.Node, name: str) -> dict[str, Any]:
    """``scope`` for a branch taken when ``test`` (or one of its ``and`` terms) is
    ``… is <name>``: the names tested are known there."""
    terms = [test]
    found: set[str] = set()
    while terms:
        term = terms.pop()
        if isinstance(term, nodes.And):
            terms += [term.left, term.right]
        elif isinstance(term, nodes.Test) and term.name == name:
            dotted = _dotted(term.node)
            if dotted:
                found.add(dotted)
    if not found:
        return scope
    return {**scope, _DEFINED: frozenset(found) | scope.get(_DEFINED, frozenset())}


def _close(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"Có phải là: {', '.join(close)}? " if close else ""


class _Checker:
    def __init__(self, contract: Mapping[str, Shape], known: Iterable[str]) -> None:
        self.contract = contract
        self.known = frozenset(known)  # the environment's globals (range, namespace…)
        self.findings: list[Finding] = []

    def report(self, node: nodes.Node, code: str, message: str, hint: str, tag: str) -> None:
        self.findings.append(Finding(node.lineno, code, message, hint, tag=tag))

    # -- statements

    def body(self, body: Iterable[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            self.statement(node, scope)

    def statement(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            items = self.expr(node.iter, scope)
            inner = dict(scope, loop=_UNKNOWN)
            item = items[0] if isinstance(items, list) and items else _UNKNOWN
            self.bind(node.target, item, inner)
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.body(node.body, _tested(scope, node.test, "defined"))
            for branch in node.elif_:
                self.statement(branch, scope)
            self.body(node.else_, _tested(scope, node.test, "undefined"))
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, scope)
            self.bind(node.target, _UNKNOWN, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.Macro):
                scope[node.name] = _UNKNOWN
            else:
                self.expr(node.call, scope)
            for default in node.defaults:
                self.expr(default, scope)
            inner = dict(scope, varargs=_UNKNOWN, kwargs=_UNKNOWN, caller=_UNKNOWN)
            for argument in node.args:
                inner[argument.name] = _UNKNOWN
            self.body(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=True):
                self.bind(target, self.expr(value, scope), inner)
            self.body(node.body, inner)
        elif isinstance(node, nodes.FilterBlock):
            self.body(node.body, scope)
            self.expr(node.filter, scope, filtered=True)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, scope)
                else:
                    self.statement(child, scope)

    def bind(self, target: nodes.Node, shape: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, _UNKNOWN, scope)
        elif isinstance(target, nodes.NSRef):
            self.expr(nodes.Name(target.name, "load", lineno=target.lineno), scope)

    # -- expressions

    def expr(self, node: nodes.Node, scope: dict[str, Any], *, lenient: bool = False,
             filtered: bool = False) -> Any:  # fmt: skip
        """The shape of ``node``'s value (``_UNKNOWN`` when not followed), reporting what
        fails; ``lenient``: a missing last name or field is expected (``is defined``)."""
        if isinstance(node, nodes.Name):
            return self.name(node, scope, lenient)
        if isinstance(node, nodes.Getattr):
            if _dotted(node) in scope.get(_DEFINED, ()):
                return _UNKNOWN
            return self.member(node, self.expr(node.node, scope), node.attr, lenient)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.member(node, base, node.arg.value, lenient)
            self.expr(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(base, list) and base:
                return base[0]
            return _UNKNOWN
        if isinstance(node, nodes.Filter) and not filtered:
            return self.filter(node, scope)
        if isinstance(node, nodes.Filter):  # a {% filter %} block: its value is the block
            self.arguments(node, scope)
            return _UNKNOWN
        if isinstance(node, nodes.Test):
            lenient_test = node.name in _LENIENT_TESTS
            self.expr(node.node, scope, lenient=lenient_test)
            self.arguments(node, scope)
            return _UNKNOWN
        if isinstance(node, nodes.Call):
            self.call(node, scope)
            return _UNKNOWN
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, scope)
            first = self.expr(node.expr1, scope)
            second = self.expr(node.expr2, scope) if node.expr2 is not None else None
            return first if first is second else _UNKNOWN
        for child in node.iter_child_nodes():
            self.expr(child, scope)
        return _UNKNOWN

    def name(self, node: nodes.Name, scope: dict[str, Any], lenient: bool) -> Any:
        if node.name in scope.get(_DEFINED, ()):
            return _UNKNOWN
        if node.name in scope:
            return scope[node.name]
        if node.name in self.contract:
            return self.contract[node.name]
        if node.name in self.known or lenient:
            return _UNKNOWN
        self.report(
            node,
            "template-variable",
            f"Không có biến «{node.name}»",
            _close(node.name, [*self.contract, *(k for k in scope if k != _DEFINED)])
            + "Xem danh sách biến trong hướng dẫn viết mẫu (thidua tai-lieu mau); sửa tên biến "
            "cho đúng, hoặc định nghĩa nó trước bằng {% set %}.",
            node.name,
        )
        return _UNKNOWN

    def member(self, node: nodes.Node, base: Any, attr: str, lenient: bool) -> Any:
        if attr.startswith("_"):
            self.report(
                node,
                "template-unsafe",
                f"Thuộc tính «{attr}» không được dùng trong mẫu",
                "Mẫu chỉ đọc các trường của dữ liệu; bỏ phần bắt đầu bằng dấu gạch dưới.",
                attr,
            )
            return _UNKNOWN
        if isinstance(base, dict):
            if attr in base:
                return base[attr]
            if attr in _RECORD_METHODS or lenient:
                return _UNKNOWN
            self.report(
                node,
                "template-field",
                f"Không có trường «{attr}»",
                _close(attr, base) + "Các trường có: " + ", ".join(base) + ".",
                attr,
            )
        elif isinstance(base, list) and attr not in _LIST_METHODS and not lenient:
            self.report(
                node,
                "template-field",
                f"«{attr}» được hỏi ở một danh sách, không phải ở từng phần tử",
                "Lặp qua danh sách: {% for x in danh_sach %}{{ x." + attr + " }}{% endfor %}.",
                attr,
            )
        return _UNKNOWN

    def arguments(
        self, node: nodes.Filter | nodes.Test | nodes.Call, scope: dict[str, Any]
    ) -> None:
        for argument in node.args:
            self.expr(argument, scope)
        for keyword in node.kwargs:
            self.expr(keyword.value, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope)

    def filter(self, node: nodes.Filter, scope: dict[str, Any]) -> Any:
        value = (
            self.expr(node.node, scope, lenient=node.name in _LENIENT_FILTERS)
            if node.node is not None
            else _UNKNOWN
        )
        self.arguments(node, scope)
        position = _ATTRIBUTE_FILTERS.get(node.name, -1)
        attribute = next((k.value for k in node.kwargs if k.key == "attribute"), None)
        if attribute is None and position is not None and position >= 0 and node.args:
            attribute = node.args[position]
        items = value[0] if isinstance(value, list) and value else _UNKNOWN
        field: Any = _UNKNOWN
        if isinstance(attribute, nodes.Const) and isinstance(attribute.value, str):
            field = items
            for part in attribute.value.split("."):
                field = self.member(node, field, part, False) if not part.isdigit() else _UNKNOWN
        if node.name == "map" and attribute is not None:
            return [field]
        if node.name in _SAME:
            return value
        if node.name in _ITEM:
            return items
        return _UNKNOWN

    def call(self, node: nodes.Call, scope: dict[str, Any]) -> None:
        callee = node.node
        if isinstance(callee, nodes.Getattr) and callee.attr in MUTATING_METHODS:
            self.expr(callee.node, scope)
            self.report(
                node,
                "template-unsafe",
                f"Mẫu không được sửa dữ liệu ({callee.attr}())",
                "Mẫu chỉ đọc dữ liệu; dùng bộ lọc (sort, reverse, list…) để có danh sách mới, "
                "hoặc namespace() cho một biến đếm.",
                callee.attr,
            )
        else:
            self.expr(callee, scope)
        self.arguments(node, scope)


def check_names(
    tree: nodes.Template, contract: Mapping[str, Shape], known: Iterable[str] = ()
) -> list[Finding]:
    """What in ``tree`` would fail against ``contract`` (see the module docstring); ``known``
    are the names the environment itself provides (``range``, ``namespace``…)."""
    checker = _Checker(contract, known)
    checker.body(tree.body, {})
    return checker.findings
