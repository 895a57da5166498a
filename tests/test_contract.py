"""The check of a template's names against the documented context (``contract.check_names``).

It must report what would fail when rendering, and nothing a working template does: every
template here is checked as a parsed Jinja template, as the engine does for each part.
"""

from __future__ import annotations

import pytest

from pipeline.documents.contract import CONTEXT, check_names
from pipeline.documents.engine import make_environment

ENV = make_environment()


def findings(source: str) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in check_names(ENV.parse(source), CONTEXT, ENV.globals)]


@pytest.mark.parametrize(
    "source",
    [
        "{{ ten_cum }} {{ hoi_nghi.chu_tri.ho_ten }} {{ van_ban.bao_cao.so }}",
        "{% for r in bang_diem %}{{ r.tong }}{{ loop.index }}{% endfor %}",
        "{% for hang in chu_ky_don_vi %}{{ hang[0].ten_don_vi }}{% endfor %}",
        "{% set x = don_vi[0] %}{{ x.ten }}",
        "{% set tong = bang_diem | map(attribute='tong') | list %}{{ tong | first }}",
        "{% for d in noi_dung_bao_cao.ket_qua_don_vi %}{{ d.doan }}{% endfor %}",
        "{{ hoi_nghi.don_vi_vang_mat | map(attribute='ten') | list | noi }}",
        "{{ (bang_diem | first).ten }} {{ (bang_diem | sort(attribute='tong') | last).ma }}",
        "{% macro dong(x, y=1) %}{{ x.bat_ky }}{{ caller() }}{% endmacro %}",
        "{% for k, v in van_ban.items() %}{{ v.so }}{% endfor %}",
        "{% if x is defined %}{{ x }}{% endif %}{{ hoi_nghi.khong_co | default('') }}",
        "{% set ns = namespace(n=0) %}{% for r in bang_diem %}{% set ns.n = ns.n + 1 %}"
        "{% endfor %}{{ ns.n }}",
        "{% with u = don_vi_cum_truong %}{{ u.ten }}{% endwith %}{{ range(3) | list }}",
        "{{ hoi_nghi.ngay.year }} {{ ten_cum.upper() }} {{ bang_diem | length }}",
        "{% for x in de_nghi_tap_the if x.la_co %}{{ x.bieu_quyet.ty_le }}{% endfor %}",
        "{{ bang_diem | selectattr('dong_hang') | list | length }}",
        "{% if hoi_nghi.them is defined and x is defined %}{{ hoi_nghi.them }}{{ x }}{% endif %}",
        "{% if y is undefined %}–{% else %}{{ y.z }}{% endif %}",
    ],
)
def test_a_working_template_is_not_reported(source: str) -> None:
    assert findings(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ ten_cumm }}", ("template-variable", "Không có biến «ten_cumm»")),
        ("{{ hoi_nghi.ngayy }}", ("template-field", "Không có trường «ngayy»")),
        ("{% for r in bang_diem %}{{ r.tongg }}{% endfor %}",
         ("template-field", "Không có trường «tongg»")),
        ("{% set x = don_vi[0] %}{{ x.tenn }}", ("template-field", "Không có trường «tenn»")),
        ("{{ bang_diem | map(attribute='tenn') | list }}",
         ("template-field", "Không có trường «tenn»")),
        ("{{ bang_diem | selectattr('xep') | list }}", ("template-field", "Không có trường «xep»")),
        ("{{ bang_diem.tong }}",
         ("template-field", "«tong» được hỏi ở một danh sách, không phải ở từng phần tử")),
        ("{% for r in bang_diem %}{% endfor %}{{ r.tong }}",
         ("template-variable", "Không có biến «r»")),
        ("{{ loop.index }}", ("template-variable", "Không có biến «loop»")),
        ("{{ ten_cum.__class__ }}",
         ("template-unsafe", "Thuộc tính «__class__» không được dùng trong mẫu")),
        ("{{ don_vi.append(1) }}", ("template-unsafe", "Mẫu không được sửa dữ liệu (append())")),
        ("{{ x }}{% set x = 1 %}", ("template-variable", "Không có biến «x»")),
        ("{{ hoi_nghi['ngayy'] }}", ("template-field", "Không có trường «ngayy»")),
    ],
)  # fmt: skip
def test_what_would_fail_is_reported(source: str, expected: tuple[str, str]) -> None:
    assert findings(source) == [expected]


def test_a_finding_points_at_its_line() -> None:
    (finding,) = check_names(ENV.parse("{{ ten_cum }}\n\n{{ ten_cumm }}"), CONTEXT)
    assert (finding.lineno, finding.tag) == (3, "ten_cumm")
    assert finding.hint.startswith("Có phải là: ten_cum")
