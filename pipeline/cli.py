"""The ``thidua`` command line: thin Click commands, all in Vietnamese.

Each command parses its options, calls one function of the package and prints its report. Heavy
modules (openpyxl, docxtpl, lxml) are imported inside the commands so that ``thidua --help``
starts instantly. Exit status: 0 when all went well; 1 when the run found problems — user
mistakes arrive as :class:`~pipeline.errors.ThiduaError` and are printed in Vietnamese on stderr
— or was interrupted; 2 for a command typed wrong (Click's usage errors, translated by
:mod:`pipeline.translations`). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar

import click

from pipeline import __version__
from pipeline.errors import ThiduaError, format_problems
from pipeline.translations import install_click_vietnamese

install_click_vietnamese()  # Click's own words (Usage:, Options:, its errors) in Vietnamese

if TYPE_CHECKING:
    import datetime as dt

    from pipeline.errors import Problem
    from pipeline.output.journal import Holder

P = ParamSpec("P")
R = TypeVar("R")

DOCUMENT_CHOICES = ("bao-cao", "bien-ban", "giao-uoc", "danh-sach")

_allow_external = click.option(
    "--cho-phep-lien-ket-ngoai",
    "--allow-external",
    "allow_external",
    is_flag=True,
    help="Cho phép mẫu có liên kết ra ngoài (ảnh liên kết, mẫu đính kèm, liên kết tới tệp hoặc "
    "thư mục chia sẻ): Word sẽ tải chúng khi mở văn bản.",
)


#: What Ctrl-C prints (exit status 1: "có lỗi … hoặc bị dừng", as ``thidua --help`` says).
INTERRUPTED = (
    "Đã dừng theo yêu cầu (Ctrl-C). Không tệp nào bị ghi dở: mỗi thư mục văn bản có nguyên bộ "
    "tệp cũ, hoặc đủ bộ tệp mới nếu lúc dừng thidua đang ghi những tệp cuối cùng."
)


JsonError = Callable[[Sequence["Problem"], dict[str, Any]], str]  # (problems, options) → JSON


def _user_errors(func: Callable[P, R], json_error: JsonError | None = None) -> Callable[P, R]:
    """A ThiduaError: Vietnamese messages on stderr (``--json`` with ``json_error``: the command's
    JSON document on stdout) and exit status 1; Ctrl-C: one Vietnamese line and exit status 1,
    even when Python swallowed it somewhere (:mod:`pipeline.output.interrupts`)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from pipeline.output import interrupts

        try:
            with interrupts.watching():
                result = func(*args, **kwargs)
                interrupts.check()
                return result
        except ThiduaError as exc:
            if json_error is not None and kwargs.get("as_json"):
                click.echo(json_error(exc.problems, kwargs))
            else:
                click.echo(format_problems(exc.problems), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            sys.exit(1)

    return wrapper


def _json_user_errors(json_error: JsonError) -> Callable[[Callable[P, R]], Callable[P, R]]:
    return lambda func: _user_errors(func, json_error)


def _check_json(problems: Sequence[Problem], rankings: Sequence[object] = ()) -> str:
    import json

    document = {"problems": [p.as_dict() for p in problems], "rankings": list(rankings)}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _build_json_error(problems: Sequence[Problem], options: dict[str, Any]) -> str:
    from pipeline.output.report import run_json  # a build that did not start

    return run_json([], [], problems, dry_run=bool(options.get("dry_run")))


#: The usage line's words that Click does not mark for translation (see pipeline/translations.py).
OPTIONS_METAVAR = "[TUY_CHON]"
SUBCOMMAND_METAVAR = "LENH [THAM_SO]..."


class _Command(click.Command):
    """A command whose usage line reads ``thidua check [TUY_CHON] …``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def _confirm(question: str) -> bool:
    """Ask a yes/no question in Vietnamese (Click's ``confirm`` prints an English ``[y/N]``):
    ``c``/``có`` (or ``y``) is yes; ``k``/``không`` (or ``n``), or just Enter, is no."""
    while True:
        answer = click.prompt(
            f"{question} [c/K]", default="", show_default=False, prompt_suffix=" "
        )
        word = str(answer).strip().lower()
        if word in ("c", "có", "co", "y", "yes"):
            return True
        if word in ("", "k", "không", "khong", "n", "no"):
            return False
        click.echo("Gõ c (có) hoặc k (không).", err=True)


class _AliasedGroup(click.Group):
    """Commands named as Vietnamese users expect, also reachable by their English names; the
    usage line in Vietnamese (``thidua [TUY_CHON] LENH [THAM_SO]...``)."""

    command_class = _Command
    group_class = type  # subgroups are of this class too

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    ALIASES: ClassVar[dict[str, str]] = {
        "issue": "ban-hanh",
        "publish": "luu-tru",
        "verify": "kiem-tra",
        "unlock": "mo-khoa",
        "history": "lich-su",
        "restore": "khoi-phuc",
        "docs": "tai-lieu",
        "update": "cap-nhat",
    }

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.ALIASES.get(cmd_name, cmd_name))


@click.group(cls=_AliasedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thidua")
def cli() -> None:
    """thidua: từ bảng điểm thi đua của cụm/khối đến bốn văn bản tổng kết.

    Báo cáo tổng kết, biên bản hội nghị, bản giao ước thi đua và danh sách đề nghị khen thưởng,
    trình bày theo Hướng dẫn 36-HD/VPTW (văn bản của Đảng) hoặc Nghị định 30/2020/NĐ-CP.

    \b
    Bắt đầu:  thidua init THU_MUC     tạo thư mục làm việc (workbook trống, ví dụ, mẫu)
              thidua check            kiểm tra workbook, xem xếp hạng trước hội nghị
              thidua build            lập văn bản cho mọi workbook trong inputs/
              thidua tai-lieu         đọc tài liệu hướng dẫn

    \b
    Bản cũ:   thidua lich-su          các lần lập và các bản cũ đã cất
              thidua khoi-phuc TEP    lấy lại một bản cũ

    \b
    Lưu trữ:  thidua ban-hanh         ghi nhận văn bản đã ký ban hành
              thidua luu-tru DICH     lưu một phiên bản lên ổ chia sẻ
              thidua kiem-tra DICH    kiểm tra bản lưu trữ

    \b
    Mã thoát: 0 xong, không có lỗi; 1 có lỗi (workbook, mẫu, tệp) hoặc bị dừng;
              2 gõ lệnh sai (thiếu tham số, tùy chọn lạ…).
    """


_WORKBOOKS = click.argument(
    "workbooks",
    nargs=-1,
    metavar="[WORKBOOK.xlsx]...",
    type=click.Path(dir_okay=False, path_type=Path),
)
#: A working folder (default: the current one).
_FOLDER = click.argument(
    "directory", metavar="[THU_MUC]", type=click.Path(file_okay=False, path_type=Path), default="."
)


@cli.command("init")
@_FOLDER
@_user_errors
def init_cmd(directory: Path) -> None:
    """Tạo thư mục làm việc: inputs/ (workbook trống), vi-du/ (workbook mẫu), templates/docx/,
    tai-lieu/.

    Không ghi đè tệp nào đã có. Workbook mẫu (Lạng Sơn 2013) nằm ở vi-du/, không ở inputs/:
    lệnh build chỉ lập văn bản cho workbook của mình trong inputs/.
    """
    from pipeline.project import init_project, next_steps

    for path, status in init_project(directory):
        click.echo(f"{status:<10} {path.as_posix()}")
    for line in next_steps(directory):
        click.echo(line)


@cli.command("check")
@_WORKBOOKS
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát 1).")
@click.option(
    "--json", "as_json", is_flag=True, help="In kết quả (vấn đề, xếp hạng) dạng JSON cho máy đọc."
)
@_json_user_errors(lambda problems, _: _check_json(problems))
def check_cmd(workbooks: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Kiểm tra workbook (mặc định: mọi workbook trong inputs/) và cho xem xếp hạng.

    Báo mọi lỗi cùng lúc, kèm ô và cách sửa; sau đó, với mỗi workbook không có lỗi, in bảng
    xếp hạng (đơn vị, tổng điểm, thứ hạng, đồng hạng) đúng như văn bản sẽ in, để rà soát
    trước hội nghị. Mã thoát 1 khi có lỗi (hoặc cảnh báo, với --strict).
    """
    from pipeline.checking import default_workbooks, review
    from pipeline.review import ranking_lines, ranking_record

    reviews = review(list(workbooks) or default_workbooks(Path("inputs")))
    problems = [p for r in reviews for p in r.problems]
    if as_json:
        rankings = [
            ranking_record(r.path.name, r.context) for r in reviews if r.context is not None
        ]
        click.echo(_check_json(problems, rankings))
    else:
        click.echo(format_problems(problems))
        for r in reviews:
            click.echo("")
            if r.context is None:
                click.echo(f"Chưa xếp hạng được {r.path.name}: sửa các lỗi ở trên trước.")
            else:
                click.echo("\n".join(ranking_lines(r.path.name, r.context)))
    failing = [p for p in problems if p.is_error or (strict and p.severity == "warning")]
    sys.exit(1 if failing else 0)


#: Where a build writes (and ``lich-su`` reads): the working folder's outputs/ by default.
_OUTPUT_OPTION_BUILD = click.option(
    "-o",
    "--output",
    "output_dir",
    metavar="THU_MUC",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    show_default="outputs/ của thư mục làm việc",
    help="Thư mục văn bản (thidua build ghi vào đây).",
)


@cli.command("build")
@_WORKBOOKS
@_OUTPUT_OPTION_BUILD
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(DOCUMENT_CHOICES),
    help="Chỉ lập các văn bản này (có thể lặp lại).",
)
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF bằng LibreOffice.")
@click.option(
    "--force",
    is_flag=True,
    help="Lập lại cả văn bản đã được sửa tay sau lần lập trước (bản đã sửa được cất vào "
    ".lich-su/, lấy lại bằng thidua khoi-phuc).",
)
@_allow_external
# The change report (issue 10): --xem-truoc, --so-sanh, --json.
@click.option("--xem-truoc", "--dry-run", "dry_run", is_flag=True,
              help="Chỉ in những gì sẽ thay đổi, không ghi tệp nào.")  # fmt: skip
@click.option("--so-sanh", "--compare", "tracked", is_flag=True,
              help="Tạo thêm bản so sánh có đánh dấu thay đổi (Track Changes) của mỗi văn "
              "bản được cập nhật, trong thư mục so-sanh/ (cần: pip install "
              "\"thidua[so-sanh]\").")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="In toàn bộ kết quả dạng JSON cho máy đọc.")
@_json_user_errors(_build_json_error)
def build_cmd(
    workbooks: tuple[Path, ...],
    output_dir: Path | None,
    only: tuple[str, ...],
    pdf: bool,
    force: bool,
    allow_external: bool,
    dry_run: bool = False,
    tracked: bool = False,
    as_json: bool = False,
) -> None:
    """Lập các văn bản từ workbook (mặc định: mọi workbook trong inputs/).

    Thư mục làm việc là thư mục chứa inputs/ (hoặc vi-du/) của workbook, nếu không thì thư mục
    hiện tại: mẫu lấy ở templates/docx/ của nó (không có thì dùng mẫu có sẵn), văn bản ghi vào
    outputs/ của nó. Hai dòng đầu cho biết mẫu nào, thư mục kết quả nào được dùng.
    """
    from pipeline.build import build
    from pipeline.checking import default_workbooks
    from pipeline.project import run_folders

    paths = list(workbooks) or default_workbooks(Path("inputs"))
    folders = run_folders(paths, output_dir)
    if as_json:
        from pipeline.regenerate import build_json

        text, status = build_json(paths, folders.outputs, only=only, pdf=pdf, force=force,
                                  allow_external=allow_external, dry_run=dry_run,
                                  templates_dir=folders.templates, tracked=tracked)  # fmt: skip
        click.echo(text)
        sys.exit(status)
    for line in folders.lines():
        click.echo(line)
    build(paths, folders.outputs, only=only, pdf=pdf, force=force, echo=click.echo,
          templates_dir=folders.templates, allow_external=allow_external, dry_run=dry_run,
          tracked_changes=tracked, progress=sys.stderr)  # fmt: skip


@cli.command("lich-su")
@click.argument(
    "targets", nargs=-1, type=click.Path(path_type=Path), metavar="[THU_MUC|WORKBOOK]..."
)
@_OUTPUT_OPTION_BUILD
@_user_errors
def history_cmd(targets: tuple[Path, ...], output_dir: Path | None) -> None:
    """Các lần lập và các bản cũ đã cất của thư mục văn bản (history).

    Mặc định: mọi thư mục trong outputs/ của thư mục làm việc. Mỗi lần lập ghi rõ đã ghi tệp
    nào và đã cất bản cũ nào vào .lich-su/<số lần lập>/; lấy lại một bản bằng thidua khoi-phuc.
    """
    from pipeline.project import run_folders
    from pipeline.restoring import history

    workbooks = [t for t in targets if t.suffix.lower() == ".xlsx"]
    history(list(targets), run_folders(workbooks, output_dir).outputs, echo=click.echo)


@cli.command("khoi-phuc")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path), metavar="TEP")
@click.option(
    "--lan",
    "build",
    type=click.IntRange(min=1),
    metavar="SO",
    help="Bản được cất ở lần lập này (xem thidua lich-su); mặc định: bản cất gần nhất.",
)
@_user_errors
def restore_cmd(target: Path, build: int | None) -> None:
    """Lấy lại một bản cũ của văn bản hay PDF (restore).

    TEP là văn bản trong outputs/<năm>/<cụm>/ (hoặc chính bản cũ trong .lich-su/<số>/). Bản
    đang có được cất vào lịch sử trước, nên khôi phục cũng không làm mất gì.
    """
    from pipeline.restoring import restore

    restore(target, build, echo=click.echo)


@cli.group("templates")
def templates_group() -> None:
    """Làm việc với mẫu văn bản Word: kiểm tra, cập nhật sau khi nâng cấp."""


@templates_group.command("check")
@click.argument(
    "directory",
    metavar="[THU_MUC]",
    type=click.Path(file_okay=False, path_type=Path),
    required=False,
)
@_allow_external
@_user_errors
def templates_check_cmd(directory: Path | None, allow_external: bool) -> None:
    """Kiểm tra các mẫu .docx như lệnh build sẽ làm (thẻ, tên biến, liên kết ra ngoài, thử điền
    workbook mẫu) và liệt kê biến của từng mẫu.

    THU_MUC là thư mục mẫu hoặc thư mục làm việc (khi đó: THU_MUC/templates/docx/). Mặc định:
    templates/docx/ của thư mục hiện tại, hoặc mẫu có sẵn nếu ở đó không có mẫu nào; dòng đầu
    cho biết mẫu nào được kiểm tra.
    """
    from pipeline.checking import check_templates
    from pipeline.errors import has_errors
    from pipeline.project import run_folders

    folders = run_folders((), None, directory)
    click.echo(folders.lines(outputs=False)[0])
    report = check_templates(folders.templates, allow_external=allow_external)
    for name, variables in report.variables.items():
        click.echo(f"{name}: {', '.join(variables)}")
    if has_errors(report.problems):
        raise ThiduaError(report.problems)
    if report.problems:
        click.echo(format_problems(report.problems))
    click.echo("Các mẫu hợp lệ.")


@templates_group.command("cap-nhat")
@_FOLDER
@_user_errors
def templates_update_cmd(directory: Path) -> None:
    """Cập nhật mẫu có sẵn trong thư mục làm việc sau khi nâng cấp thidua (update).

    Mẫu chưa từng sửa được thay bằng mẫu mới; mẫu đã sửa tay được giữ nguyên (build vẫn dùng
    nó) và mẫu mới được ghi vào templates/mau-moi-<phiên bản>/ để so sánh. Không tệp nào bị
    mất.
    """
    from pipeline.project import update_summary, update_templates

    report = update_templates(directory)
    for item in report:
        click.echo(item.line())
    for line in update_summary(report):
        click.echo(line)


@cli.command("tai-lieu")
@click.argument("name", metavar="[TEN]", required=False)
@click.option(
    "--duong-dan",
    "--path",
    "path_only",
    is_flag=True,
    help="Chỉ in đường dẫn của tài liệu, không mở.",
)
@_user_errors
def docs_cmd(name: str | None, path_only: bool) -> None:
    """Đọc tài liệu hướng dẫn (docs): workbook, mẫu văn bản, bộ lọc, lưu trữ.

    Không có TEN: liệt kê các tài liệu. Có TEN: mở tài liệu bằng chương trình mặc định của máy
    (không có thì in đường dẫn để mở bằng Notepad hay trình soạn thảo khác).
    """
    from pipeline.guide import doc_path, listing, open_in_viewer

    if name is None:
        click.echo("Tài liệu của thidua (mở một tài liệu: thidua tai-lieu TEN):")
        for line in listing():
            click.echo(line)
        return
    path = doc_path(name)
    if path_only:
        click.echo(str(path))
    elif open_in_viewer(path):
        click.echo(f"Đang mở {path}")
    else:
        click.echo("Máy này không có chương trình mở tệp .md; mở tệp này bằng Notepad hoặc một "
                   f"trình soạn thảo:\n{path}")  # fmt: skip


# --- issuing and archiving (docs/luu-tru.md) ----------------------------------------------------


class _VietnameseDate(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A date typed as ``dd/mm/yyyy`` (or ``yyyy-mm-dd``)."""

    name = "NGAY"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        import datetime as dt

        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.fail(f"'{text}' không phải ngày dạng ngày/tháng/năm, ví dụ 10/01/2014", param, ctx)


def _today(given: dt.date | None) -> dt.date:
    """The date given on the command line, or today's (read here, at the edge)."""
    import datetime as dt

    return given if given is not None else dt.date.today()


def _me() -> Holder:
    """Who is publishing, from where, since when: for the lock file."""
    from pipeline.output.journal import Holder

    return Holder.me()


_OUTPUT_OPTION = click.option(
    "-o",
    "--output",
    "output_dir",
    metavar="THU_MUC",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Thư mục kết quả của thidua build.",
)


@cli.command("ban-hanh")
@_WORKBOOKS
@_OUTPUT_OPTION
@click.option("--ngay", "date", type=_VietnameseDate(), help="Ngày ban hành (mặc định: hôm nay).")
@click.option(
    "--ban-ky",
    "signed",
    multiple=True,
    nargs=2,
    type=(click.Choice(DOCUMENT_CHOICES), click.Path(exists=True, dir_okay=False, path_type=Path)),
    metavar="LOAI TEP",
    help="Bản đã ký (bản quét, PDF ký số) của một văn bản, ví dụ: --ban-ky bien-ban scan.pdf "
    "(có thể lặp lại).",
)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(DOCUMENT_CHOICES),
    help="Chỉ ban hành các văn bản này (có thể lặp lại).",
)
@_user_errors
def issue_cmd(
    workbooks: tuple[Path, ...],
    output_dir: Path,
    date: dt.date | None,
    signed: tuple[tuple[str, Path], ...],
    only: tuple[str, ...],
) -> None:
    """Ghi nhận văn bản đã ban hành (issue).

    Các văn bản đang có trong thư mục kết quả được chép (kèm bản PDF/A và bản ký) vào
    ban-hanh/v001/, v002/…: từ đó không lần lập nào thay đổi được chúng.
    Văn bản đã ban hành mà không đổi thì không ban hành lại.
    """
    from pipeline.checking import default_workbooks
    from pipeline.issuing import issue

    paths = list(workbooks) or default_workbooks(Path("inputs"))
    issue(paths, output_dir, date=_today(date), signed=signed, only=only, echo=click.echo)


@cli.command("luu-tru")
@click.argument("destination", metavar="DICH", type=click.Path(file_okay=False, path_type=Path))
@_WORKBOOKS
@_OUTPUT_OPTION
@click.option(
    "--ban-nhap", "drafts", is_flag=True, help="Lưu trữ cả bản nháp chưa ban hành (dự thảo)."
)
@click.option("--ngay", "date", type=_VietnameseDate(), help="Ngày lưu trữ (mặc định: hôm nay).")
@_user_errors
def publish_cmd(
    destination: Path,
    workbooks: tuple[Path, ...],
    output_dir: Path,
    drafts: bool,
    date: dt.date | None,
) -> None:
    """Lưu một phiên bản lên ổ chia sẻ (publish).

    Không bao giờ ghi đè: DICH/<năm>/<cụm>/v001/, v002/…: mỗi phiên bản là một túi BagIt
    có siêu dữ liệu theo Phụ lục VI Nghị định 30/2020/NĐ-CP và Mục lục văn bản; chỉ văn bản
    đã ban hành, trừ khi có --ban-nhap.
    """
    from pipeline.checking import default_workbooks
    from pipeline.issuing import publish

    paths = list(workbooks) or default_workbooks(Path("inputs"))
    when = _today(date)
    publish(paths, output_dir, destination, date=when, me=_me(), drafts=drafts, echo=click.echo)


@cli.command("kiem-tra")
@click.argument("destination", metavar="DICH", type=click.Path(file_okay=False, path_type=Path))
@_user_errors
def verify_cmd(destination: Path) -> None:
    """Kiểm tra bản lưu trữ (verify).

    Băm lại mọi tệp ở thư mục đích; báo tệp thiếu, tệp bị sửa, tệp lạ; tệp rác của Explorer,
    Finder, Word chỉ là cảnh báo.
    Mã thoát 0: nguyên vẹn; 1: hư hỏng.
    """
    from pipeline.output.archive.verify import verify

    report = verify(destination)
    for line in report.lines:
        click.echo(line)
    if report.problems:
        click.echo(format_problems(report.problems), err=report.damaged)
    click.echo(
        f"{report.versions} phiên bản: " + ("CÓ HƯ HỎNG." if report.damaged else "nguyên vẹn.")
    )
    sys.exit(1 if report.damaged else 0)


@cli.command("mo-khoa")
@click.argument(
    "destination", metavar="DICH", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.option("--yes", "-y", "assume_yes", is_flag=True, help="Không hỏi lại từng khóa.")
@_user_errors
def unlock_cmd(destination: Path, assume_yes: bool) -> None:
    """Mở khóa lưu trữ bị bỏ lại (unlock).

    Chỉ dùng khi chắc chắn không ai đang lưu trữ. Tìm khóa ở DICH hoặc DICH/<năm>/<cụm>/,
    nói khóa của ai, từ lúc nào, rồi hỏi trước khi mở.
    """
    from pipeline.issuing import unlock

    def confirm(question: str) -> bool:
        return assume_yes or _confirm(question)

    unlock(destination, confirm, echo=click.echo)
