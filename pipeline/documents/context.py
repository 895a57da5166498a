"""Model → template context: the one contract with the authors of the Word templates.

Pure: no I/O, no clock, no locale. :func:`build_context` turns a validated :class:`Dossier` and
its computed :class:`Results` into ONE dictionary shared by the four templates (báo cáo, biên
bản, giao ước, danh sách). Every name is ASCII Vietnamese in ``snake_case`` because template
authors type them in Word; ``docs/templates.md`` lists each one with an example, and a test keeps
that list and this module in agreement.

Two kinds of values are given:

- **raw values** (``date``, ``time``, ``Decimal``, ``int``) that templates format with the
  filters of :mod:`pipeline.vi` (``{{ hoi_nghi.ngay | ngay_thang_nam }}``, ``{{ r.tong | so }}``),
  so that a template author can change the presentation without touching Python;
- **ready sentences** (``cau_*``) for the derived phrases that are hard to write in Jinja
  (rankings with ties, proposals grouped by form), always together with the structured data
  they are made of, so that a template may also restyle them. Their wording is composed by the
  pure functions of :mod:`pipeline.documents.sentences`; this module builds the records.
  The formal parts of each document (numbers, signature blocks, "Nơi nhận", "Căn cứ")
  are built by :mod:`pipeline.documents.formalities`.

Lists of units follow the official order (``Unit.order``) unless they are ranked. Values the
workbook left blank stay ``None`` (never zero); a template tests them with ``is none``.
Nested records are plain ``dict`` objects, so Jinja reads them as ``x.ten``; no key is named
like a ``dict`` method (``items``, ``keys``, ``values``…), which Jinja would pick first.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from pipeline.documents import formalities
from pipeline.documents.sentences import (
    describe,
    honorific,
    membership_sentence,
    ordinal_word,
    proposal_clause,
    ranked_result,
    ranking_sentence,
    rotation_sentence,
    score_sentence,
    speaker_description,
    unit_paragraph,
    without_comrade,
)
from pipeline.domain.model import (
    NARRATIVE_SECTIONS,
    Attendee,
    Discussion,
    DocFormat,
    Dossier,
    IndividualProposal,
    Narrative,
    Person,
    Role,
    Unit,
)
from pipeline.domain.scoring import Award, RankGroup, Results, VoteResult
from pipeline.vi import in_hoa, noi, thu_hang, tien_bang_chu

Record = dict[str, object]

#: How many places the ranking sentence of the minutes and the report names (Nhất, Nhì, Ba).
RANKED_PLACES = 3

_VOTE_METHODS = {"bo_phieu_kin": "bỏ phiếu kín", "gio_tay": "biểu quyết giơ tay"}
_ROLES = {Role.HEAD: "{Body} trưởng", Role.DEPUTY: "{Body} phó", Role.MEMBER: "Thành viên"}
_RATIO_STEP = Decimal("0.001")  # vote ratios are shown to 0,1 % (presentation only)


# ---------------------------------------------------------------------------------------------
# Records


def _unit(unit: Unit, position: int, body: str) -> Record:
    return {
        "stt": position,
        "ma": unit.code,
        "ten": unit.full_name,
        "ten_ngan": unit.short_name,
        "ten_in_hoa": unit.header_name,
        "vai_tro": unit.role.value,
        "vai_tro_chu": _ROLES[unit.role].format(Body=body.capitalize()),
        "thu_truong": unit.head_name,
        "chuc_vu_thu_truong": unit.head_title,
        "nguoi_ky": unit.signer_name or unit.head_name,
        "chuc_vu_nguoi_ky": unit.signer_title or unit.head_title,
        "cap_pho_ky": unit.deputy_signs,
    }


def _vote(result: VoteResult) -> Record:
    vote = result.vote
    return {
        "ma": vote.code,
        "noi_dung": vote.item,
        "hinh_thuc": vote.method,
        "hinh_thuc_chu": _VOTE_METHODS.get(vote.method, vote.method),
        "bo_phieu_kin": vote.method == "bo_phieu_kin",
        "phat_ra": vote.issued,
        "thu_ve": vote.returned,
        "hop_le": vote.valid,
        "khong_hop_le": vote.invalid,
        "dong_y": vote.yes,
        "khong_dong_y": vote.no,
        "khong_y_kien": vote.abstain,
        "co_so": result.base_count,
        "ty_le": result.ratio.quantize(_RATIO_STEP, rounding=ROUND_HALF_UP),
        "thong_qua": result.passed,
        "ket_qua": "thông qua" if result.passed else "không thông qua",
    }


def _money_words(amount: Decimal | None) -> str:
    return tien_bang_chu(amount) if amount is not None else ""


T = TypeVar("T")


def _known(value: T | None) -> T:
    """A setting the loader reads or reports: a dossier with a loader error (where it may be
    ``None``) is never rendered."""
    if value is None:
        raise ValueError("build_context: the dossier holds a value the loader could not read")
    return value


class _Builder:
    """Holds the dossier, the results and the lookups the record builders share."""

    def __init__(self, dossier: Dossier, results: Results) -> None:
        self.dossier = dossier
        self.results = results
        self.cluster = dossier.cluster
        self.body = dossier.cluster.kind.word  # "cụm" or "khối": every word for the body
        self.doc_format = _known(dossier.cluster.doc_format)
        self.max_score = _known(dossier.cluster.max_score)
        ordered = sorted(dossier.units, key=lambda u: u.order)
        self.units = {u.code: _unit(u, i, self.body) for i, u in enumerate(ordered, start=1)}
        self.ordered = ordered
        self.votes = {code: _vote(r) for code, r in results.votes.items()}

    # -- small lookups

    def unit_name(self, code: str | None) -> str:
        return self.dossier.unit(code).full_name if code else ""

    def unit_order(self, code: str | None) -> int:
        return self.dossier.unit(code).order if code else 0

    def vote(self, code: str | None) -> Record | None:
        return self.votes.get(code) if code else None

    # -- meeting

    def person(self, person: Person | Attendee) -> Record:
        where = self.unit_name(person.unit) or (person.organization or "")
        return {
            "ho_ten": person.name,
            "chuc_vu": person.title,
            "don_vi": where,
            "mo_ta": describe(person.name, person.title, where),
        }

    def attendee(self, attendee: Attendee) -> Record:
        return {**self.person(attendee), "ly_do": attendee.absence_reason or ""}

    def discussion(self, position: int, item: Discussion) -> Record:
        speaker = without_comrade(item.speaker)
        where = self.unit_name(item.unit)
        return {
            "stt": position,
            "nguoi_phat_bieu": speaker,
            "don_vi": where,
            "mo_ta": speaker_description(speaker, where),
            "noi_dung": item.summary,
        }

    def meeting(self) -> Record:
        meeting = self.dossier.meeting
        members = sorted(
            (a for a in meeting.attendees if not a.guest),
            key=lambda a: self.unit_order(a.unit),
        )
        present = [a for a in members if a.present]
        present_units = {a.unit for a in present}
        return {
            "ngay": meeting.date,
            "bat_dau": meeting.start,
            "ket_thuc": meeting.end,
            "dia_diem": meeting.venue,
            "chu_tri": self.person(meeting.chair),
            "thu_ky": self.person(meeting.secretary),
            "dai_bieu": [self.attendee(a) for a in present],
            "vang_mat": [self.attendee(a) for a in members if not a.present],
            "don_vi_vang_mat": [
                self.units[u.code] for u in self.ordered if u.code not in present_units
            ],
            "khach_moi": [self.attendee(a) for a in meeting.attendees if a.guest and a.present],
            "so_don_vi_co_mat": sum(1 for u in self.ordered if u.code in present_units),
            "so_dai_bieu_co_mat": len(present),
            "thao_luan": [
                self.discussion(i, d)
                for i, d in enumerate(sorted(meeting.discussions, key=lambda d: d.order), 1)
            ],
        }

    # -- scores and ranks

    def score_rows(self) -> list[Record]:
        tied = {g.rank for g in self.results.groups if g.tied}
        return [
            {
                "stt": i,
                "ma": r.unit.code,
                "ten": r.unit.full_name,
                "ten_ngan": r.unit.short_name,
                "tu_cham": r.self_total,
                "cum_cham": r.criteria_total,
                "cong": r.bonus,
                "tru": r.deduction,
                "tong": r.total,
                "xep_thu": r.rank,
                "xep_thu_chu": ordinal_word(r.rank),
                "dong_hang": r.rank in tied,
            }
            for i, r in enumerate(self.results.units, start=1)
        ]

    def rank_groups(self) -> list[Record]:
        return [
            {
                "hang": g.rank,
                "thu_hang": thu_hang(g.rank),
                "xep_thu_chu": ordinal_word(g.rank),
                "tong": g.total,
                "dong_hang": g.tied,
                "so_don_vi": len(g.units),
                "don_vi": [self.units[r.unit.code] for r in g.units],
                "ten_don_vi": noi([r.unit.full_name for r in g.units]),
            }
            for g in self.results.groups
        ]

    @staticmethod
    def places(
        groups: Iterable[RankGroup], with_points: bool
    ) -> list[tuple[int, list[str], Decimal | None]]:
        return [
            (g.rank, [r.unit.full_name for r in g.units], g.total if with_points else None)
            for g in groups
        ]

    # -- proposals

    def award_note(self, code: str) -> str:
        """``xếp thứ Nhất, 992/1.000 điểm`` for a ranked member unit."""
        result = self.results.result_for(code)
        return ranked_result(result.rank, result.total, self.max_score)

    def collective(self, position: int, award: Award) -> Record:
        proposal = award.proposal
        result = self.results.result_for(proposal.unit)
        return {
            "stt": position,
            "ma_don_vi": proposal.unit,
            "ten": self.unit_name(proposal.unit),
            "ten_ngan": self.dossier.unit(proposal.unit).short_name,
            **self.award_fields(award),
            "la_co": award.form.is_flag,
            "xep_thu": result.rank,
            "tong": result.total,
            "ket_qua": self.award_note(proposal.unit),
        }

    def individual(self, position: int, award: Award) -> Record:
        proposal = award.proposal
        assert isinstance(proposal, IndividualProposal)
        where = self.unit_name(proposal.unit)
        return {
            "stt": position,
            "ho_ten": proposal.name,
            "gioi_tinh": proposal.gender,
            "danh_xung": honorific(proposal.gender),
            "nam_sinh": proposal.birth_year,
            "chuc_vu": proposal.title,
            "ma_don_vi": proposal.unit,
            "don_vi": where,
            "chuc_vu_don_vi": describe("", proposal.title, where),
            **self.award_fields(award),
        }

    def award_fields(self, award: Award) -> Record:
        """What every proposal row, collective or individual, says about its award."""
        return {
            "hinh_thuc": award.form.name,
            "ma_hinh_thuc": award.form.code,
            "thanh_tich": award.proposal.achievement,
            "he_so": award.form.coefficient,
            "so_tien": award.amount,
            "so_tien_chu": _money_words(award.amount),
            "bieu_quyet": self.vote(award.proposal.vote),
            "ghi_chu": award.proposal.note or "",
        }

    def proposal_groups(
        self, collectives: list[Record], individuals: list[Record]
    ) -> tuple[list[Record], str]:
        """Proposals grouped by (form, recipient type) in order of first appearance, and the
        sentence that names them (empty when nothing is proposed)."""
        groups: dict[tuple[str, str], list[str]] = {}
        for c in collectives:
            groups.setdefault((str(c["hinh_thuc"]), "tập thể"), []).append(str(c["ten"]))
        for p in individuals:
            name = f"{p['danh_xung']} {p['ho_ten']} ({p['don_vi']})"
            groups.setdefault((str(p["hinh_thuc"]), "cá nhân"), []).append(name)
        records: list[Record] = [
            {
                "hinh_thuc": form,
                "doi_tuong": recipients,
                "so_luong": len(names),
                "ten": names,
                "ten_noi": noi(names),
            }
            for (form, recipients), names in groups.items()
        ]
        sentence = "; ".join(
            proposal_clause(form, recipients, names) for (form, recipients), names in groups.items()
        )
        return records, sentence

    def narratives(self) -> Record:
        def key(n: Narrative) -> tuple[int, int]:
            by_unit = n.section == "ket_qua_don_vi"
            return (self.unit_order(n.unit) if by_unit else 0, n.order)

        sections: Record = {}
        for section in NARRATIVE_SECTIONS:
            items = sorted((n for n in self.dossier.narratives if n.section == section), key=key)
            sections[section] = [
                {
                    "don_vi": self.unit_name(n.unit),
                    "noi_dung": n.text,
                    "doan": unit_paragraph(self.unit_name(n.unit), n.text),
                }
                for n in items
            ]
        return sections

    def covenant_targets(self) -> list[Record]:
        sections: dict[str, list[Record]] = {}
        for target in sorted(self.dossier.covenant_targets, key=lambda t: t.order):
            rows = sections.setdefault(target.section, [])
            rows.append({"stt": len(rows) + 1, "noi_dung": target.text})
        return [
            {"stt": i, "ten": name, "chi_tieu": rows}
            for i, (name, rows) in enumerate(sections.items(), start=1)
        ]


def _sum(amounts: Iterable[object]) -> Decimal:
    return sum((a for a in amounts if isinstance(a, Decimal)), Decimal(0))


def build_context(dossier: Dossier, results: Results) -> dict[str, object]:
    """The template context of one cluster-year: see ``docs/templates.md`` for every name.

    ``dossier`` must have passed validation and ``results`` be its results,
    :func:`pipeline.domain.scoring.results_if_computable` (for a dossier without errors, the same
    as ``scoring.compute(dossier)``).
    """
    b = _Builder(dossier, results)
    cluster = dossier.cluster
    head, deputy = dossier.head, dossier.deputy
    rotation = dossier.rotation
    meeting = b.meeting()

    collectives = [b.collective(i, a) for i, a in enumerate(results.collective_awards, 1)]
    individuals = [b.individual(i, a) for i, a in enumerate(results.individual_awards, 1)]
    proposal_groups, proposal_sentence = b.proposal_groups(collectives, individuals)
    total_collective = _sum(c["so_tien"] for c in collectives)
    total_individual = _sum(p["so_tien"] for p in individuals)
    total = total_collective + total_individual

    minimum = results.min_total
    secretary_sig = formalities.meeting_signatures(dossier)
    cluster_sig = formalities.cluster_signature(dossier, b.doc_format, b.body)

    body = b.body
    return {
        "the_thuc": b.doc_format.value,
        "dang": cluster.doc_format is DocFormat.PARTY,
        "loai_cum": body,
        "loai_cum_hoa": body.capitalize(),
        "loai_cum_in_hoa": in_hoa(body),
        "ten_cum": cluster.name,
        "ten_cum_ngan": cluster.short_name,
        "co_quan_cap_tren": cluster.parent_body,
        "dia_danh": cluster.place,
        "nam": cluster.year,
        "nam_sau": cluster.covenant_year,
        "thang_diem": cluster.max_score,
        "van_ban": formalities.documents(dossier),
        # units
        "so_don_vi": len(b.ordered),
        "don_vi": [b.units[u.code] for u in b.ordered],
        "don_vi_cum_truong": b.units[head.code] if head else None,
        "don_vi_cum_pho": b.units[deputy.code] if deputy else None,
        "cau_thanh_phan": membership_sentence(
            _known(cluster.year),
            cluster.name,
            [u.full_name for u in b.ordered],
            head.full_name if head else None,
            deputy.full_name if deputy else None,
            body=body,
        ),
        # meeting
        "hoi_nghi": meeting,
        "bieu_quyet": [b.votes[v.code] for v in dossier.votes],
        # scores
        "bang_diem": b.score_rows(),
        "so_dat": results.count_at_least(minimum),
        "diem_thap_nhat": minimum,
        "diem_cao_nhat": results.max_total,
        "cau_diem": score_sentence(
            results.count_at_least(minimum), len(b.ordered), minimum, b.max_score, body=body
        ),
        "xep_hang": b.rank_groups(),
        "cau_xep_hang": ranking_sentence(b.places(results.groups, False), RANKED_PLACES),
        "cau_xep_hang_diem": ranking_sentence(b.places(results.groups, True)),
        # proposals
        "de_nghi_tap_the": collectives,
        "de_nghi_ca_nhan": individuals,
        "co_de_nghi": bool(collectives or individuals),
        "nhom_de_nghi": proposal_groups,
        "cau_de_nghi": proposal_sentence,
        "so_bang_khen_toi_da": results.merit_quota,
        "luong_co_so": (
            {"muc": results.base_salary.amount, "tu_ngay": results.base_salary.effective_from}
            if results.base_salary
            else None
        ),
        "tong_tien_tap_the": total_collective,
        "tong_tien_ca_nhan": total_individual,
        "tong_tien": total,
        "tong_tien_chu": tien_bang_chu(total),
        # next year
        "luan_phien": {
            "nam": rotation.year,
            "cum_truong": b.units[_known(rotation.head)],
            "cum_pho": b.units[_known(rotation.deputy)],
            "bieu_quyet": b.vote(rotation.vote),
        },
        "cau_luan_phien": rotation_sentence(
            b.unit_name(_known(rotation.head)),
            b.unit_name(_known(rotation.deputy)),
            _known(rotation.year),
            body=body,
        ),
        "chi_tieu_giao_uoc": b.covenant_targets(),
        "noi_dung_bao_cao": b.narratives(),
        # signatures, recipients and legal bases
        "ky": {
            "bao_cao": cluster_sig,
            "danh_sach": cluster_sig,
            "bien_ban": secretary_sig[0],
            "thu_ky": secretary_sig[1],
        },
        "chu_ky_don_vi": formalities.signature_rows(
            [formalities.unit_signature(u, b.doc_format) for u in b.ordered]
        ),
        "noi_nhan": formalities.recipients(dossier, b.doc_format, body),
        "can_cu": formalities.legal_bases(dossier),
    }
