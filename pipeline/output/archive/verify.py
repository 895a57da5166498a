"""Checking a destination against its bags (``thidua kiem-tra``).

Every version folder of every cluster-year under the destination is re-hashed in full against
its manifests (:func:`.bag.check_bag`, which names each missing, changed and extra file) and
validated with ``bagit`` (:func:`.bag.validate`). The litter desktop programs leave on shares
(``Thumbs.db``, ``desktop.ini``, ``.DS_Store``, ``._*``, ``~$…``) is a warning, not damage.
The state of each cluster-year is reported too: its current version (the highest pointer), a
version whole but not yet current (a publish interrupted after its rename), leftovers of an
interrupted publish, a lock.

I/O: reads only; nothing on the destination is changed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, Problem
from pipeline.output.archive import bag, lock
from pipeline.output.archive.issued import version_number
from pipeline.output.archive.publish import (
    current_version,
    leftovers,
    pointed_versions,
    pointer_name,
    versions,
)


@dataclass
class Report:
    """What a check found: a line per version that is whole, and every problem."""

    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    versions: int = 0

    @property
    def damaged(self) -> bool:
        return any(p.is_error for p in self.problems)


def cluster_folders(destination: Path) -> list[Path]:
    """The cluster-years under ``destination`` (itself, ``*/`` or ``*/*/``): folders that hold
    version folders, pointers or leftovers of a publish."""
    found: list[Path] = []
    for pattern in ("", "*", "*/*"):
        candidates = [destination] if not pattern else sorted(destination.glob(pattern))
        for folder in candidates:
            with contextlib.suppress(OSError):
                if folder.is_dir() and (
                    versions(folder) or pointed_versions(folder) or leftovers(folder)
                ):
                    found.append(folder)
    return found


def verify(destination: Path) -> Report:
    """Check every bag under ``destination``; see the module docstring."""
    report = Report()
    if (destination / "bagit.txt").is_file():
        _check_version(destination, report, current=None)
        return report
    clusters = cluster_folders(destination)
    if not clusters:
        report.problems.append(
            Problem(
                "error",
                "no-archive",
                "Không thấy bản lưu trữ nào (thư mục <năm>/<cụm>/v001/…) ở đây",
                "Chỉ đúng thư mục đích đã dùng với thidua luu-tru.",
                Location(file=str(destination)),
            )
        )
    for cluster in clusters:
        _check_cluster(cluster, report)
    return report


def _check_cluster(cluster: Path, report: Report) -> None:
    found = versions(cluster)
    current = current_version(cluster)
    lock_path = cluster / lock.LOCK_NAME
    locked = lock_path.is_file()
    if locked:
        report.problems.append(
            Problem(
                "warning",
                "locked",
                f"Đang khóa lưu trữ: {lock.read_holder(lock_path).describe()}",
                "Nếu không ai đang lưu trữ, mở khóa: thidua mo-khoa " f'"{cluster}"',
                Location(file=str(lock_path)),
            )
        )
    for child in leftovers(cluster):
        report.problems.append(
            Problem(
                "warning",
                "leftover",
                "Phần chép dở của một lần lưu trữ "
                + ("đang chạy" if locked else "bị ngắt")
                + "; không thuộc phiên bản nào",
                "Lần chạy thidua luu-tru sau sẽ dọn nó.",
                Location(file=str(child)),
            )
        )
    if current is not None and current not in found:
        report.problems.append(
            Problem(
                "error",
                "pointer-dangling",
                f"Tệp {pointer_name(current)} chỉ tới phiên bản {current}, nhưng không có thư "
                "mục đó",
                "Thư mục phiên bản đã bị xóa hoặc đổi tên: khôi phục nó từ bản sao lưu.",
                Location(file=str(cluster / pointer_name(current))),
            )
        )
    elif found and current is None:
        report.problems.append(
            Problem(
                "warning",
                "no-pointer",
                "Chưa có tệp hien-hanh-vNNN.txt chỉ phiên bản hiện hành",
                "Chạy lại thidua luu-tru để hoàn tất lần lưu trữ bị ngắt.",
                Location(file=str(cluster)),
            )
        )
    for version in found:
        if current is not None and (version_number(version) or 0) > (version_number(current) or 0):
            report.problems.append(
                Problem(
                    "warning",
                    "not-current",
                    f"Phiên bản {version} đã chép đủ nhưng chưa được đánh dấu hiện hành (lần lưu "
                    f"trữ bị ngắt ngay sau khi chép; hiện hành vẫn là {current})",
                    "Chạy lại thidua luu-tru để hoàn tất.",
                    Location(file=str(cluster / version)),
                )
            )
        _check_version(cluster / version, report, current=current)
    with contextlib.suppress(OSError):
        for child in sorted(cluster.iterdir()):
            if child.is_file() and bag.is_litter(child.name):
                report.problems.append(_litter(child))


def _check_version(top: Path, report: Report, current: str | None) -> None:
    report.versions += 1
    try:
        damage = bag.check_bag(top)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        report.problems.append(
            Problem(
                "error",
                "bag-unreadable",
                f"Không đọc được danh mục mã băm của phiên bản này ({exc})",
                "Tệp manifest-sha256.txt bị mất hoặc hỏng: khôi phục phiên bản từ bản sao lưu.",
                Location(file=str(top)),
            )
        )
        return
    errors = [d for d in damage if d.kind != "litter"]
    words = {
        "missing": ("bag-missing", "Thiếu tệp (đã bị xóa hoặc đổi tên)"),
        "changed": ("bag-changed", "Tệp đã bị thay đổi (mã băm SHA-256 không còn khớp)"),
        "extra": ("bag-extra", "Tệp lạ, không có trong danh mục của phiên bản"),
    }
    for item in errors:
        code, message = words[item.kind]
        report.problems.append(
            Problem(
                "error",
                code,
                message,
                "Phiên bản đã lưu trữ không được sửa: khôi phục tệp từ bản sao lưu hoặc từ "
                "ban-hanh/ của thư mục kết quả; tệp lạ thì chuyển ra chỗ khác.",
                Location(file=str(top / item.path)),
            )
        )
    for item in damage:
        if item.kind == "litter":
            report.problems.append(_litter(top / item.path))
    if not errors:
        reasons = bag.validate(top, ignore_litter=True)
        if reasons:
            report.problems.append(
                Problem(
                    "error",
                    "bag-invalid",
                    "Túi BagIt không hợp lệ: " + "; ".join(reasons[:5]),
                    "Khôi phục phiên bản từ bản sao lưu.",
                    Location(file=str(top)),
                )
            )
            return
        payload = bag.walk_files(top / "data")
        files = sum(1 for path in payload if not bag.is_litter(Path(path).name))
        mark = ", hiện hành" if current is not None and top.name == current else ""
        report.lines.append(f"{'nguyên vẹn':<11} {top} ({files} tệp{mark})")


def _litter(path: Path) -> Problem:
    return Problem(
        "warning",
        "litter",
        "Tệp rác do Explorer, Finder hoặc Word để lại; không thuộc bản lưu trữ",
        "Có thể xóa tệp này (đóng Word trước nếu là tệp ~$…); không ảnh hưởng bản lưu trữ.",
        Location(file=str(path)),
    )
