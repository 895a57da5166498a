"""The sample workbook's content: Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn, năm 2013.

Pure: no I/O. :func:`sample_sheets` returns the rows of every sheet, keyed by the exact column
headers of :mod:`pipeline.workbook.schema`; :func:`pipeline.workbook.xlsx_write.write_workbook`
turns them into the bundled ``inputs/cum-cac-ban-dang-lang-son-2013.xlsx``, and tests mutate one
cell of a fresh copy to exercise one rule.

What the story (``shared/seed``: LSO, "Cụm thi đua các Ban Đảng: Tổng kết công tác thi đua,
khen thưởng năm 2013") says is kept: 9 units; the meeting on the afternoon of 10/01/2014 at Ban
Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh (cụm trưởng 2013); every unit at 973 points or more out of
1.000; thứ Nhất Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh, thứ Nhì Ban Dân vận, thứ Ba Văn phòng
Tỉnh ủy and Ban Tuyên giáo; 2014 cụm trưởng Văn phòng Tỉnh ủy, cụm phó Ban Tổ chức; the
limitations; the covenant for 2014. Everything else (criteria, per-criterion scores, people's
names, proposals, document numbers) is invented, consistently with the story: people's names are
fictitious. The covenant's legal bases (CanCu) are the real texts in force on 10/01/2014; the
Tỉnh ủy's guidance is named generically, without a number.
"""

from __future__ import annotations

import copy
from datetime import date, time
from decimal import Decimal

Row = dict[str, object]

D = Decimal

#: Unit code, full name, short name, header name, aliases, role, head, head's title, signer,
#: signer's title. Order is the cluster's official order.
_UNITS: tuple[tuple[str, str, str, str, str, str, str, str, str | None, str | None], ...] = (
    ("VPTU", "Văn phòng Tỉnh ủy", "Văn phòng Tỉnh ủy", "VĂN PHÒNG", "VP TU; Văn phòng TU",
     "Cụm phó", "Lương Văn Bình", "Chánh Văn phòng", None, None),
    ("BTCTU", "Ban Tổ chức Tỉnh ủy", "Ban Tổ chức", "BAN TỔ CHỨC", "BTC TU; Ban TC Tỉnh ủy",
     "Thành viên", "Hoàng Văn Thắng", "Trưởng ban", None, None),
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "Ủy ban Kiểm tra", "ỦY BAN KIỂM TRA",
     "UBKT TU; UBKT Tỉnh ủy", "Thành viên", "Nông Đức Hải", "Chủ nhiệm", None, None),
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo", "BAN TUYÊN GIÁO",
     "BTG TU; Ban TG Tỉnh ủy", "Thành viên", "Vi Thị Hồng", "Trưởng ban", None, None),
    ("BDVTU", "Ban Dân vận Tỉnh ủy", "Ban Dân vận", "BAN DÂN VẬN", "BDV TU; Ban DV Tỉnh ủy",
     "Thành viên", "Lăng Văn Quân", "Trưởng ban", None, None),
    ("BNCTU", "Ban Nội chính Tỉnh ủy", "Ban Nội chính", "BAN NỘI CHÍNH",
     "BNC TU; Ban NC Tỉnh ủy", "Thành viên", "Đinh Công Tuấn", "Trưởng ban", None, None),
    ("BBVCSSK", "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
     "Ban Bảo vệ, chăm sóc sức khỏe cán bộ", "BAN BẢO VỆ, CHĂM SÓC SỨC KHỎE CÁN BỘ",
     "BVCSSKCB; Ban BVCSSK cán bộ tỉnh", "Cụm trưởng", "Nguyễn Văn Lực", "Trưởng ban",
     "Hà Thị Lan", "Phó Trưởng ban Thường trực"),
    ("DUK", "Đảng ủy Khối các cơ quan tỉnh", "Đảng ủy Khối các cơ quan tỉnh",
     "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "ĐUK; Đảng ủy Khối CCQ tỉnh", "Thành viên",
     "Chu Văn Phương", "Bí thư", None, None),
    ("TCT", "Trường Chính trị Hoàng Văn Thụ", "Trường Chính trị Hoàng Văn Thụ",
     "TRƯỜNG CHÍNH TRỊ HOÀNG VĂN THỤ", "Trường Chính trị tỉnh", "Thành viên",
     "Triệu Thị Mai", "Hiệu trưởng", None, None),
)

#: Criteria tree: code, parent, text, maximum. Three groups summing to 1.000, ten leaves.
_CRITERIA: tuple[tuple[str, str | None, str, int], ...] = (
    ("I", None, "Thực hiện nhiệm vụ chính trị, chuyên môn được giao", 550),
    ("I.1", "I", "Tham mưu cho Tỉnh ủy, Ban Thường vụ Tỉnh ủy ban hành chương trình, đề án, văn "
     "bản lãnh đạo, chỉ đạo thuộc lĩnh vực được giao", 200),
    ("I.2", "I", "Kết quả thực hiện nhiệm vụ chuyên môn theo chức năng, nhiệm vụ", 250),
    ("I.3", "I", "Cải cách hành chính, ứng dụng công nghệ thông tin trong hoạt động của cơ "
     "quan", 100),
    ("II", None, "Công tác xây dựng Đảng, xây dựng cơ quan và các đoàn thể", 300),
    ("II.1", "II", "Học tập, quán triệt nghị quyết; học tập và làm theo tấm gương đạo đức Hồ "
     "Chí Minh", 80),
    ("II.2", "II", "Xây dựng tổ chức đảng trong sạch, vững mạnh; công tác kiểm tra, giám sát",
     80),
    ("II.3", "II", "Hoạt động của Công đoàn, Đoàn Thanh niên, Hội Cựu chiến binh; thực hiện "
     "quy chế dân chủ ở cơ sở", 70),
    ("II.4", "II", "Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng", 70),
    ("III", None, "Công tác thi đua, khen thưởng và hoạt động của cụm", 150),
    ("III.1", "III", "Ban hành kế hoạch, phát động và tổ chức các phong trào thi đua", 50),
    ("III.2", "III", "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến; khen thưởng kịp "
     "thời, đúng quy định", 50),
    ("III.3", "III", "Tham gia hoạt động chung của cụm; gửi báo cáo đúng thời hạn", 50),
)

_LEAVES = ("I.1", "I.2", "I.3", "II.1", "II.2", "II.3", "II.4", "III.1", "III.2", "III.3")
_LEAF_MAX = (200, 250, 100, 80, 80, 70, 70, 50, 50, 50)

#: Points lost on each leaf (maximum − cluster score), per unit. With the adjustments below the
#: totals are: BBVCSSK 992; BDVTU 988,5; VPTU 985; BTGTU 985; BTCTU 982; UBKTTU 980,5;
#: BNCTU 977; DUK 975,5; TCT 973 — thứ Nhất, Nhì, Ba (two units), and the lowest exactly 973.
_LOSSES: dict[str, tuple[str, ...]] = {
    "VPTU": ("2", "4", "2", "1", "1", "1", "1", "1", "1", "1"),
    "BTCTU": ("3", "5", "2", "1", "1", "1", "1", "1", "2", "1"),
    "UBKTTU": ("4", "4", "2", "1", "1.5", "1", "1", "1", "1", "1"),
    "BTGTU": ("3", "3", "2", "0.5", "1", "1.5", "1", "1", "1", "1"),
    "BDVTU": ("3", "4", "2.5", "1", "1", "1", "0", "1", "2", "1"),
    "BNCTU": ("5", "6", "3", "1", "2", "1", "1", "1", "2", "1"),
    "BBVCSSK": ("2", "3", "1", "0", "0", "1", "0", "0", "1", "0"),
    "DUK": ("5", "6", "3", "1.5", "2", "1", "1", "1", "2", "2"),
    "TCT": ("6", "7", "3", "2", "2", "1", "1", "1", "2", "2"),
}

#: Where the self-score is above the cluster score: (unit, leaf) → (self-score, reason).
_ADJUSTED: dict[tuple[str, str], tuple[str, str]] = {
    ("BTCTU", "III.2"): ("49", "Báo cáo điển hình tiên tiến gửi chậm so với kế hoạch của cụm"),
    ("BDVTU", "I.3"): ("98", "Chưa triển khai đầy đủ phần mềm quản lý văn bản và điều hành"),
    ("BNCTU", "I.1"): ("198", "Một đề án tham mưu trình chậm so với chương trình công tác"),
    ("DUK", "III.2"): ("50", "Chưa kịp thời phát hiện, nhân rộng điển hình tiên tiến"),
    ("TCT", "I.2"): ("246", "Chưa hoàn thành đúng tiến độ 01 lớp bồi dưỡng theo kế hoạch"),
}

_PER_UNIT_RESULTS: tuple[tuple[str, str], ...] = (
    ("VPTU", "Văn phòng Tỉnh ủy tham mưu tổ chức tốt các hội nghị của Tỉnh ủy, Ban Thường vụ "
     "Tỉnh ủy; bảo đảm thông tin thông suốt, phục vụ kịp thời sự lãnh đạo, chỉ đạo của Tỉnh ủy."),
    ("BTCTU", "Ban Tổ chức Tỉnh ủy tham mưu thực hiện tốt công tác tổ chức, cán bộ, đánh giá, "
     "quy hoạch cán bộ và triển khai Nghị quyết Trung ương 4 khóa XI."),
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy hoàn thành chương trình kiểm tra, giám sát năm 2013, "
     "giải quyết kịp thời đơn thư theo thẩm quyền."),
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy chủ động tham mưu tổ chức học tập, quán triệt nghị quyết; "
     "làm tốt công tác tuyên truyền, nắm bắt dư luận xã hội."),
    ("BDVTU", "Ban Dân vận Tỉnh ủy tham mưu triển khai hiệu quả công tác dân vận, phong trào "
     "thi đua “Dân vận khéo” trên địa bàn tỉnh."),
    ("BNCTU", "Ban Nội chính Tỉnh ủy tham mưu tốt công tác nội chính, phòng, chống tham nhũng và "
     "cải cách tư pháp."),
    ("BBVCSSK", "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh thực hiện tốt công tác khám, điều trị "
     "và quản lý sức khỏe cán bộ; hoàn thành xuất sắc nhiệm vụ cụm trưởng năm 2013."),
    ("DUK", "Đảng ủy Khối các cơ quan tỉnh lãnh đạo các tổ chức cơ sở đảng trong Khối hoàn thành "
     "tốt nhiệm vụ chính trị năm 2013."),
    ("TCT", "Trường Chính trị Hoàng Văn Thụ hoàn thành kế hoạch đào tạo, bồi dưỡng cán bộ, "
     "đổi mới phương pháp giảng dạy lý luận chính trị."),
)

_NARRATIVES: tuple[tuple[str, str | None, str], ...] = (
    ("Đặc điểm, tình hình", None,
     "Các cơ quan trong cụm là cơ quan tham mưu, giúp việc và đơn vị sự nghiệp của Tỉnh ủy, "
     "được Tỉnh ủy, Ban Thường vụ Tỉnh ủy quan tâm lãnh đạo, chỉ đạo; đội ngũ cán bộ, công "
     "chức, viên chức đoàn kết, có tinh thần trách nhiệm. Bên cạnh đó, khối lượng công việc "
     "lớn, một số cơ quan còn thiếu cán bộ nên việc tham gia hoạt động chung của cụm có lúc "
     "chưa đầy đủ."),
    ("Lãnh đạo, chỉ đạo, tổ chức phong trào", None,
     "Năm 2013, các cơ quan trong cụm đã tích cực chủ động tham mưu với Tỉnh ủy triển khai thực "
     "hiện có hiệu quả trên các lĩnh vực tổ chức, xây dựng Đảng, kiểm tra, dân vận, tuyên giáo, "
     "tuyên truyền, bảo vệ chăm sóc sức khỏe cán bộ, đào tạo và bồi dưỡng cán bộ."),
    ("Lãnh đạo, chỉ đạo, tổ chức phong trào", None,
     "Triển khai thực hiện có hiệu quả các nghị quyết, phong trào, hoạt động, tiêu biểu là Nghị "
     "quyết Trung ương 4 khóa XI “Một số vấn đề cấp bách về xây dựng Đảng hiện nay”, Chỉ thị số "
     "03 của Bộ Chính trị về “tiếp tục đẩy mạnh thực hiện cuộc vận động học tập và làm theo tấm "
     "gương đạo đức Hồ Chí Minh”, phong trào thi đua “Lạng Sơn cùng cả nước chung tay xây dựng "
     "nông thôn mới”."),
    ("Lãnh đạo, chỉ đạo, tổ chức phong trào", None,
     "Cán bộ, công chức, viên chức các cơ quan trong cụm đã chấp hành tốt các chủ trương của "
     "Đảng, chính sách pháp luật của Nhà nước; thực hiện tốt công tác phòng chống tham nhũng, "
     "thực hành tiết kiệm, chống lãng phí."),
    *(("Kết quả của từng đơn vị", code, text) for code, text in _PER_UNIT_RESULTS),
    ("Công tác khen thưởng", None,
     "Các cơ quan trong cụm thực hiện công tác khen thưởng kịp thời, công khai, đúng quy định; "
     "chú trọng khen thưởng cán bộ, công chức trực tiếp thực hiện nhiệm vụ chuyên môn."),
    ("Hoạt động chung của cụm", None,
     "Cụm đã tổ chức ký kết giao ước thi đua năm 2013, sơ kết 6 tháng đầu năm và tổ chức chấm "
     "điểm chéo giữa các cơ quan theo đúng kế hoạch."),
    ("Hạn chế, tồn tại", None,
     "Tuy nhiên năm 2013, nội dung các phong trào thi đua còn đơn điệu, chưa thực sự thu hút cán "
     "bộ, công chức, viên chức của mỗi cơ quan trong cụm tham gia; việc đổi mới và đa dạng hóa "
     "hình thức các phong trào còn hạn chế; công tác phát hiện, nhân rộng điển hình tiên tiến "
     "tuy đã có nhưng chưa thường xuyên."),
    ("Nguyên nhân", None,
     "Nhiệm vụ chuyên môn của các cơ quan nhiều, thời gian dành cho hoạt động chung của cụm còn "
     "ít; một số cơ quan chưa quan tâm đúng mức đến việc đổi mới nội dung, hình thức thi đua."),
    ("Phương hướng, nhiệm vụ năm sau", None,
     "Năm 2014, các cơ quan trong cụm tập trung thực hiện nhiệm vụ trọng tâm của Tỉnh ủy; tiếp "
     "tục thực hiện Nghị quyết Trung ương 4 khóa XI và Chỉ thị số 03 của Bộ Chính trị; đổi mới "
     "nội dung, đa dạng hóa hình thức các phong trào thi đua; thường xuyên phát hiện, bồi dưỡng, "
     "nhân rộng điển hình tiên tiến."),
    ("Đề xuất, kiến nghị", None,
     "Đề nghị Ban Thi đua – Khen thưởng tỉnh tiếp tục quan tâm hướng dẫn nghiệp vụ công tác thi "
     "đua, khen thưởng; đề nghị Ủy ban nhân dân tỉnh xem xét tặng Cờ thi đua cho Ban Bảo vệ, "
     "chăm sóc sức khỏe cán bộ tỉnh, đơn vị dẫn đầu cụm năm 2013."),
)


def _kv(pairs: list[tuple[str, object]]) -> list[Row]:
    return [{"Mục": label, "Giá trị": value} for label, value in pairs]


def _units() -> list[Row]:
    return [
        {
            "Mã đơn vị": code,
            "Tên đầy đủ": full,
            "Tên ngắn": short,
            "Tên in ở tiêu đề": header,
            "Tên gọi khác": aliases,
            "Vai trò năm thi đua": role,
            "Thủ trưởng: họ tên": head,
            "Thủ trưởng: chức vụ": head_title,
            "Người ký thay: họ tên": signer,
            "Người ký thay: chức vụ": signer_title,
        }
        for code, full, short, header, aliases, role, head, head_title, signer, signer_title in (
            _UNITS
        )
    ]


def _scores() -> list[Row]:
    rows: list[Row] = []
    for unit in (u[0] for u in _UNITS):
        for leaf, maximum, loss in zip(_LEAVES, _LEAF_MAX, _LOSSES[unit], strict=True):
            cluster = D(maximum) - D(loss)
            adjusted = _ADJUSTED.get((unit, leaf))
            rows.append(
                {
                    "Mã đơn vị": unit,
                    "Mã tiêu chí": leaf,
                    "Điểm tự chấm": D(adjusted[0]) if adjusted else cluster,
                    "Điểm cụm chấm": cluster,
                    "Lý do điều chỉnh": adjusted[1] if adjusted else None,
                }
            )
    return rows


def _attendees() -> list[Row]:
    delegates = (
        ("Hà Thị Lan", "Phó Trưởng ban Thường trực Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
         "BBVCSSK"),
        ("Lộc Thị Hương", "Chuyên viên Văn phòng Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
         "BBVCSSK"),
        ("Phùng Văn Đức", "Phó Chánh Văn phòng Tỉnh ủy", "VPTU"),
        ("Hứa Thị Ngọc", "Phó Trưởng ban Tổ chức Tỉnh ủy", "BTCTU"),
        ("Lộc Văn Hưng", "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU"),
        ("Hoàng Thị Thanh Nga", "Phó Trưởng ban Tuyên giáo Tỉnh ủy", "BTGTU"),
        ("Nguyễn Văn Hùng", "Phó Trưởng ban Dân vận Tỉnh ủy", "BDVTU"),
        ("Mông Văn Tiến", "Phó Trưởng ban Nội chính Tỉnh ủy", "BNCTU"),
        ("Lý Thị Hoa", "Phó Bí thư Đảng ủy Khối các cơ quan tỉnh", "DUK"),
        ("Tô Văn Khánh", "Phó Hiệu trưởng Trường Chính trị Hoàng Văn Thụ", "TCT"),
    )
    rows: list[Row] = [
        {
            "Họ tên": name,
            "Chức vụ": title,
            "Loại đại biểu": "Đơn vị thành viên",
            "Mã đơn vị": unit,
            "Cơ quan (khách mời)": None,
            "Có mặt": "Có",
            "Lý do vắng": None,
        }
        for name, title, unit in delegates
    ]
    rows.append(
        {
            "Họ tên": "Nông Văn Tiến",
            "Chức vụ": "Phó Trưởng Ban Thi đua – Khen thưởng tỉnh",
            "Loại đại biểu": "Khách mời",
            "Mã đơn vị": None,
            "Cơ quan (khách mời)": "Ban Thi đua – Khen thưởng tỉnh (Sở Nội vụ)",
            "Có mặt": "Có",
            "Lý do vắng": None,
        }
    )
    return rows


def _vote(code: str, item: str, method: str, counts: tuple[int, ...]) -> Row:
    issued, returned, valid, yes, no, abstain = counts
    return {
        "Mã biểu quyết": code,
        "Nội dung": item,
        "Hình thức": method,
        "Số phiếu phát ra": issued,
        "Số phiếu thu về": returned,
        "Số phiếu hợp lệ": valid,
        "Đồng ý": yes,
        "Không đồng ý": no,
        "Không ý kiến": abstain,
    }


_SHEETS: dict[str, list[Row]] = {
    "ThongTinChung": _kv(
        [
            ("Tên cụm thi đua", "Cụm thi đua các Ban Đảng thuộc Tỉnh ủy Lạng Sơn"),
            ("Tên gọi ngắn", "Cụm thi đua các Ban Đảng"),
            ("Cơ quan cấp trên", "TỈNH ỦY LẠNG SƠN"),
            ("Thể thức văn bản", "Đảng"),
            ("Địa danh", "Lạng Sơn"),
            ("Năm thi đua", 2013),
            ("Năm giao ước", 2014),
            ("Thang điểm", 1000),
        ]
    ),
    "VanBan": [
        {"Văn bản": label, "Số": number, "Ký hiệu loại văn bản": type_code,
         "Ký hiệu cơ quan ban hành": "BBVCSSKCB", "Ngày ký": date(2014, 1, 10)}
        for label, number, type_code in (
            ("Báo cáo tổng kết", 12, "BC"),
            ("Biên bản hội nghị", 3, "BB"),
            ("Giao ước thi đua", 1, "GƯ"),
            ("Danh sách đề nghị khen thưởng", 2, "DS"),
        )
    ],
    # The legal bases in force on 10/01/2014 (Luật sửa đổi 2013 took effect only on 01/6/2014).
    "CanCu": [
        {"Văn bản": "Giao ước thi đua", "Căn cứ": text}
        for text in (
            "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số "
            "điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005",
            "Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010 của Chính phủ quy định chi tiết "
            "thi hành một số điều của Luật Thi đua, khen thưởng và Luật sửa đổi, bổ sung một số "
            "điều của Luật Thi đua, khen thưởng",
            "các văn bản hướng dẫn của Tỉnh ủy Lạng Sơn về công tác thi đua, khen thưởng",
        )
    ],
    "NoiNhan": [
        {"Văn bản": "Báo cáo tổng kết", "Nơi nhận": text}
        for text in (
            "Thường trực Hội đồng Thi đua – Khen thưởng tỉnh (b/c)",
            "Các cơ quan trong cụm",
        )
    ],
    "DonVi": _units(),
    "TieuChi": [
        {"Mã tiêu chí": code, "Mã tiêu chí cha": parent, "Nội dung tiêu chí": text,
         "Điểm tối đa": maximum}
        for code, parent, text, maximum in _CRITERIA
    ],
    "ChamDiem": _scores(),
    "DiemCongTru": [
        {"Mã đơn vị": "BDVTU", "Loại": "Cộng", "Số điểm": 5,
         "Lý do": "Được Ban Dân vận Trung ương tặng Bằng khen về thành tích công tác dân vận "
                  "năm 2013",
         "Căn cứ": "Quyết định số 215-QĐ/BDVTW ngày 15/11/2013 của Ban Dân vận Trung ương"},
        {"Mã đơn vị": "UBKTTU", "Loại": "Trừ", "Số điểm": 2,
         "Lý do": "Chậm gửi báo cáo sơ kết 6 tháng đầu năm 2013 về đơn vị cụm trưởng",
         "Căn cứ": "Công văn số 18-CV/BBVCSSKCB ngày 05/6/2013 của Ban Bảo vệ, chăm sóc sức "
                   "khỏe cán bộ tỉnh"},
    ],
    "HoiNghi": _kv(
        [
            ("Ngày họp", date(2014, 1, 10)),
            ("Giờ bắt đầu", time(14, 0)),
            ("Giờ kết thúc", time(17, 0)),
            ("Địa điểm", "Hội trường Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh"),
            ("Chủ trì: họ tên", "Hà Thị Lan"),
            ("Chủ trì: chức vụ", "Phó Trưởng ban Thường trực Ban Bảo vệ, chăm sóc sức khỏe cán "
                                 "bộ tỉnh"),
            ("Chủ trì: đơn vị", "BBVCSSK"),
            ("Thư ký: họ tên", "Lộc Thị Hương"),
            ("Thư ký: chức vụ", "Chuyên viên Văn phòng Ban Bảo vệ, chăm sóc sức khỏe cán bộ "
                                "tỉnh"),
            ("Thư ký: đơn vị", "BBVCSSK"),
        ]
    ),
    "ThanhPhan": _attendees(),
    "PhatBieu": [
        {"Người phát biểu": "Đồng chí Hoàng Thị Thanh Nga, Phó Trưởng ban Tuyên giáo Tỉnh ủy",
         "Mã đơn vị": "BTGTU",
         "Tóm tắt ý kiến": "Nhất trí với báo cáo tổng kết; đề nghị năm 2014 các cơ quan trong "
                           "cụm đổi mới nội dung, đa dạng hóa hình thức phong trào thi đua, gắn "
                           "với việc học tập và làm theo tấm gương đạo đức Hồ Chí Minh."},
        {"Người phát biểu": "Đồng chí Phùng Văn Đức, Phó Chánh Văn phòng Tỉnh ủy",
         "Mã đơn vị": "VPTU",
         "Tóm tắt ý kiến": "Đề nghị tăng cường trao đổi kinh nghiệm, phát hiện và nhân rộng điển "
                           "hình tiên tiến giữa các cơ quan trong cụm; Văn phòng Tỉnh ủy nhận "
                           "nhiệm vụ cụm trưởng năm 2014."},
        {"Người phát biểu": "Đồng chí Nông Văn Tiến, Phó Trưởng Ban Thi đua – Khen thưởng "
                            "tỉnh",
         "Mã đơn vị": None,
         "Tóm tắt ý kiến": "Ghi nhận kết quả của cụm; đề nghị hoàn thiện hồ sơ đề nghị khen "
                           "thưởng đúng quy định và thời hạn."},
    ],
    "BoPhieu": [
        _vote("BQ1", "Suy tôn Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh dẫn đầu cụm, đề nghị tặng "
              "Cờ thi đua của Ủy ban nhân dân tỉnh", "Bỏ phiếu kín", (9, 9, 9, 9, 0, 0)),
        _vote("BQ2", "Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho Ban Dân vận "
              "Tỉnh ủy, Văn phòng Tỉnh ủy và Ban Tuyên giáo Tỉnh ủy", "Bỏ phiếu kín",
              (9, 9, 9, 8, 0, 1)),
        _vote("BQ3", "Đề nghị khen thưởng các cá nhân", "Biểu quyết giơ tay", (9, 9, 9, 9, 0, 0)),
        _vote("BQ4", "Cử Văn phòng Tỉnh ủy làm cụm trưởng, Ban Tổ chức Tỉnh ủy làm cụm phó năm "
              "2014", "Biểu quyết giơ tay", (9, 9, 9, 9, 0, 0)),
    ],
    "DeNghiTapThe": [
        {"Mã đơn vị": "BBVCSSK", "Hình thức khen thưởng": "CO_UBND",
         "Thành tích": "Dẫn đầu phong trào thi đua Cụm thi đua các Ban Đảng thuộc Tỉnh ủy năm "
                       "2013", "Mã biểu quyết": "BQ1", "Ghi chú": None},
        {"Mã đơn vị": "BDVTU", "Hình thức khen thưởng": "BK_UBND_TT",
         "Thành tích": "Xếp thứ Nhì Cụm thi đua các Ban Đảng thuộc Tỉnh ủy năm 2013",
         "Mã biểu quyết": "BQ2", "Ghi chú": None},
        {"Mã đơn vị": "VPTU", "Hình thức khen thưởng": "BK_UBND_TT",
         "Thành tích": "Xếp thứ Ba Cụm thi đua các Ban Đảng thuộc Tỉnh ủy năm 2013",
         "Mã biểu quyết": "BQ2", "Ghi chú": None},
        {"Mã đơn vị": "BTGTU", "Hình thức khen thưởng": "BK_UBND_TT",
         "Thành tích": "Xếp thứ Ba Cụm thi đua các Ban Đảng thuộc Tỉnh ủy năm 2013",
         "Mã biểu quyết": "BQ2", "Ghi chú": None},
    ],
    "DeNghiCaNhan": [
        {"Họ tên": "Hà Thị Lan", "Giới tính": "Nữ", "Năm sinh": 1965,
         "Chức vụ": "Phó Trưởng ban Thường trực Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
         "Mã đơn vị": "BBVCSSK", "Hình thức khen thưởng": "BK_UBND_CN",
         "Thành tích": "Hoàn thành xuất sắc nhiệm vụ năm 2013, chỉ đạo đơn vị dẫn đầu cụm",
         "Mã biểu quyết": "BQ3", "Ghi chú": None},
        {"Họ tên": "Lý Văn Sơn", "Giới tính": "Nam", "Năm sinh": 1970,
         "Chức vụ": "Trưởng phòng Dân vận, Ban Dân vận Tỉnh ủy", "Mã đơn vị": "BDVTU",
         "Hình thức khen thưởng": "BK_UBND_CN",
         "Thành tích": "Hoàn thành xuất sắc nhiệm vụ năm 2013",
         "Mã biểu quyết": "BQ3", "Ghi chú": None},
        {"Họ tên": "Phùng Thị Hoa", "Giới tính": "Nữ", "Năm sinh": 1978,
         "Chức vụ": "Chuyên viên Phòng Tổng hợp, Văn phòng Tỉnh ủy", "Mã đơn vị": "VPTU",
         "Hình thức khen thưởng": "BK_BTV_CN",
         "Thành tích": "Hoàn thành xuất sắc nhiệm vụ hai năm liên tục (2012–2013)",
         "Mã biểu quyết": "BQ3", "Ghi chú": None},
    ],
    "LuanPhien": _kv(
        [("Năm", 2014), ("Cụm trưởng", "VPTU"), ("Cụm phó", "BTCTU"), ("Mã biểu quyết", "BQ4")]
    ),
    "GiaoUoc": [
        {"Nhóm nội dung": section, "Nội dung giao ước": text}
        for section, text in (
            ("Thực hiện nhiệm vụ chính trị, chuyên môn",
             "Tham mưu cho Tỉnh ủy, Ban Thường vụ Tỉnh ủy lãnh đạo, chỉ đạo thực hiện có hiệu quả "
             "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV và các nhiệm vụ trọng tâm năm 2014."),
            ("Thực hiện nhiệm vụ chính trị, chuyên môn",
             "Hoàn thành 100% chương trình công tác năm 2014 của cơ quan đúng tiến độ, bảo đảm "
             "chất lượng."),
            ("Xây dựng Đảng, xây dựng cơ quan",
             "Tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XI và Chỉ thị số 03-CT/TW của Bộ "
             "Chính trị về đẩy mạnh việc học tập và làm theo tấm gương đạo đức Hồ Chí Minh."),
            ("Xây dựng Đảng, xây dựng cơ quan",
             "Tổ chức đảng đạt trong sạch, vững mạnh; không có cán bộ, đảng viên vi phạm kỷ luật."),
            ("Xây dựng Đảng, xây dựng cơ quan",
             "Thực hành tiết kiệm, chống lãng phí; thực hiện tốt công tác phòng, chống tham "
             "nhũng."),
            ("Thi đua, khen thưởng",
             "Đổi mới nội dung, đa dạng hóa hình thức các phong trào thi đua, thu hút đông đảo cán "
             "bộ, công chức, viên chức tham gia."),
            ("Thi đua, khen thưởng",
             "Thường xuyên phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến; khen thưởng kịp "
             "thời, đúng quy định."),
            ("Thi đua, khen thưởng",
             "Tích cực hưởng ứng phong trào thi đua “Lạng Sơn cùng cả nước chung tay xây dựng "
             "nông thôn mới”."),
        )
    ],
    "TongKetVanBan": [
        {"Phần": section, "Mã đơn vị": unit, "Nội dung": text}
        for section, unit, text in _NARRATIVES
    ],
    "ThamSo": _kv(
        [
            ("Cách xếp hạng khi bằng điểm", "Thi đấu (1, 2, 3, 3, 5)"),
            ("Ngưỡng thông qua biểu quyết", D("0.5")),
            ("Tính bằng ngưỡng là đạt", "Không"),
            ("Cơ sở tính tỷ lệ biểu quyết", "Tổng số đơn vị thành viên"),
            ("Tỷ lệ có mặt tối thiểu", "2/3"),
            ("Số Cờ thi đua tối đa", 1),
            ("Tỷ lệ Bằng khen tối đa", D("0.5")),
            ("Cơ sở tính tỷ lệ Bằng khen", "Số đơn vị còn lại (trừ đơn vị đề nghị Cờ)"),
            ("Điểm cộng tối đa", 10),
            ("Bước điểm", D("0.5")),
            ("Ngày dự kiến quyết định khen thưởng", None),
        ]
    ),
    "LuongCoSo": [
        {"Mức lương cơ sở": 1_150_000, "Áp dụng từ ngày": date(2013, 7, 1),
         "Căn cứ": "Nghị định số 66/2013/NĐ-CP ngày 27/6/2013 của Chính phủ"},
        {"Mức lương cơ sở": 2_340_000, "Áp dụng từ ngày": date(2024, 7, 1),
         "Căn cứ": "Nghị định số 73/2024/NĐ-CP ngày 30/6/2024 của Chính phủ"},
    ],
    "HinhThuc": [
        {"Mã hình thức": code, "Tên hình thức": name, "Đối tượng": recipient,
         "Hệ số tiền thưởng": coefficient, "Là Cờ thi đua": flag, "Cần biểu quyết": "Có"}
        for code, name, recipient, coefficient, flag in (
            ("CO_UBND", "Cờ thi đua của Ủy ban nhân dân tỉnh", "Tập thể", D("8.0"), "Có"),
            ("BK_UBND_TT", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Tập thể", D("2.0"),
             "Không"),
            ("BK_UBND_CN", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Cá nhân", D("1.0"),
             "Không"),
            ("BK_BTV_TT", "Bằng khen của Ban Thường vụ Tỉnh ủy", "Tập thể", None, "Không"),
            ("BK_BTV_CN", "Bằng khen của Ban Thường vụ Tỉnh ủy", "Cá nhân", None, "Không"),
        )
    ],
}


def sample_sheets() -> dict[str, list[dict[str, object]]]:
    """The sample workbook's rows per sheet, keyed by exact column headers (a fresh deep copy).

    >>> sheets = sample_sheets()
    >>> len(sheets["DonVi"]), sheets["DonVi"][6]["Mã đơn vị"]
    (9, 'BBVCSSK')
    >>> sheets["DonVi"][0]["Mã đơn vị"] = "X"
    >>> sample_sheets()["DonVi"][0]["Mã đơn vị"]
    'VPTU'
    """
    return copy.deepcopy(_SHEETS)
