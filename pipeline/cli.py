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
from typing import ParamSpec, TypeVar

import click

from pipeline import __version__
from pipeline.errors import ThiduaError, format_problems

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


def _user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a ThiduaError into Vietnamese messages on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ThiduaError as exc:
            click.echo(format_problems(exc.problems), err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thidua")
def cli() -> None:
    """thidua: từ bảng điểm thi đua của cụm/khối đến bốn văn bản tổng kết.

    Báo cáo tổng kết, biên bản hội nghị, bản giao ước thi đua và danh sách đề nghị khen thưởng,
    trình bày theo Hướng dẫn 36-HD/VPTW (văn bản của Đảng) hoặc Nghị định 30/2020/NĐ-CP.

    \b
    Bắt đầu:  thidua init THU_MUC     tạo thư mục làm việc có workbook mẫu
              thidua check FILE.xlsx  kiểm tra workbook
              thidua build            lập văn bản cho mọi workbook trong inputs/
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
@click.option("--force", is_flag=True, help="Ghi đè cả văn bản đã được sửa tay sau lần lập trước.")
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
