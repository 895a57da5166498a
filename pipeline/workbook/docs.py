"""``docs/workbook.md`` and the reference tables, generated from the schema.

Pure: no I/O. :func:`render_workbook_doc` gives the whole of ``docs/workbook.md`` and
:func:`render_shared_doc` that of ``docs/cai-dat-chung.md``, the shared settings file (both
written by ``scripts/make_workbooks.py``; a test checks the committed files against them), and
:func:`column_reference_rows` the rows of one sheet's reference table, which the instructions
sheet of every written workbook shows too (:mod:`pipeline.workbook.xlsx_write`).
:data:`LOADER_CODES` lists every problem code reading a workbook can report.
"""

from __future__ import annotations

from pipeline.workbook.schema import (
    BLANK_FILE,
    EMPTY_RUN,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    MAX_PARSED_BYTES,
    MAX_PART_BYTES,
    SAMPLE_FILE,
    SHARED_FILE,
    SHARED_KEYS,
    SHARED_SHEETS,
    SHEETS,
    SKIP_PREFIX,
    TYPE_LABELS,
    Choice,
    Sheet,
    range_text,
)

__all__ = ["LOADER_CODES", "column_reference_rows", "render_shared_doc", "render_workbook_doc"]

#: Every problem code the loader reports: code, severity, meaning (for docs/workbook.md and
#: ``thidua check --json`` readers).
LOADER_CODES: tuple[tuple[str, str, str], ...] = (
    ("file-missing", "lỗi", "Không tìm thấy hoặc không đọc được tệp."),
    ("file-name", "lỗi", "Tên tệp có ký tự không đọc được (không phải chữ Unicode UTF-8)."),
    (
        "file-format",
        "lỗi",
        "Tệp không phải .xlsx (tệp .xls cũ, .csv, .ods, .docx, thư mục, thiết bị, FIFO…) hoặc "
        "quá lớn.",
    ),
    ("file-encrypted", "lỗi", "Workbook có mật khẩu (mã hóa)."),
    ("file-corrupt", "lỗi", "Tệp .xlsx bị hỏng."),
    (
        "sheet-unreadable",
        "lỗi",
        "Một sheet bị hỏng, không phải bảng tính, hoặc giải nén ra quá lớn để đọc.",
    ),
    ("sheet-missing", "lỗi / cảnh báo", "Thiếu sheet (cảnh báo nếu sheet không bắt buộc)."),
    ("sheet-empty", "lỗi", "Sheet bắt buộc chưa có dòng dữ liệu nào."),
    (
        "sheet-duplicate",
        "cảnh báo",
        "Hai sheet cùng là một sheet của mẫu, cùng nội dung (bản sao); chỉ đọc một.",
    ),
    (
        "sheet-conflict",
        "lỗi",
        "Hai sheet cùng là một sheet của mẫu nhưng nội dung khác nhau; không sheet nào được đọc.",
    ),
    ("too-many-rows", "lỗi", "Sheet có quá nhiều dòng dữ liệu."),
    ("rows-ignored", "cảnh báo", "Dòng ở xa phía dưới, sau khoảng trống dài, không được đọc."),
    ("header-missing", "lỗi / cảnh báo", "Thiếu cột (hoặc tiêu đề cột bị đổi tên)."),
    ("header-unknown", "cảnh báo", "Cột lạ, không được đọc."),
    ("header-duplicate", "lỗi", "Một cột xuất hiện hai lần."),
    ("header-merged", "lỗi", "Ô gộp ở dòng tiêu đề."),
    ("merged-cells", "cảnh báo", "Ô gộp trong vùng dữ liệu."),
    ("hidden-rows", "cảnh báo", "Dòng ẩn có dữ liệu (vẫn được đọc)."),
    ("key-missing", "lỗi", "Thiếu một mục bắt buộc, hoặc có giá trị mà không có tên mục."),
    ("key-unknown", "cảnh báo", "Mục lạ, không được đọc."),
    ("key-duplicate", "lỗi", "Một mục ghi hai lần."),
    ("required-blank", "lỗi", "Ô bắt buộc để trống."),
    ("number-format", "lỗi", "Không đọc được số (1.5, 1,000, 95đ…)."),
    ("value-format", "lỗi", "Không đọc được ngày, giờ, tỷ lệ; giá trị ngoài danh sách chọn."),
    ("formula-no-cache", "lỗi", "Công thức không có giá trị lưu sẵn và không tính lại được."),
    ("formula-stale", "lỗi", "Giá trị lưu sẵn của công thức khác kết quả tính lại ngay."),
    ("formula-error", "lỗi", "Công thức cho kết quả lỗi (#DIV/0!, #REF!…)."),
    ("cell-error", "lỗi", "Ô chứa giá trị lỗi của Excel (#N/A…)."),
    ("legacy-font", "cảnh báo", "Chữ gõ bằng phông TCVN3/VNI đã được chuyển sang Unicode."),
    ("unit-unknown", "lỗi", "Mã đơn vị không có ở sheet DonVi."),
    ("unit-ambiguous", "lỗi", "Tên gọi khác dùng chung cho nhiều đơn vị."),
    ("unit-alias", "lưu ý", "Đơn vị được ghi bằng tên gọi khác thay cho mã."),
    ("award-form-duplicate", "lỗi", "Một mã hình thức khen thưởng dùng hai lần."),
    ("document-duplicate", "lỗi", "Một văn bản có hai dòng ở sheet VanBan."),
    ("document-missing", "lỗi", "Một trong bốn văn bản chưa có dòng ở sheet VanBan."),
    ("shared-invalid", "lỗi", f"Tệp cài đặt chung {SHARED_FILE} có lỗi: các cụm dùng nó chưa lập."),
)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _choice_text(choice: Choice) -> str:
    """``Có (cũng nhận: co, Đúng, TRUE, 1)``: a value and every other spelling accepted."""
    others = choice.other_spellings()
    return f"{choice.label} (cũng nhận: {', '.join(others)})" if others else choice.label


def column_reference_rows(sheet: Sheet) -> list[tuple[str, str, str, str, str, str]]:
    """One row per column (setting): header, meaning, type, required, example, allowed values.

    Used for the instructions sheet and the Markdown docs.
    """
    rows = []
    for col in sheet.columns:
        meaning = col.meaning
        if col.aliases:
            meaning += " Tên cột khác được chấp nhận: " + ", ".join(col.aliases) + "."
        allowed = "; ".join(_choice_text(c) for c in col.choices)
        if col.minimum is not None and col.maximum is not None:
            allowed = range_text(col)
        if col.required:
            required = "Có"
        elif col.must_exist:
            required = f"Cột phải có; ô có thể trống ({col.default})"
        else:
            required = f"Không ({col.default})" if col.default else "Không"
        rows.append((col.header, meaning, TYPE_LABELS[col.type], required, col.example, allowed))
    return rows


_INTRO = """\
# Workbook bảng điểm thi đua

<!-- Tệp này được sinh tự động từ pipeline/workbook/schema.py bằng scripts/make_workbooks.py.
     Đừng sửa tay: sửa schema rồi chạy lại script. -->

Mỗi cụm (khối) thi đua, mỗi năm, dùng **một workbook Excel (.xlsx)**. Lệnh `thidua init`
tạo thư mục `inputs/` có hai workbook:

- `{sample}`: workbook mẫu, ghi đầy đủ số liệu năm 2013 của Cụm thi đua các Ban Đảng thuộc
  Tỉnh ủy Lạng Sơn;
- `{blank}`: workbook trống, chỉ có tiêu đề cột, danh sách chọn và hướng dẫn.

Sao chép workbook trống (hoặc workbook mẫu), đặt tên mới, rồi nhập số liệu. Đừng gõ lại tiêu
đề cột: hãy dùng workbook do `thidua init` tạo. `thidua build` lập văn bản cho mọi workbook
trong `inputs/` **trừ các tệp có tên bắt đầu bằng dấu gạch dưới** (`{prefix}`), như workbook
trống `{blank}`.

Những gì nhiều cụm của tỉnh dùng chung (mức lương cơ sở, hình thức khen thưởng và hệ số, căn
cứ, nơi nhận, tham số) có thể ghi một lần vào **tệp cài đặt chung** `{shared}` đặt cùng thư
mục; dòng của workbook cụm được ưu tiên hơn. Xem `docs/cai-dat-chung.md`.

## Quy tắc chung

- **Sheet.** Mỗi khái niệm một sheet, tên sheet viết liền không dấu (`DonVi`, `ChamDiem`…);
  tên có dấu (`Đơn vị`) cũng được nhận. Sheet `{instructions}` (hướng dẫn) và sheet ẩn
  `{lists}` (danh sách chọn) không được đọc; các sheet khác không có trong bảng dưới đây được
  bỏ qua, nên có thể thêm sheet tính toán riêng.
- **Bảng (table).** Dòng 1 là tiêu đề cột; mỗi dòng từ dòng 2 là một bản ghi. Cột được tìm
  theo tiêu đề (không phân biệt hoa thường, kiểu gõ dấu `ủy`/`uỷ`, dấu cách thừa), nên có thể
  đổi thứ tự cột. Thiếu một cột bắt buộc là lỗi; cột lạ được bỏ qua kèm cảnh báo. Dòng trống
  được bỏ qua; việc đọc dừng sau {empty_run} dòng trống liên tiếp, và một sheet quá
  {max_rows} dòng dữ liệu bị báo lỗi.
- **Mục – giá trị (key–value).** Dòng 1 là `Mục | Giá trị | Ghi chú`; mỗi dòng sau là một
  mục: tên mục ở cột A, giá trị ở cột B, cột C chỉ để ghi chú. Thứ tự các dòng tùy ý.
- **Đơn vị** được ghi bằng mã (`Mã đơn vị` ở sheet `DonVi`) hoặc bằng một tên gọi khác của
  đơn vị (cột `Tên gọi khác`, tên đầy đủ hay tên ngắn), so khớp không phân biệt hoa thường và
  kiểu gõ dấu (`Tỉnh uỷ` = `Tỉnh ủy`). Mã không tìm thấy là lỗi tại ô đó.
- **Số.** Ô kiểu số của Excel được đọc chính xác (973,5 vẫn là 973,5). Số gõ dạng chữ theo
  kiểu Việt Nam được nhận khi không thể hiểu hai cách: `973,5`, `1.000`, `1.150.000`,
  `1.000,5`. Bị từ chối (báo lỗi kèm cách sửa): `1.5` (dấu chấm không phải nhóm nghìn),
  `1,000` (có thể là một nghìn hoặc một), `1,000.5`, `95đ`, `95 điểm`.
- **Ô trống không bao giờ là số 0.** Ô bắt buộc để trống là lỗi; điểm bằng 0 phải ghi 0.
- **Số của một mục** (sheet mục – giá trị: năm, thang điểm, tham số) phải nằm trong khoảng ở
  cột “Giá trị cho phép”; số ngoài khoảng (điểm cộng tối đa âm, năm 13) là lỗi tại ô đó.
- **Công thức.** Ô công thức dùng giá trị Excel đã tính và lưu trong tệp. Tệp được lưu bởi
  chương trình không tính công thức (không có giá trị lưu sẵn) thì giá trị được tính lại từ các
  ô trong cùng sheet, với các dạng `=SUM(C2:C9)`, `=C2+C3-C4`, `=C2*2`, `=C2`; công thức khác
  bị báo lỗi, không bao giờ đọc thành 0. Giá trị lưu sẵn khác kết quả tính lại từ các ô mà
  công thức dùng (tệp bị sửa bằng chương trình không tính lại) cũng là lỗi.
- **Chữ.** Mọi ô chữ được chuẩn hóa Unicode dựng sẵn (NFC), bỏ dấu cách thừa. Chữ gõ bằng
  phông TCVN3 (`.VnTime`…) hoặc VNI (`VNI-Times`…) được chuyển sang Unicode theo phông của ô,
  kèm cảnh báo liệt kê các ô đã chuyển.
- **Ô gộp (merge).** Ô gộp ở dòng tiêu đề là lỗi. Ô gộp trong vùng dữ liệu được đọc như thể
  giá trị của ô đầu điền vào mọi ô của vùng, kèm cảnh báo; nên bỏ gộp.
- **Dòng ẩn** vẫn được đọc như dòng thường (ẩn không có nghĩa là xóa), kèm cảnh báo liệt kê
  các dòng ẩn có dữ liệu.
- **Ngày** là ô ngày của Excel hoặc chữ `dd/mm/yyyy`, từ 01/01/1900 đến 31/12/2199 (ngày khác,
  như 31/12/9999, là lỗi); **giờ** là ô giờ hoặc chữ `14:00`, `14h00`, `14 giờ`.
- **Ô chọn** (danh sách chọn, Có / Không) chỉ nhận các giá trị ở cột “Giá trị cho phép” và
  các cách ghi khác liệt kê ngay sau mỗi giá trị (không phân biệt hoa thường); ghi khác (một
  dấu `x`, `v`, `✓`…) là lỗi tại ô đó, vì không rõ là có hay không.
- **Sheet bắt buộc** phải có trong workbook; sheet bảng bắt buộc phải có ít nhất một dòng dữ
  liệu (trừ `LuongCoSo` và `HinhThuc`, cần khi có đề nghị khen thưởng kèm tiền thưởng). Mọi lỗi
  của workbook được báo cùng một lần kiểm tra: ô hay sheet không đọc được không che các lỗi
  khác.
- **Hai sheet cùng một tên của mẫu** (`Đơn vị` và `DonVi`): nếu là bản sao giống hệt, chỉ đọc
  một, kèm cảnh báo; nếu nội dung khác nhau là lỗi, và không sheet nào được đọc.
- Chỉ các sheet của mẫu được đọc; tệp quá {max_file} MB, một sheet của mẫu giải nén ra quá
  {max_part} MB (cả workbook quá {max_parsed} MB) là lỗi. Ô ghi mã `_x000D_` (Excel dùng để
  lưu ký tự điều khiển) được đọc như Excel hiển thị. Dòng chỉ được định dạng (tô màu, kẻ
  khung) mà không có giá trị không phải dữ liệu.
- Tệp không mở được (không phải .xlsx, tệp .xls cũ, có mật khẩu, hỏng, không phải tệp thông
  thường như thiết bị hay FIFO) được báo lỗi rõ ràng.

## Các sheet

| Sheet | Nội dung | Dạng | Bắt buộc |
|---|---|---|---|
"""


_OUTRO = """
## Mã lỗi khi đọc workbook

`thidua check` báo mỗi vấn đề kèm tệp, sheet và ô, nói rõ sai gì và cách sửa. Các mã dưới đây là
của bước đọc workbook (`--json` trả về trường `code`); các quy tắc kiểm tra nội dung (tổng điểm,
xếp hạng, biểu quyết…) có mã theo danh mục quy tắc (A1, B8…).

| Mã | Mức | Ý nghĩa |
|---|---|---|
"""

_DEVELOPERS = """
## Dành cho người phát triển

- `pipeline/workbook/schema.py` là nguồn duy nhất của định dạng: bộ đọc (`pipeline/workbook/`),
  bộ ghi (`pipeline/workbook/xlsx_write.py`) và tài liệu này đều sinh ra từ đó. Sửa schema rồi chạy
  `.venv/bin/python scripts/make_workbooks.py` để sinh lại tài liệu và hai workbook trong
  `inputs/`; kiểm thử so sánh tệp đã commit với tệp sinh lại.
- `pipeline.workbook.sample.sample_sheets()` trả về nội dung workbook mẫu (mỗi sheet một danh
  sách dòng, khóa là tiêu đề cột); `pipeline.workbook.xlsx_write.write_workbook(sheets, path)`
  ghi ra tệp. Dòng thứ `i` (đếm từ 0) của một sheet nằm ở ô
  `pipeline.workbook.schema.cell_of(sheet, i, tiêu_đề)`;
  với sheet mục – giá trị, `value_cell(sheet, tên_mục)` là ô giá trị.
- Bộ đọc (`pipeline/workbook/xlsx_package.py`, `xlsx_read.py`) chỉ mở tệp thông thường, chỉ
  giải nén và đọc các sheet của mẫu, trong giới hạn kích thước; XML của sheet được đọc một lượt,
  dừng sớm; bảng định dạng (phông chữ, định dạng ngày) và ngày của Excel cũng do bộ đọc tự đọc
  (`xlsx_styles.py`), openpyxl chỉ dùng để dịch công thức dùng chung. Cột ẩn và sheet ẩn được
  đọc như bình thường, không cảnh báo.
"""


def render_workbook_doc() -> str:
    """``docs/workbook.md``: the format, generated from :mod:`pipeline.workbook.schema`."""
    out = [
        _INTRO.format(
            sample=SAMPLE_FILE,
            blank=BLANK_FILE,
            shared=SHARED_FILE,
            prefix=SKIP_PREFIX,
            instructions=INSTRUCTIONS_SHEET,
            lists=LISTS_SHEET,
            empty_run=EMPTY_RUN,
            max_file=MAX_FILE_BYTES // 2**20,
            max_part=MAX_PART_BYTES // 2**20,
            max_parsed=MAX_PARSED_BYTES // 2**20,
            max_rows=f"{MAX_DATA_ROWS:,}".replace(",", "."),
        )
    ]
    for sheet in SHEETS:
        kind = "bảng" if sheet.kind == "table" else "mục – giá trị"
        if sheet.needs_rows:
            required = "có, và phải có ít nhất một dòng"
        elif sheet.required and sheet.kind == "table":
            required = "có (có thể chưa có dòng nào)"
        elif sheet.required:
            required = "có"
        else:
            required = "không (thiếu sheet: coi như trống, có cảnh báo)"
        out.append(f"| `{sheet.name}` | {_md(sheet.purpose)} | {kind} | {required} |\n")
    for sheet in SHEETS:
        out.append(f"\n### `{sheet.name}`: {sheet.title}\n\n{sheet.purpose}\n\n")
        if sheet.aliases:
            names = ", ".join(f"`{a}`" for a in sheet.aliases)
            out.append(f"Tên sheet khác được chấp nhận: {names}.\n\n")
        if sheet.kind == "keyvalue":
            out.append(
                "Dạng mục – giá trị: mỗi mục một dòng, tên mục ở cột A (`Mục`), giá trị ở cột B "
                "(`Giá trị`).\n\n"
            )
            first = "Mục"
        else:
            first = "Cột"
        out.append(f"| {first} | Ý nghĩa | Kiểu | Bắt buộc | Ví dụ | Giá trị cho phép |\n")
        out.append("|---|---|---|---|---|---|\n")
        for header, meaning, type_label, required_text, example, allowed in column_reference_rows(
            sheet
        ):
            cells = (f"`{header}`", meaning, type_label, required_text, example, allowed)
            out.append("| " + " | ".join(_md(c) for c in cells) + " |\n")
    out.append(_OUTRO)
    for code, severity, meaning in LOADER_CODES:
        out.append(f"| `{code}` | {severity} | {_md(meaning)} |\n")
    out.append(_DEVELOPERS)
    return "".join(out)


_SHARED_INTRO = """\
# Tệp cài đặt chung của tỉnh (`{shared}`)

<!-- Tệp này được sinh tự động từ pipeline/workbook/schema.py bằng scripts/make_workbooks.py.
     Đừng sửa tay: sửa schema rồi chạy lại script. -->

Nhiều cụm (khối) thi đua của một tỉnh dùng chung một số nội dung: **mức lương cơ sở**, **hình
thức khen thưởng và hệ số tiền thưởng**, **căn cứ ban hành**, **nơi nhận** và **tham số** (cách
xếp hạng, ngưỡng biểu quyết, tỷ lệ Bằng khen…). Thay vì chép lại vào workbook của từng cụm,
ghi chúng một lần vào tệp cài đặt chung.

## Đặt tệp ở đâu

- Tên tệp đúng là **`{shared}`**, đặt **cùng thư mục** với workbook của các cụm (thường là
  `inputs/`). `thidua init` tạo sẵn một tệp trống có đủ sheet và hướng dẫn.
- Mọi workbook trong thư mục đó dùng tệp này, khi `thidua check` và khi `thidua build`. Tên bắt
  đầu bằng `{prefix}` nên `thidua build` không coi nó là workbook của một cụm.
- Không có tệp này thì mỗi workbook dùng đúng các dòng của mình, như trước.

## Tệp có gì

Các sheet dưới đây, ghi **giống hệt** sheet cùng tên trong workbook bảng điểm (xem
`docs/workbook.md`): cùng tên sheet, cùng tiêu đề cột, cùng cách ghi số, ngày, tỷ lệ. Sheet nào
cũng **không bắt buộc**: xóa sheet không dùng, hoặc để trống. Lỗi trong tệp được báo kèm tên tệp,
sheet và ô (ví dụ `{shared} › LuongCoSo!A3`), như lỗi của workbook.

| Sheet | Nội dung | Dòng của cụm thay dòng của tệp chung |
|---|---|---|
"""

_SHARED_RULES = """
## Workbook của cụm được ưu tiên

Tệp chung là phần **mặc định**; workbook của cụm ghi khác thì dùng phần của cụm, từng dòng một
(theo cột ở bảng trên). Ví dụ:

- Tệp chung có mức lương cơ sở 2.340.000 đồng từ 01/07/2024. Mọi cụm tính tiền thưởng theo mức
  đó. Cụm nào ghi ở sheet `LuongCoSo` của mình một dòng cũng **từ 01/07/2024** với số khác, thì
  cụm đó dùng số của mình; các cụm khác vẫn dùng số của tệp chung.
- Tệp chung có hình thức `BK_UBND_TT` hệ số 2,0. Cụm ghi `BK_UBND_TT` ở sheet `HinhThuc` của
  mình thì cả dòng của cụm (tên, đối tượng, hệ số…) được dùng. Hình thức chỉ có ở một bên thì
  vẫn được dùng.
- Sheet `ThamSo`: mục cụm để trống thì lấy giá trị của tệp chung; tệp chung cũng để trống thì
  lấy giá trị mặc định ghi ở `docs/workbook.md`.
- Sheet `CanCu`, `NoiNhan`: văn bản nào cụm có ít nhất một dòng thì chỉ dùng các dòng của cụm
  cho văn bản đó; văn bản khác dùng các dòng của tệp chung.
- Workbook của cụm có thể **bỏ hẳn** các sheet `ThamSo`, `LuongCoSo`, `HinhThuc` khi tệp chung
  có chúng (không có tệp chung thì các sheet này bắt buộc).

## Khi sửa tệp chung

1. Sửa `{shared}` (ví dụ thêm mức lương cơ sở mới), lưu lại.
2. Chạy `thidua check` để xem lỗi (nếu có) của tệp chung và của từng cụm.
3. Chạy `thidua build`: **mọi cụm dùng tệp** được lập lại; văn bản nào có số liệu đổi (tiền
   thưởng…) thì `cập nhật`, văn bản không đổi thì `không đổi`. Tệp chung được ghi vào
   `manifest.json` của từng thư mục kết quả (mục `inputs`, kèm mã SHA-256), nên biết được mỗi
   lần lập đã dùng bản nào của tệp chung.
4. Tệp chung có lỗi thì **không cụm nào** dùng nó được lập (lỗi `shared-invalid`), để không
   văn bản nào tính theo số liệu sai; các lỗi của tệp chung chỉ in một lần.

## Dành cho người phát triển

- Danh sách sheet của tệp chung và cách cụm thay dòng là `SHARED_SHEETS`, `SHARED_KEYS` trong
  `pipeline/workbook/schema.py`; việc đọc là `pipeline.workbook.loader.load_shared` (cùng bộ đọc
  `reader.locate` và `parts`), việc ghép là `pipeline/workbook/shared.py`.
- Mỗi dòng lấy từ tệp chung giữ `src` (nguồn) trỏ vào tệp chung; mục `ThamSo` lấy từ tệp chung ở
  `Parameters.inherited`. `pipeline.workbook.shared.facts_from_shared(dossier, tên_tệp)` liệt kê
  các nội dung lấy từ tệp chung (cho báo cáo thay đổi).
- `write_workbook({{}}, path, shared=True)` ghi tệp trống.
"""


def render_shared_doc() -> str:
    """``docs/cai-dat-chung.md``: the shared settings file, generated from the schema."""
    out = [_SHARED_INTRO.format(shared=SHARED_FILE, prefix=SKIP_PREFIX)]
    for sheet in SHARED_SHEETS:
        key_rule = SHARED_KEYS[sheet.name][1]
        out.append(f"| `{sheet.name}` | {_md(sheet.title)} | {_md(key_rule)} |\n")
    out.append(_SHARED_RULES.format(shared=SHARED_FILE))
    out.append("\n## Các cột của từng sheet\n")
    for sheet in SHARED_SHEETS:
        out.append(f"\n### `{sheet.name}`: {sheet.title}\n\n{sheet.purpose}\n\n")
        first = "Mục" if sheet.kind == "keyvalue" else "Cột"
        out.append(f"| {first} | Ý nghĩa | Kiểu | Bắt buộc (nếu có dòng) | Ví dụ |\n")
        out.append("|---|---|---|---|---|\n")
        for header, meaning, type_label, required, example, _ in column_reference_rows(sheet):
            cells = (f"`{header}`", meaning, type_label, required, example)
            out.append("| " + " | ".join(_md(c) for c in cells) + " |\n")
    return "".join(out)
