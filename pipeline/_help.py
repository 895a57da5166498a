"""The top-level help text of ``thidua`` (see :mod:`pipeline._entry`).

Generated from Click by ``scripts/update_goldens.py``; ``tests/test_cli.py`` checks that
it is still what Click prints.
"""

TOP_LEVEL_HELP = (
    "Usage: thidua [OPTIONS] COMMAND [ARGS]...\n"
    "\n"
    "  thidua: từ bảng điểm thi đua của cụm/khối đến bốn văn bản tổng kết.\n"
    "\n"
    "  Báo cáo tổng kết, biên bản hội nghị, bản giao ước thi đua và danh sách đề nghị\n"
    "  khen thưởng, trình bày theo Hướng dẫn 36-HD/VPTW (văn bản của Đảng) hoặc Nghị\n"
    "  định 30/2020/NĐ-CP.\n"
    "\n"
    "  Bắt đầu:  thidua init THU_MUC     tạo thư mục làm việc có workbook mẫu\n"
    "            thidua check FILE.xlsx  kiểm tra workbook\n"
    "            thidua build            lập văn bản cho mọi workbook trong inputs/\n"
    "\n"
    "  Lưu trữ:  thidua ban-hanh         ghi nhận văn bản đã ký ban hành\n"
    "            thidua luu-tru DICH     lưu một phiên bản lên ổ chia sẻ\n"
    "            thidua kiem-tra DICH    kiểm tra bản lưu trữ\n"
    "\n"
    "Options:\n"
    "  --version   Show the version and exit.\n"
    "  -h, --help  Show this message and exit.\n"
    "\n"
    "Commands:\n"
    "  ban-hanh   Ghi nhận văn bản đã ban hành (issue).\n"
    "  build      Lập các văn bản từ workbook (mặc định: mọi workbook trong...\n"
    "  check      Kiểm tra workbook (mặc định: mọi workbook trong inputs/); báo...\n"
    "  init       Tạo thư mục làm việc: inputs/ (workbook mẫu và workbook trống)...\n"
    "  kiem-tra   Kiểm tra bản lưu trữ (verify).\n"
    "  luu-tru    Lưu một phiên bản lên ổ chia sẻ (publish).\n"
    "  mo-khoa    Mở khóa lưu trữ bị bỏ lại (unlock).\n"
    "  templates  Làm việc với mẫu văn bản Word.\n"
)
