"""Rule group B, criteria and scores (domain-thidua.md §9 B): the criteria tree of TieuChi, the
scores of ChamDiem, the bonuses and deductions of DiemCongTru, and totals that look wrong.

Pure: no I/O, no clock, no locale. The thresholds that no parameter holds yet are the named
constants below.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pipeline.domain.model import AdjustmentKind, Criterion, Dossier, Score
from pipeline.domain.rules.common import blank, leaves, sheet_location, unit_name
from pipeline.domain.scoring import Results, criteria_by_code, tree_is_consistent
from pipeline.errors import Problem
from pipeline.vi import so

#: B11: a self/cluster gap larger than this on one criterion needs a reason (§9 B11 example).
SELF_GAP_PER_CRITERION = Decimal(10)
#: B11: a gap larger than this between a unit's self total and cluster total needs a reason.
SELF_GAP_TOTAL = Decimal(20)
#: B15: a total below this share of the thang điểm is unusually low (§9 B15: "< 900" of 1.000).
LOW_TOTAL_SHARE = Decimal("0.9")


def check_criteria_tree(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B6: criteria codes are unique, each parent exists, and parents form no cycle."""
    seen: set[str] = set()
    for criterion in dossier.criteria:
        if criterion.code in seen:
            yield Problem(
                "error",
                "B6",
                f"Mã tiêu chí {criterion.code} bị trùng",
                "Mỗi tiêu chí một mã riêng (I, I.1, I.2…); sửa hoặc xóa dòng trùng.",
                criterion.src.at("code"),
            )
        seen.add(criterion.code)
    by_code = criteria_by_code(dossier)
    for criterion in by_code.values():
        if criterion.parent is not None and criterion.parent not in by_code:
            yield Problem(
                "error",
                "B6",
                f"Tiêu chí {criterion.code} có mã tiêu chí cha {criterion.parent} không tồn tại",
                "Sửa mã cha cho đúng một tiêu chí trong bảng, hoặc bỏ trống nếu là tiêu chí "
                "cấp cao nhất.",
                criterion.src.at("parent"),
            )
    reported: set[str] = set()
    for criterion in by_code.values():
        path: list[str] = []
        code: str | None = criterion.code
        while code is not None and code in by_code and code not in path:
            path.append(code)
            code = by_code[code].parent
        if code is None or code not in path or code in reported:
            continue
        cycle = path[path.index(code) :]
        reported.update(cycle)
        first = min((by_code[c] for c in cycle), key=lambda c: c.order)
        yield Problem(
            "error",
            "B6",
            "Các tiêu chí " + " → ".join([*cycle, code]) + " làm cha của nhau thành vòng",
            "Sửa mã tiêu chí cha để cây tiêu chí không có vòng lặp.",
            first.src.at("parent"),
        )


def check_criteria_maxima(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B7: a parent's maximum is the sum of its children's; the top level sums to thang điểm.

    Runs on a consistent tree only: with a missing parent or a cycle (B6) the sums mislead.
    """
    if not tree_is_consistent(dossier):
        return
    by_code = criteria_by_code(dossier)
    for criterion in by_code.values():
        if criterion.max_points < 0:
            yield Problem(
                "error",
                "B7",
                f"Điểm tối đa {so(criterion.max_points)} của tiêu chí {criterion.code} là số âm",
                "Điểm tối đa là số dương; điểm trừ nhập ở sheet DiemCongTru.",
                criterion.src.at("max_points"),
            )
    for criterion in by_code.values():
        children = [c for c in by_code.values() if c.parent == criterion.code]
        if not children:
            continue
        total = sum((c.max_points for c in children), Decimal(0))
        if total != criterion.max_points:
            codes = ", ".join(c.code for c in children)
            yield Problem(
                "error",
                "B7",
                f"Điểm tối đa của tiêu chí {criterion.code} là {so(criterion.max_points)}, "
                f"nhưng các tiêu chí con ({codes}) cộng lại được {so(total)}",
                "Sửa điểm tối đa của tiêu chí cha hoặc của các tiêu chí con theo bảng tiêu chí "
                "năm nay (thường do dùng lại bảng của năm trước).",
                criterion.src.at("max_points"),
            )
    top = [c for c in by_code.values() if c.parent is None]
    total = sum((c.max_points for c in top), Decimal(0))
    maximum = dossier.cluster.max_score
    if top and maximum is not None and total != maximum:
        yield Problem(
            "error",
            "B7",
            f"Các tiêu chí cấp cao nhất ({', '.join(c.code for c in top)}) cộng lại được "
            f"{so(total)} điểm, khác thang điểm {so(maximum)}",
            "Sửa thang điểm hoặc điểm tối đa của các tiêu chí cho khớp nhau.",
            dossier.cluster.src.at("max_score"),
        )


def check_scores_complete(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B8: every unit × leaf has one score row with a cluster score; W a missing self-score.

    Rows are counted only when the units, the criteria and the scores could all be read (a
    sheet that cannot be read is reported by the loader, not as every one of its rows missing).
    """
    if not dossier.readable("criteria", "scores"):
        return
    by_code = criteria_by_code(dossier)
    for score in dossier.scores:
        if score.criterion not in by_code:
            yield Problem(
                "error",
                "B8",
                f"Điểm của {unit_name(dossier, score.unit)} ghi cho tiêu chí {score.criterion} "
                "không có trong bảng tiêu chí",
                "Sửa mã tiêu chí cho đúng một mã ở sheet TieuChi.",
                score.src.at("criterion"),
            )
    if not dossier.readable("units"):
        return
    rows: dict[tuple[str, str], list[Score]] = {}
    for score in dossier.scores:
        rows.setdefault((score.unit, score.criterion), []).append(score)
    where = sheet_location(dossier, "scores", (s.src for s in dossier.scores))
    for unit in sorted(dossier.units, key=lambda u: u.order):
        for leaf in leaves(dossier):
            found = rows.get((unit.code, leaf.code), [])
            if not found:
                yield Problem(
                    "error",
                    "B8",
                    f"Thiếu dòng điểm của {unit.full_name} ở tiêu chí {leaf.code}",
                    f"Thêm một dòng cho {unit.code} × {leaf.code} với điểm cụm chấm; ô trống "
                    "không được tính là 0 — nếu đơn vị được 0 điểm, nhập 0.",
                    where,
                )
                continue
            for extra in found[1:]:
                yield Problem(
                    "error",
                    "B8",
                    f"{unit.full_name} có {len(found)} dòng điểm ở tiêu chí {leaf.code}",
                    "Giữ một dòng cho mỗi đơn vị × tiêu chí; xóa dòng thừa.",
                    extra.src.at("criterion"),
                )
            score = found[0]
            if score.cluster_score is None:
                yield Problem(
                    "error",
                    "B8",
                    f"Chưa có điểm cụm chấm của {unit.full_name} ở tiêu chí {leaf.code}",
                    "Nhập điểm cụm chấm; ô trống không được tính là 0 — nếu đơn vị được 0 điểm, "
                    "nhập 0.",
                    score.src.at("cluster_score"),
                )
            if score.self_score is None:
                yield Problem(
                    "warning",
                    "B8",
                    f"Chưa có điểm tự chấm của {unit.full_name} ở tiêu chí {leaf.code}",
                    "Nhập điểm đơn vị tự chấm để báo cáo so sánh được với điểm cụm chấm.",
                    score.src.at("self_score"),
                )


_SCORE_FIELDS = (("self_score", "tự chấm"), ("cluster_score", "cụm chấm"))


def check_score_range(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B9: 0 ≤ score ≤ max and scores on the step, for self and cluster scores."""
    by_code = criteria_by_code(dossier)
    leaf_codes = {c.code for c in leaves(dossier)}
    step = dossier.params.score_step
    for score in dossier.scores:
        if score.criterion not in leaf_codes:
            continue
        maximum = by_code[score.criterion].max_points
        if maximum < 0:
            continue  # B7
        for field, label in _SCORE_FIELDS:
            value: Decimal | None = getattr(score, field)
            if value is None:
                continue
            if value < 0:
                wrong = "là số âm"
                hint = "Điểm tiêu chí từ 0 trở lên; điểm trừ nhập ở sheet DiemCongTru."
            elif value > maximum:
                wrong = f"vượt điểm tối đa {so(maximum)}"
                hint = f"Sửa điểm trong khoảng 0 đến {so(maximum)}."
            elif step > 0 and value % step != 0:
                wrong = f"không phải bội số của bước chấm {so(step)}"
                hint = (
                    f"Làm tròn về bội số của {so(step)}, hoặc sửa “Bước điểm” ở ThamSo nếu quy "
                    "chế cho phép."
                )
            else:
                continue  # the usual case: no text to compose
            message = (
                f"Điểm {label} {so(value)} của {unit_name(dossier, score.unit)} ở tiêu chí "
                f"{score.criterion} {wrong}"
            )
            yield Problem("error", "B9", message, hint, score.src.at(field))


def _leaf_scores(dossier: Dossier) -> list[Score]:
    leaf_codes = {c.code for c in leaves(dossier)}
    return [s for s in dossier.scores if s.criterion in leaf_codes]


def check_self_gap(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B11: a large self/cluster gap, on a criterion or in total, needs a reason."""
    flagged: set[str] = set()
    for score in _leaf_scores(dossier):
        if score.self_score is None or score.cluster_score is None or not blank(score.reason):
            continue
        gap = abs(score.self_score - score.cluster_score)
        if gap > SELF_GAP_PER_CRITERION:
            flagged.add(score.unit)
            yield Problem(
                "warning",
                "B11",
                f"Điểm cụm chấm {so(score.cluster_score)} của {unit_name(dossier, score.unit)} ở "
                f"tiêu chí {score.criterion} lệch {so(gap)} điểm so với điểm tự chấm "
                f"{so(score.self_score)} (quá {so(SELF_GAP_PER_CRITERION)} điểm) mà chưa "
                "ghi lý do",
                "Ghi lý do điều chỉnh để đơn vị và hội nghị nắm được.",
                score.src.at("reason"),
            )
    for unit in sorted(dossier.units, key=lambda u: u.order):
        rows = [s for s in _leaf_scores(dossier) if s.unit == unit.code]
        both = [
            (s.self_score, s.cluster_score)
            for s in rows
            if s.self_score is not None and s.cluster_score is not None
        ]
        if unit.code in flagged or not both:
            continue
        gap = abs(sum((a - b for a, b in both), Decimal(0)))
        explained = any(not blank(s.reason) for s in rows if s.self_score != s.cluster_score)
        if gap > SELF_GAP_TOTAL and not explained:
            yield Problem(
                "warning",
                "B11",
                f"Tổng điểm cụm chấm của {unit.full_name} lệch {so(gap)} điểm so với tổng "
                f"điểm tự chấm (quá {so(SELF_GAP_TOTAL)} điểm) mà không tiêu chí nào ghi lý do",
                "Ghi lý do điều chỉnh ở các tiêu chí bị chấm lại.",
                sheet_location(dossier, "scores", (s.src for s in rows)),
            )


def check_cluster_above_self(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B12: a cluster score above the self-score is unusual and needs a reason."""
    for score in _leaf_scores(dossier):
        if score.self_score is None or score.cluster_score is None or not blank(score.reason):
            continue
        gap = score.cluster_score - score.self_score
        if Decimal(0) < gap <= SELF_GAP_PER_CRITERION:  # larger gaps: B11
            yield Problem(
                "warning",
                "B12",
                f"Điểm cụm chấm {so(score.cluster_score)} của {unit_name(dossier, score.unit)} ở "
                f"tiêu chí {score.criterion} cao hơn điểm tự chấm {so(score.self_score)}",
                "Kiểm tra lại (có thể nhập nhầm cột); nếu đúng, ghi lý do điều chỉnh.",
                score.src.at("reason"),
            )


def check_adjustments(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B13: bonuses and deductions are positive, have a basis, and bonuses stay under the cap."""
    cap = dossier.params.bonus_cap
    running: dict[str, Decimal] = {}
    for adj in dossier.adjustments:
        unit = unit_name(dossier, adj.unit)
        kind = "cộng" if adj.kind is AdjustmentKind.BONUS else "trừ"
        if adj.points <= 0:
            yield Problem(
                "error",
                "B13",
                f"Điểm {kind} {so(adj.points)} của {unit} (“{adj.reason}”) không phải số dương",
                "Nhập số điểm dương; loại “cong”/“tru” cho biết cộng hay trừ (không nhập số âm "
                "cho điểm trừ).",
                adj.src.at("points"),
            )
        if blank(adj.basis):
            yield Problem(
                "error",
                "B13",
                f"Điểm {kind} {so(adj.points)} của {unit} (“{adj.reason}”) chưa có căn cứ",
                "Ghi văn bản làm căn cứ (số, ngày, cơ quan ban hành).",
                adj.src.at("basis"),
            )
        if adj.kind is AdjustmentKind.BONUS and cap is not None and adj.points > 0:
            before = running.get(adj.unit, Decimal(0))
            running[adj.unit] = before + adj.points
            if before <= cap < running[adj.unit]:
                yield Problem(
                    "error",
                    "B13",
                    f"Tổng điểm cộng của {unit} là {so(running[adj.unit])} tính đến dòng này, "
                    f"vượt mức trần {so(cap)}",
                    f"Giảm điểm cộng để tổng không quá {so(cap)}, hoặc sửa “Điểm cộng tối đa” "
                    "ở ThamSo.",
                    adj.src.at("points"),
                )


def _descendant_leaves(by_code: dict[str, Criterion], code: str) -> list[str]:
    children: dict[str, list[str]] = {}
    for c in by_code.values():
        if c.parent is not None:
            children.setdefault(c.parent, []).append(c.code)
    found: list[str] = []
    stack, seen = [code], {code}
    while stack:
        current = stack.pop()
        kids = children.get(current, [])
        if not kids and current != code:
            found.append(current)
        for kid in kids:
            if kid not in seen:
                seen.add(kid)
                stack.append(kid)
    return found


def check_subtotals(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B14: a score row on a parent criterion (a subtotal) equals the sum of its leaves."""
    if not tree_is_consistent(dossier):
        return
    by_code = criteria_by_code(dossier)
    leaf_codes = {c.code for c in leaves(dossier)}
    scores: dict[tuple[str, str], Score] = {}
    for score in dossier.scores:
        scores.setdefault((score.unit, score.criterion), score)
    for score in dossier.scores:
        if score.criterion not in by_code or score.criterion in leaf_codes:
            continue  # a leaf, or unknown: no subtotal row
        below = _descendant_leaves(by_code, score.criterion)
        for field, label in _SCORE_FIELDS:
            value: Decimal | None = getattr(score, field)
            parts = [getattr(scores.get((score.unit, leaf)), field, None) for leaf in below]
            if value is None or not parts or any(p is None for p in parts):
                continue
            total = sum((p for p in parts if p is not None), Decimal(0))
            if value != total:
                yield Problem(
                    "error",
                    "B14",
                    f"Điểm {label} {so(value)} của {unit_name(dossier, score.unit)} ở tiêu chí cha "
                    f"{score.criterion} khác tổng các tiêu chí con ({so(total)})",
                    "Xóa dòng điểm của tiêu chí cha (chương trình tự cộng), hoặc tính lại "
                    "công thức rồi lưu tệp bằng Excel.",
                    score.src.at(field),
                )


def _top_sum_ok(dossier: Dossier) -> bool:
    """The top-level maxima add up to the thang điểm (B7)."""
    top = [c.max_points for c in criteria_by_code(dossier).values() if c.parent is None]
    maximum = dossier.cluster.max_score
    return maximum is not None and sum(top, Decimal(0)) == maximum


def check_total_plausible(dossier: Dossier, results: Results | None) -> Iterator[Problem]:
    """B15: a criteria total above the thang điểm, or a total unusually low."""
    maximum = dossier.cluster.max_score
    if results is None or maximum is None or not _top_sum_ok(dossier):
        return  # B7 reports a thang điểm that does not match the criteria
    low = maximum * LOW_TOTAL_SHARE
    where = sheet_location(dossier, "scores", (s.src for s in dossier.scores))
    for result in sorted(results.units, key=lambda r: r.unit.order):
        name = result.unit.full_name
        if result.criteria_total > maximum:
            yield Problem(
                "warning",
                "B15",
                f"Tổng điểm tiêu chí của {name} là {so(result.criteria_total)}, vượt thang "
                f"điểm {so(maximum)}",
                "Kiểm tra điểm tối đa của các tiêu chí và điểm cụm chấm.",
                where,
            )
        if result.total < low:
            yield Problem(
                "warning",
                "B15",
                f"Tổng điểm của {name} chỉ {so(result.total)}/{so(maximum)}, thấp bất "
                f"thường (dưới {so(low)})",
                "Kiểm tra các ô điểm cụm chấm (có thể thiếu một chữ số) và các điểm trừ.",
                where,
            )
