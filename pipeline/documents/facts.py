"""The facts a build printed: a canonical snapshot of the template context, with their sources.

Pure: no I/O, no clock, no locale. :func:`snapshot` turns the context of
:func:`pipeline.documents.context.build_context` into a plain, JSON-ready dictionary that the
build writes beside the manifest (``du-lieu-in.json``, :data:`pipeline.output.report.SNAPSHOT`);
the next build compares it with its own (:mod:`pipeline.output.changes`) and tells the secretary
what changed.

The snapshot holds:

- ``du_lieu``: every printed fact, one entry per leaf of the context, keyed by a stable path
  (``bang_diem[BTGTU].tong``, ``van_ban.bao_cao.ngay``). A list of records is keyed by each
  record's identity (a unit's code, a person's name), not by position, so that a unit moving from
  third to fourth place changes its rank, not every row. Each entry has the Vietnamese
  ``chu_the`` (whom it is about: a unit's name; empty for the cluster), ``muc`` (what it is:
  ``tổng điểm``), ``kieu`` (``so``, ``tien``, ``ngay``, ``gio``, ``chu``, ``van``: how it is
  shown), ``gia_tri`` (the value as the documents print it: ``985``, ``10/01/2014``), and
  ``nguon`` (the workbook cell it was read from, when one cell or range is known). Redundant
  derived values (positions, codes, the "in words" spelling of an amount) are left out.
- ``o_nhap``: every workbook cell the dossier was read from, ``"Sheet!C7"`` → its value as
  text, with ``chu_the`` (the record: a unit, a score line) and ``muc`` (the field), so that a
  comparison can name the input cells that changed: the cause.
- ``van_ban``: for each template file, the top-level context names it reads (the engine's
  :attr:`~pipeline.documents.engine.CompiledTemplate.variables`), so a change can be told per
  document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import Enum

from pipeline.domain.model import DOCUMENT_KINDS, Dossier, Source
from pipeline.vi import so

#: Bumped when the snapshot's shape changes; a snapshot of another format is not compared.
FORMAT = 1

Snapshot = dict[str, object]

# Records in these lists are keyed by these fields (joined by "/"), else by position.
_LIST_KEYS: dict[str, tuple[str, ...]] = {
    "don_vi": ("ma",),
    "bang_diem": ("ma",),
    "xep_hang": ("hang",),
    "bieu_quyet": ("ma",),
    "de_nghi_tap_the": ("ma_don_vi", "ma_hinh_thuc"),
    "de_nghi_ca_nhan": ("ho_ten", "ma_hinh_thuc"),
    "nhom_de_nghi": ("hinh_thuc", "doi_tuong"),
    "dai_bieu": ("ho_ten",),
    "vang_mat": ("ho_ten",),
    "khach_moi": ("ho_ten",),
    "chu_ky_don_vi": ("ma",),
}

# (label, kind) of each printed leaf, by its path with the list keys taken out. ``None``: a
# redundant value (a position, a code, a spelling or a copy of a value given elsewhere).
_LABELS: dict[str, tuple[str, str] | None] = {
    "the_thuc": ("thể thức văn bản", "chu"),
    "dang": None,
    "loai_cum": ("loại (cụm hay khối)", "chu"),
    "loai_cum_hoa": None,
    "loai_cum_in_hoa": None,
    "ten_cum": ("Tên cụm", "van"),
    "ten_cum_ngan": ("Tên ngắn của cụm", "van"),
    "co_quan_cap_tren": ("Cơ quan cấp trên", "van"),
    "dia_danh": ("Địa danh", "van"),
    "nam": ("Năm thi đua", "chu"),
    "nam_sau": ("Năm giao ước", "chu"),
    "thang_diem": ("Thang điểm", "so"),
    "van_ban.so": ("số", "chu"),
    "van_ban.loai": ("ký hiệu loại văn bản", "chu"),
    "van_ban.co_quan": ("ký hiệu cơ quan ban hành", "chu"),
    "van_ban.ngay": ("ngày ký", "ngay"),
    "van_ban.dia_danh_ngay": None,
    "van_ban.ten_co_quan": ("tên cơ quan ban hành", "van"),
    "so_don_vi": ("Số đơn vị trong cụm", "so"),
    "don_vi[].stt": ("thứ tự", "so"),
    "don_vi[].ma": None,
    "don_vi[].ten": ("tên đầy đủ", "van"),
    "don_vi[].ten_ngan": ("tên ngắn", "van"),
    "don_vi[].ten_in_hoa": ("tên ở tiêu đề", "van"),
    "don_vi[].vai_tro": None,
    "don_vi[].vai_tro_chu": ("vai trò", "chu"),
    "don_vi[].thu_truong": ("thủ trưởng", "van"),
    "don_vi[].chuc_vu_thu_truong": ("chức vụ thủ trưởng", "van"),
    "don_vi[].nguoi_ky": ("người ký", "van"),
    "don_vi[].chuc_vu_nguoi_ky": ("chức vụ người ký", "van"),
    "don_vi[].cap_pho_ky": ("cấp phó ký thay", "chu"),
    "don_vi_cum_truong.ten": ("Cụm trưởng", "van"),
    "don_vi_cum_pho.ten": ("Cụm phó", "van"),
    "cau_thanh_phan": ("Câu thành phần", "van"),
    "hoi_nghi.ngay": ("Ngày họp", "ngay"),
    "hoi_nghi.bat_dau": ("Giờ bắt đầu họp", "gio"),
    "hoi_nghi.ket_thuc": ("Giờ kết thúc họp", "gio"),
    "hoi_nghi.dia_diem": ("Địa điểm họp", "van"),
    "hoi_nghi.chu_tri.ho_ten": ("Người chủ trì", "van"),
    "hoi_nghi.chu_tri.chuc_vu": ("Chức vụ người chủ trì", "van"),
    "hoi_nghi.chu_tri.don_vi": ("Đơn vị người chủ trì", "van"),
    "hoi_nghi.chu_tri.mo_ta": None,
    "hoi_nghi.thu_ky.ho_ten": ("Thư ký hội nghị", "van"),
    "hoi_nghi.thu_ky.chuc_vu": ("Chức vụ thư ký", "van"),
    "hoi_nghi.thu_ky.don_vi": ("Đơn vị thư ký", "van"),
    "hoi_nghi.thu_ky.mo_ta": None,
    "hoi_nghi.so_don_vi_co_mat": ("Số đơn vị có mặt", "so"),
    "hoi_nghi.so_dai_bieu_co_mat": ("Số đại biểu có mặt", "so"),
    "hoi_nghi.thao_luan[].stt": None,
    "hoi_nghi.thao_luan[].nguoi_phat_bieu": ("người phát biểu", "van"),
    "hoi_nghi.thao_luan[].don_vi": ("đơn vị", "van"),
    "hoi_nghi.thao_luan[].mo_ta": None,
    "hoi_nghi.thao_luan[].noi_dung": ("nội dung", "van"),
    "bieu_quyet[].ma": None,
    "bieu_quyet[].noi_dung": ("nội dung", "van"),
    "bieu_quyet[].hinh_thuc": None,
    "bieu_quyet[].hinh_thuc_chu": ("hình thức", "chu"),
    "bieu_quyet[].bo_phieu_kin": None,
    "bieu_quyet[].phat_ra": ("số phiếu phát ra", "so"),
    "bieu_quyet[].thu_ve": ("số phiếu thu về", "so"),
    "bieu_quyet[].hop_le": ("số phiếu hợp lệ", "so"),
    "bieu_quyet[].khong_hop_le": ("số phiếu không hợp lệ", "so"),
    "bieu_quyet[].dong_y": ("đồng ý", "so"),
    "bieu_quyet[].khong_dong_y": ("không đồng ý", "so"),
    "bieu_quyet[].khong_y_kien": ("không ý kiến", "so"),
    "bieu_quyet[].co_so": ("số tính tỷ lệ", "so"),
    "bieu_quyet[].ty_le": ("tỷ lệ", "so"),
    "bieu_quyet[].thong_qua": None,
    "bieu_quyet[].ket_qua": ("kết quả", "chu"),
    "bang_diem[].stt": None,
    "bang_diem[].ma": None,
    "bang_diem[].ten": ("tên đầy đủ", "van"),
    "bang_diem[].ten_ngan": None,
    "bang_diem[].tu_cham": ("điểm tự chấm", "so"),
    "bang_diem[].cum_cham": ("điểm cụm chấm", "so"),
    "bang_diem[].cong": ("điểm cộng", "so"),
    "bang_diem[].tru": ("điểm trừ", "so"),
    "bang_diem[].tong": ("tổng điểm", "so"),
    "bang_diem[].xep_thu": None,
    "bang_diem[].xep_thu_chu": ("xếp thứ", "chu"),
    "bang_diem[].dong_hang": ("đồng hạng", "chu"),
    "so_dat": ("Số đơn vị đạt điểm sàn", "so"),
    "diem_thap_nhat": ("Điểm thấp nhất", "so"),
    "diem_cao_nhat": ("Điểm cao nhất", "so"),
    "cau_diem": ("Câu kết quả chấm điểm", "van"),
    "xep_hang[].hang": None,
    "xep_hang[].thu_hang": None,
    "xep_hang[].xep_thu_chu": None,
    "xep_hang[].tong": None,
    "xep_hang[].dong_hang": None,
    "xep_hang[].so_don_vi": None,
    "xep_hang[].ten_don_vi": None,
    "cau_xep_hang": ("Câu xếp hạng", "van"),
    "cau_xep_hang_diem": ("Câu xếp hạng kèm điểm", "van"),
    "de_nghi_tap_the[].stt": None,
    "de_nghi_tap_the[].ma_don_vi": None,
    "de_nghi_tap_the[].ten": ("tên đầy đủ", "van"),
    "de_nghi_tap_the[].ten_ngan": None,
    "de_nghi_tap_the[].hinh_thuc": ("hình thức khen thưởng", "van"),
    "de_nghi_tap_the[].ma_hinh_thuc": None,
    "de_nghi_tap_the[].thanh_tich": ("thành tích", "van"),
    "de_nghi_tap_the[].he_so": ("hệ số", "so"),
    "de_nghi_tap_the[].so_tien": ("số tiền", "tien"),
    "de_nghi_tap_the[].so_tien_chu": None,
    "de_nghi_tap_the[].bieu_quyet.ket_qua": ("kết quả biểu quyết", "chu"),
    "de_nghi_tap_the[].ghi_chu": ("ghi chú", "van"),
    "de_nghi_tap_the[].la_co": None,
    "de_nghi_tap_the[].xep_thu": None,
    "de_nghi_tap_the[].tong": None,
    "de_nghi_tap_the[].ket_qua": ("kết quả thi đua", "van"),
    "de_nghi_ca_nhan[].stt": None,
    "de_nghi_ca_nhan[].ho_ten": ("họ tên", "van"),
    "de_nghi_ca_nhan[].gioi_tinh": ("giới tính", "chu"),
    "de_nghi_ca_nhan[].danh_xung": None,
    "de_nghi_ca_nhan[].nam_sinh": ("năm sinh", "chu"),
    "de_nghi_ca_nhan[].chuc_vu": ("chức vụ", "van"),
    "de_nghi_ca_nhan[].ma_don_vi": None,
    "de_nghi_ca_nhan[].don_vi": ("đơn vị", "van"),
    "de_nghi_ca_nhan[].chuc_vu_don_vi": None,
    "de_nghi_ca_nhan[].hinh_thuc": ("hình thức khen thưởng", "van"),
    "de_nghi_ca_nhan[].ma_hinh_thuc": None,
    "de_nghi_ca_nhan[].thanh_tich": ("thành tích", "van"),
    "de_nghi_ca_nhan[].he_so": ("hệ số", "so"),
    "de_nghi_ca_nhan[].so_tien": ("số tiền", "tien"),
    "de_nghi_ca_nhan[].so_tien_chu": None,
    "de_nghi_ca_nhan[].bieu_quyet.ket_qua": ("kết quả biểu quyết", "chu"),
    "de_nghi_ca_nhan[].ghi_chu": ("ghi chú", "van"),
    "co_de_nghi": None,
    "nhom_de_nghi[].hinh_thuc": None,
    "nhom_de_nghi[].doi_tuong": None,
    "nhom_de_nghi[].so_luong": ("số lượng", "so"),
    "nhom_de_nghi[].ten": None,
    "nhom_de_nghi[].ten_noi": ("danh sách", "van"),
    "cau_de_nghi": ("Câu đề nghị khen thưởng", "van"),
    "so_bang_khen_toi_da": ("Số Bằng khen tối đa", "so"),
    "luong_co_so.muc": ("Mức lương cơ sở", "tien"),
    "luong_co_so.tu_ngay": ("Lương cơ sở áp dụng từ ngày", "ngay"),
    "tong_tien_tap_the": ("Tổng tiền thưởng tập thể", "tien"),
    "tong_tien_ca_nhan": ("Tổng tiền thưởng cá nhân", "tien"),
    "tong_tien": ("Tổng tiền thưởng", "tien"),
    "tong_tien_chu": None,
    "luan_phien.nam": ("Năm luân phiên", "chu"),
    "luan_phien.cum_truong.ten": ("Cụm trưởng năm sau", "van"),
    "luan_phien.cum_pho.ten": ("Cụm phó năm sau", "van"),
    "luan_phien.bieu_quyet.ket_qua": ("Kết quả biểu quyết luân phiên", "chu"),
    "cau_luan_phien": ("Câu luân phiên", "van"),
    "chi_tieu_giao_uoc[].stt": None,
    "chi_tieu_giao_uoc[].ten": ("tên nhóm", "van"),
    "chi_tieu_giao_uoc[].chi_tieu[].stt": None,
    "chi_tieu_giao_uoc[].chi_tieu[].noi_dung": ("chỉ tiêu", "van"),
    "noi_dung_bao_cao[].don_vi": ("đơn vị", "van"),
    "noi_dung_bao_cao[].noi_dung": None,
    "noi_dung_bao_cao[].doan": ("đoạn văn", "van"),
    "ky.quyen_han": None,
    "ky.chuc_vu": None,
    "ky.dong": ("chức danh ký", "van"),
    "ky.ho_ten": ("người ký", "van"),
    "chu_ky_don_vi[].ma": None,
    "chu_ky_don_vi[].ten_don_vi": ("tên ở ô chữ ký", "van"),
    "chu_ky_don_vi[].ten_tieu_de": None,
    "chu_ky_don_vi[].quyen_han": None,
    "chu_ky_don_vi[].chuc_vu": None,
    "chu_ky_don_vi[].dong_1": ("chức danh ở ô chữ ký", "van"),
    "chu_ky_don_vi[].dong_2": ("dòng thứ hai ở ô chữ ký", "van"),
    "chu_ky_don_vi[].ho_ten": ("người ký ở ô chữ ký", "van"),
    "chu_ky_don_vi[].trong": None,
    "noi_nhan": ("nơi nhận", "van"),
    "can_cu": ("căn cứ", "van"),
}

# Prefixes whose nested records are copies of a record given elsewhere: only the name is kept.
_COPIES = (
    "don_vi_cum_truong.",
    "don_vi_cum_pho.",
    "luan_phien.cum_truong.",
    "luan_phien.cum_pho.",
    "xep_hang[].don_vi",
    "hoi_nghi.dai_bieu",
    "hoi_nghi.vang_mat",
    "hoi_nghi.khach_moi",
    "hoi_nghi.don_vi_vang_mat",
    ".bieu_quyet.",
)

# Whom the facts of each document kind are about, as the report names the document.
DOCUMENT_NAMES: dict[str, str] = {
    "bao_cao": "Báo cáo tổng kết",
    "bien_ban": "Biên bản hội nghị",
    "giao_uoc": "Giao ước thi đua",
    "danh_sach": "Danh sách đề nghị khen thưởng",
}
_SIGNERS = {"thu_ky": "Biên bản hội nghị (thư ký)"}

_SECTIONS = {
    "tinh_hinh": "đặc điểm, tình hình",
    "chi_dao": "lãnh đạo, chỉ đạo",
    "ket_qua_don_vi": "kết quả từng đơn vị",
    "khen_thuong": "công tác khen thưởng",
    "hoat_dong_chung": "hoạt động chung",
    "han_che": "hạn chế",
    "nguyen_nhan": "nguyên nhân",
    "phuong_huong": "phương hướng",
    "kien_nghi": "kiến nghị",
}

# Field names of the domain records, as the secretary reads the workbook's columns.
_FIELDS: dict[str, str] = {
    "name": "tên",
    "full_name": "tên đầy đủ",
    "short_name": "tên ngắn",
    "header_name": "tên ở tiêu đề",
    "head_name": "thủ trưởng",
    "head_title": "chức vụ thủ trưởng",
    "signer_name": "người ký thay",
    "signer_title": "chức vụ người ký thay",
    "self_score": "điểm tự chấm",
    "cluster_score": "điểm cụm chấm",
    "points": "số điểm",
    "signing_date": "ngày ký",
    "number": "số",
    "date": "ngày họp",
    "amount": "mức lương cơ sở",
    "effective_from": "áp dụng từ ngày",
    "coefficient": "hệ số tiền thưởng",
    "title": "chức vụ",
    "text": "nội dung",
    "achievement": "thành tích",
    "venue": "địa điểm",
    "start": "giờ bắt đầu",
    "end": "giờ kết thúc",
    "parent_body": "cơ quan cấp trên",
    "place": "địa danh",
    "year": "năm",
    "unit": "mã đơn vị",
    "criterion": "mã tiêu chí",
    "code": "mã",
    "form": "mã hình thức",
    "reason": "lý do",
    "gender": "giới tính",
    "birth_year": "năm sinh",
    "vote": "mã biểu quyết",
    "note": "ghi chú",
    "kind": "loại",
    "method": "hình thức",
    "item": "nội dung",
    "issued": "số phiếu phát ra",
    "returned": "số phiếu thu về",
    "valid": "số phiếu hợp lệ",
    "yes": "đồng ý",
    "no": "không đồng ý",
    "abstain": "không ý kiến",
    "basis": "căn cứ",
    "order": "thứ tự",
    "summary": "tóm tắt ý kiến",
    "speaker": "người phát biểu",
    "section": "phần",
    "present": "có mặt",
    "guest": "loại đại biểu",
    "absence_reason": "lý do vắng",
    "organization": "cơ quan",
    "role": "vai trò",
    "aliases": "tên gọi khác",
    "max_points": "điểm tối đa",
    "parent": "mã tiêu chí cha",
    "head": "cụm trưởng",
    "deputy": "cụm phó",
    "documents": "văn bản",
    "type_code": "ký hiệu loại văn bản",
    "issuer_code": "ký hiệu cơ quan ban hành",
    "doc_format": "thể thức",
    "is_flag": "là Cờ thi đua",
    "needs_vote": "cần biểu quyết",
    "recipient": "đối tượng",
}


def show(value: object, kind: str = "van") -> str:
    """A value as the documents print it: ``985``, ``45.170.000``, ``10/01/2014``, ``14:00``.

    >>> show(Decimal("45170000"), "tien"), show(Decimal("985.50"), "so"), show(2014, "chu")
    ('45.170.000', '985,5', '2014')
    >>> show(dt.date(2014, 1, 10)), show(dt.time(14, 0)), show(None), show(True)
    ('10/01/2014', '14:00', '', 'có')
    >>> show(["a", "b"])
    'a; b'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal) or (isinstance(value, int) and kind in ("so", "tien")):
        return so(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return "; ".join(show(v, kind) for v in value)
    return str(value).replace("\xa0", " ")


_KEYS = re.compile(r"\[[^\]]*\]")


def _label_path(path: str) -> str:
    """``bang_diem[BTGTU].tong`` → ``bang_diem[].tong``; ``van_ban.bao_cao.ngay`` →
    ``van_ban.ngay``; ``noi_dung_bao_cao.tinh_hinh[1].doan`` → ``noi_dung_bao_cao[].doan``."""
    text = _KEYS.sub("[]", path)
    head, _, rest = text.partition(".")
    if head in ("van_ban", "ky", "noi_nhan", "can_cu"):
        _, _, field = rest.partition(".")
        return f"{head}.{field}" if field else head
    if head == "noi_dung_bao_cao":
        return "noi_dung_bao_cao" + rest[rest.index("[") :] if "[" in rest else head
    return text


def _record_key(name: str, record: Mapping[str, object], position: int) -> str:
    fields = _LIST_KEYS.get(name)
    if fields and all(record.get(f) not in (None, "") for f in fields):
        return "/".join(show(record[f]) for f in fields)
    return str(position)


def _flatten(value: object, path: str, name: str, out: dict[str, object]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, Mapping | list) for v in value):
        records: list[Mapping[str, object]] = []
        for item in value:  # the covenant's signature grid is a list of rows
            records += item if isinstance(item, list) else [item]
        for position, record in enumerate(records, start=1):
            if record.get("trong"):
                continue  # a blank cell of the signature grid
            _flatten(record, f"{path}[{_record_key(name, record, position)}]", name, out)
    else:
        out[path] = value


def _subject(path: str, context: Mapping[str, object], units: Mapping[str, str]) -> str:
    """Whom a fact is about, in the secretary's words (empty: the cluster as a whole)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    key = path[path.index("[") + 1 : path.index("]")] if "[" in path else ""
    if head in ("don_vi", "bang_diem", "chu_ky_don_vi"):
        return units.get(key, key)
    if head == "xep_hang":
        from pipeline.vi import thu_hang

        return f"Hạng {thu_hang(int(key)).removeprefix('thứ ')}" if key.isdigit() else key
    if head in ("de_nghi_tap_the", "de_nghi_ca_nhan"):
        who, _, form = key.partition("/")
        return f"Đề nghị khen thưởng {units.get(who, who)} ({form})"
    if head == "bieu_quyet":
        return f"Biểu quyết {key}"
    if head == "nhom_de_nghi":
        return f"Nhóm đề nghị {key.replace('/', ', ')}"
    if head in ("van_ban", "ky", "noi_nhan", "can_cu"):
        kind = path.split(".")[1] if "." in path else ""
        return _SIGNERS.get(kind) or DOCUMENT_NAMES.get(kind, kind)
    if head == "noi_dung_bao_cao":
        section = path.split(".")[1].split("[")[0]
        return f"Báo cáo, phần {_SECTIONS.get(section, section)}, đoạn {key}"
    if head == "chi_tieu_giao_uoc":
        return f"Giao ước, nhóm {key}" + (f", chỉ tiêu {path.rsplit('[', 1)[1][:-1].split(']')[0]}"
                                          if path.count("[") > 1 else "")  # fmt: skip
    if head == "hoi_nghi" and "thao_luan" in path:
        return f"Ý kiến phát biểu {key}"
    return ""


def _document_kind(variable: str, path: str) -> str | None:
    """The document kind a per-document fact belongs to (``van_ban.bao_cao.so`` → ``bao_cao``)."""
    if variable in ("van_ban", "ky", "noi_nhan", "can_cu"):
        kind = path.split(".")[1] if "." in path else ""
        return "bien_ban" if kind == "thu_ky" else kind
    return None


def template_kind(template: str) -> str | None:
    """The document kind a template file prints, from its name (``01-bao-cao-tong-ket.docx`` →
    ``bao_cao``); ``None`` for a template named otherwise (it is then shown every fact it reads).

    >>> template_kind("01-bao-cao-tong-ket.docx"), template_kind("thu-moi.docx")
    ('bao_cao', None)
    """
    found = [k for k in DOCUMENT_KINDS if k.replace("_", "-") in template]
    return found[0] if len(found) == 1 else None


def documents_printing(path: str, templates: Mapping[str, Sequence[str]]) -> list[str]:
    """The template files whose documents print the fact at ``path``.

    >>> t = {"01-bao-cao.docx": ["van_ban", "tong_tien"], "04-danh-sach.docx": ["van_ban"]}
    >>> documents_printing("van_ban.bao_cao.so", t), documents_printing("tong_tien", t)
    (['01-bao-cao.docx'], ['01-bao-cao.docx'])
    """
    variable = path.split(".", 1)[0].split("[", 1)[0]
    kind = _document_kind(variable, path)
    return sorted(
        name
        for name, variables in templates.items()
        if variable in variables and (kind is None or template_kind(name) in (None, kind))
    )


def _joined_cells(cells: Sequence[str]) -> str:
    """``D5, D6, D7`` → ``D5:D7`` when the cells are one run of a column."""
    if len(cells) < 2:
        return "".join(cells)
    column = "".join(c for c in cells[0] if c.isalpha())
    rows = [c[len(column) :] for c in cells]
    if all(c.startswith(column) and c[len(column) :].isdigit() for c in cells):
        numbers = sorted(int(r) for r in rows)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{column}{numbers[0]}:{column}{numbers[-1]}"
    return ", ".join(cells)


def _at(src: Source, field: str) -> str | None:
    cell = src.cells.get(field)
    return f"{src.file} › {src.sheet}!{cell}" if src.file and cell else None


def fact_sources(dossier: Dossier) -> dict[str, str]:
    """The workbook cell (or range) each fact of the context was read from, where one is known,
    keyed by the fact's path (``bang_diem[BTGTU].cum_cham`` → ``cum.xlsx › ChamDiem!D14:D23``)."""
    sources: dict[str, str] = {}

    def put(path: str, where: str | None) -> None:
        if where:
            sources[path] = where

    cluster = dossier.cluster
    for path, field in (
        ("ten_cum", "name"),
        ("ten_cum_ngan", "short_name"),
        ("co_quan_cap_tren", "parent_body"),
        ("dia_danh", "place"),
        ("nam", "year"),
        ("the_thuc", "doc_format"),
    ):
        put(path, _at(cluster.src, field))
    for kind, info in cluster.documents.items():
        for name, field in (
            ("so", "number"),
            ("loai", "type_code"),
            ("co_quan", "issuer_code"),
            ("ngay", "signing_date"),
        ):
            put(f"van_ban.{kind}.{name}", _at(info.src, field))
    unit_fields = {
        "ten": "full_name",
        "ten_ngan": "short_name",
        "ten_in_hoa": "header_name",
        "vai_tro_chu": "role",
        "thu_truong": "head_name",
        "chuc_vu_thu_truong": "head_title",
        "nguoi_ky": "signer_name",
        "chuc_vu_nguoi_ky": "signer_title",
    }
    for unit in dossier.units:
        for name, field in unit_fields.items():
            put(f"don_vi[{unit.code}].{name}", _at(unit.src, field))
        put(f"bang_diem[{unit.code}].ten", _at(unit.src, "full_name"))
        for name, field in (("tu_cham", "self_score"), ("cum_cham", "cluster_score")):
            rows = [s.src for s in dossier.scores if s.unit == unit.code and s.src.file]
            cells = [s.cells[field] for s in rows if field in s.cells]
            if rows and cells:
                put(f"bang_diem[{unit.code}].{name}", f"{rows[0].file} › {rows[0].sheet}!"
                    f"{_joined_cells(cells)}")  # fmt: skip
        sources.setdefault(f"bang_diem[{unit.code}].tong", sources.get(
            f"bang_diem[{unit.code}].cum_cham", ""))  # fmt: skip
    meeting = dossier.meeting
    for name, field in (
        ("ngay", "date"),
        ("bat_dau", "start"),
        ("ket_thuc", "end"),
        ("dia_diem", "venue"),
    ):
        put(f"hoi_nghi.{name}", _at(meeting.src, field))
    for salary in dossier.params.base_salaries:
        put(f"luong_co_so@{show(salary.amount)}", _at(salary.src, "amount"))
    return {k: v for k, v in sources.items() if v}


def _cell_value(record: object, field: str) -> str:
    return show(getattr(record, field, None))


def _record_subject(record: object, units: Mapping[str, str]) -> str:
    code = getattr(record, "unit", None)
    if type(record).__name__ == "Unit":
        return str(getattr(record, "full_name", ""))
    if type(record).__name__ == "DocumentInfo":
        return DOCUMENT_NAMES.get(str(getattr(record, "kind", "")), "")
    if type(record).__name__ == "Score":
        return f"{units.get(str(code), code)}, tiêu chí {getattr(record, 'criterion', '')}"
    name = getattr(record, "name", None)
    if isinstance(name, str) and type(record).__name__ in ("IndividualProposal", "Attendee"):
        return name
    if isinstance(code, str):
        return units.get(code, code)
    return ""


def _records(value: object) -> Iterable[object]:
    """Every record (a dataclass with a ``src``) reachable from ``value``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(getattr(value, "src", None), Source):
            yield value
        for f in dataclasses.fields(value):
            if f.name != "src":
                yield from _records(getattr(value, f.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _records(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _records(item)


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def input_cells(dossier: Dossier) -> dict[str, dict[str, str]]:
    """Every workbook cell the dossier was read from: ``"Sheet!C7"`` → its value as text, the
    record it belongs to (``chu_the``) and the field (``muc``). A cell of another file than the
    cluster's workbook (shared settings) is keyed ``"file › Sheet!C7"``."""
    units = {u.code: u.full_name for u in dossier.units}
    own = _file_name(dossier.path)
    cells: dict[str, dict[str, str]] = {}
    for record in _records(dossier):
        src: Source = record.src  # type: ignore[attr-defined]
        subject = _record_subject(record, units)
        prefix = "" if not src.file or _file_name(src.file) == own else f"{src.file} › "
        for field, cell in src.cells.items():
            cells[f"{prefix}{src.sheet}!{cell}"] = {
                "gia_tri": _cell_value(record, field),
                "chu_the": subject,
                "muc": _FIELDS.get(field, field),
            }
    return dict(sorted(cells.items()))


def snapshot(
    dossier: Dossier,
    context: Mapping[str, object],
    templates: Mapping[str, Sequence[str]],
) -> Snapshot:
    """The canonical snapshot of one cluster-year's printed facts (see the module docstring).

    ``templates`` maps each template file name to the top-level names it reads.
    """
    leaves: dict[str, object] = {}
    _flatten(context, "", "", leaves)
    units = {u.code: u.full_name for u in dossier.units}
    sources = fact_sources(dossier)
    salary = context.get("luong_co_so")
    if isinstance(salary, Mapping):
        where = sources.get(f"luong_co_so@{show(salary.get('muc'))}")
        if where:
            sources["luong_co_so.muc"] = where
    facts: dict[str, dict[str, object]] = {}
    for path, value in leaves.items():
        label_path = _label_path(path)
        if any(copy in label_path for copy in _COPIES) and not label_path.endswith(
            (".ten", "bieu_quyet.ket_qua")
        ):
            continue
        if (
            label_path.startswith(("xep_hang[].don_vi", "hoi_nghi."))
            and "[]" in label_path
            and not label_path.startswith("hoi_nghi.thao_luan")
        ):
            continue
        labelled = _LABELS.get(label_path, (label_path, "van"))
        if labelled is None:
            continue
        label, kind = labelled
        fact: dict[str, object] = {
            "chu_the": _subject(path, context, units),
            "muc": label,
            "kieu": kind,
            "gia_tri": show(value, kind),
            "van_ban": documents_printing(path, templates),
        }
        if path in sources:
            fact["nguon"] = sources[path]
        facts[path] = fact
    # The people present: one fact (the list), not one per person.
    meeting = context.get("hoi_nghi")
    if isinstance(meeting, Mapping):
        for key, label in (
            ("dai_bieu", "Đại biểu có mặt"),
            ("vang_mat", "Đại biểu vắng mặt"),
            ("khach_moi", "Khách mời"),
            ("don_vi_vang_mat", "Đơn vị vắng mặt"),
        ):
            people = meeting.get(key) or []
            assert isinstance(people, list)
            facts[f"hoi_nghi.{key}"] = {
                "chu_the": "",
                "muc": label,
                "kieu": "van",
                "gia_tri": "; ".join(str(p.get("mo_ta") or p.get("ten") or "") for p in people),
                "van_ban": documents_printing(f"hoi_nghi.{key}", templates),
            }
    return {
        "dinh_dang": FORMAT,
        "cum": dossier.cluster.name,
        "nam": dossier.cluster.year,
        "workbook": _file_name(dossier.path),
        "van_ban": {name: sorted(v) for name, v in sorted(templates.items())},
        "du_lieu": dict(sorted(facts.items())),
        "o_nhap": input_cells(dossier),
    }


def snapshot_json(data: Snapshot) -> bytes:
    """Deterministic bytes: sorted keys, UTF-8, one fact or cell a line (so that two snapshots
    compare line by line in any text tool), a final newline.

    >>> print(snapshot_json({"b": {"x": [1]}, "a": 1}).decode(), end="")
    {
    "a": 1,
    "b": {
    "x": [1]
    }
    }
    """

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))

    lines = ["{"]
    items = sorted(data.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, Mapping) and value:
            lines.append(f"{compact(key)}: {{")
            inner = sorted(value.items())
            lines += [
                f"{compact(k)}: {compact(v)}{',' if i < len(inner) - 1 else ''}"
                for i, (k, v) in enumerate(inner)
            ]
            lines.append("}" + comma)
        else:
            lines.append(f"{compact(key)}: {compact(value)}{comma}")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_snapshot(data: bytes | None) -> Snapshot | None:
    """A snapshot read back (``None`` when absent, unreadable or of another format)."""
    if data is None:
        return None
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(loaded, dict) or loaded.get("dinh_dang") != FORMAT:
        return None
    return loaded
