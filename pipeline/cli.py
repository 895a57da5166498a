"""The ``thidua`` command line: thin Click commands.

Each command parses its options, calls one function of the package and prints its report. Heavy
modules (openpyxl, docxtpl, lxml) are imported inside the commands so that ``thidua --help``
starts instantly. User mistakes arrive as :class:`~pipeline.errors.ThiduaError` and are printed in
Vietnamese on stderr with exit status 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, ParamSpec, TypeVar

import click

from pipeline import __version__
from pipeline.errors import ThiduaError, format_problems

if TYPE_CHECKING:
    import datetime as dt

    from pipeline.output.archive.lock import Holder

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


#: What Ctrl-C prints (exit status 130, as a shell reports a program stopped by SIGINT).
INTERRUPTED = (
    "Đã dừng theo yêu cầu (Ctrl-C). Không tệp nào bị ghi dở: mỗi thư mục văn bản có nguyên bộ "
    "tệp cũ, hoặc đủ bộ tệp mới nếu lúc dừng thidua đang ghi những tệp cuối cùng."
)


def _user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a ThiduaError into Vietnamese messages on stderr and exit status 1, and Ctrl-C into
    one Vietnamese line and exit status 130 (even when Python swallowed the interrupt somewhere:
    :mod:`pipeline.output.interrupts`)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from pipeline.output import interrupts

        try:
            with interrupts.watching():
                result = func(*args, **kwargs)
                interrupts.check()
                return result
        except ThiduaError as exc:
            click.echo(format_problems(exc.problems), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            sys.exit(130)

    return wrapper


class _AliasedGroup(click.Group):
    """Commands named as Vietnamese users expect, also reachable by their English names."""

    ALIASES: ClassVar[dict[str, str]] = {
        "issue": "ban-hanh",
        "publish": "luu-tru",
        "verify": "kiem-tra",
        "unlock": "mo-khoa",
        "history": "lich-su",
        "restore": "khoi-phuc",
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
    Bắt đầu:  thidua init THU_MUC     tạo thư mục làm việc có workbook mẫu
              thidua check FILE.xlsx  kiểm tra workbook
              thidua build            lập văn bản cho mọi workbook trong inputs/

    \b
    Bản cũ:   thidua lich-su          các lần lập và các bản cũ đã cất
              thidua khoi-phuc TEP    lấy lại một bản cũ

    \b
    Lưu trữ:  thidua ban-hanh         ghi nhận văn bản đã ký ban hành
              thidua luu-tru DICH     lưu một phiên bản lên ổ chia sẻ
              thidua kiem-tra DICH    kiểm tra bản lưu trữ
    """


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@_user_errors
def init_cmd(directory: Path) -> None:
    """Tạo thư mục làm việc: inputs/ (workbook mẫu và workbook trống) và templates/docx/.

    Không ghi đè tệp nào đã có.
    """
    from pipeline.project import init_project

    for path, status in init_project(directory):
        click.echo(f"{status:<10} {path}")


@cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát 1).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON cho máy đọc.")
@_user_errors
def check_cmd(files: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Kiểm tra workbook (mặc định: mọi workbook trong inputs/); báo mọi lỗi cùng lúc, kèm ô và
    cách sửa."""
    from pipeline.build import check, default_workbooks
    from pipeline.errors import problems_json

    problems = check(list(files) or default_workbooks(Path("inputs")))
    click.echo(problems_json(problems) if as_json else format_problems(problems))
    failing = [p for p in problems if p.is_error or (strict and p.severity == "warning")]
    sys.exit(1 if failing else 0)


_OUTPUT_OPTION_BUILD = click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Thư mục kết quả của thidua build.",
)


@cli.command("build")
@click.argument("workbooks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Thư mục ghi văn bản.",
)
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
@_user_errors
def build_cmd(
    workbooks: tuple[Path, ...],
    output_dir: Path,
    only: tuple[str, ...],
    pdf: bool,
    force: bool,
    allow_external: bool,
) -> None:
    """Lập các văn bản từ workbook (mặc định: mọi workbook trong inputs/)."""
    from pipeline.build import build, default_workbooks

    paths = list(workbooks) or default_workbooks(Path("inputs"))
    build(paths, output_dir, only=only, pdf=pdf, force=force, echo=click.echo,
          allow_external=allow_external)  # fmt: skip


@cli.command("lich-su")
@click.argument(
    "targets", nargs=-1, type=click.Path(path_type=Path), metavar="[THU_MUC|WORKBOOK]..."
)
@_OUTPUT_OPTION_BUILD
@_user_errors
def history_cmd(targets: tuple[Path, ...], output_dir: Path) -> None:
    """Các lần lập và các bản cũ đã cất của thư mục văn bản (history).

    Mặc định: mọi thư mục trong outputs/. Mỗi lần lập ghi rõ đã ghi tệp nào và đã cất bản cũ
    nào vào .lich-su/<số lần lập>/; lấy lại một bản bằng thidua khoi-phuc.
    """
    from pipeline.restoring import history

    history(list(targets), output_dir, echo=click.echo)


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
    """Làm việc với mẫu văn bản Word."""


@templates_group.command("check")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@_allow_external
@_user_errors
def templates_check_cmd(directory: Path | None, allow_external: bool) -> None:
    """Kiểm tra các mẫu .docx như lệnh build sẽ làm (thẻ, tên biến, liên kết ra ngoài, thử điền
    workbook mẫu) và liệt kê biến của từng mẫu."""
    from pipeline.build import check_templates
    from pipeline.errors import has_errors

    report = check_templates(directory, allow_external=allow_external)
    for name, variables in report.variables.items():
        click.echo(f"{name}: {', '.join(variables)}")
    if has_errors(report.problems):
        raise ThiduaError(report.problems)
    if report.problems:
        click.echo(format_problems(report.problems))
    click.echo("Các mẫu hợp lệ.")


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
    import datetime as dt
    import getpass
    import os
    import socket

    from pipeline.output.archive.lock import Holder

    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = os.environ.get("USERNAME", "")
    since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return Holder(user, socket.gethostname(), since, os.getpid())


_OUTPUT_OPTION = click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Thư mục kết quả của thidua build.",
)


@cli.command("ban-hanh")
@click.argument("workbooks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
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
    from pipeline.build import default_workbooks
    from pipeline.issuing import issue

    paths = list(workbooks) or default_workbooks(Path("inputs"))
    issue(paths, output_dir, date=_today(date), signed=signed, only=only, echo=click.echo)


@cli.command("luu-tru")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@click.argument("workbooks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
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
    from pipeline.build import default_workbooks
    from pipeline.issuing import publish

    paths = list(workbooks) or default_workbooks(Path("inputs"))
    when = _today(date)
    publish(paths, output_dir, destination, date=when, me=_me(), drafts=drafts, echo=click.echo)


@cli.command("kiem-tra")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
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
        f"{report.versions} phiên bản: "
        + ("CÓ HƯ HỎNG." if report.damaged else "nguyên vẹn.")
    )
    sys.exit(1 if report.damaged else 0)


@cli.command("mo-khoa")
@click.argument("destination", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--yes", "-y", "assume_yes", is_flag=True, help="Không hỏi lại từng khóa.")
@_user_errors
def unlock_cmd(destination: Path, assume_yes: bool) -> None:
    """Mở khóa lưu trữ bị bỏ lại (unlock).

    Chỉ dùng khi chắc chắn không ai đang lưu trữ. Tìm khóa ở DICH hoặc DICH/<năm>/<cụm>/,
    nói khóa của ai, từ lúc nào, rồi hỏi trước khi mở.
    """
    from pipeline.issuing import unlock

    def confirm(question: str) -> bool:
        return assume_yes or click.confirm(question, default=False)

    unlock(destination, confirm, echo=click.echo)

