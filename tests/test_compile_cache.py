"""The compile cache: a template compiled once is taken from the cache next time, with the same
documents, warnings, variables and error locations; a stale, corrupt or unwritable cache only
means compiling again (pipeline.documents.cache)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from template_files import RANKING, bundled, bundled_with
from test_template_package import hyperlink

from pipeline.documents import cache, engine
from pipeline.documents.contract import CONTEXT
from pipeline.documents.engine import CompiledTemplate
from pipeline.errors import ThiduaError

NAME = "02-bien-ban-hoi-nghi.docx"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("THIDUA_CACHE_DIR", str(folder))
    monkeypatch.delenv("THIDUA_NO_CACHE", raising=False)
    yield folder / "templates"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates really compiled (not taken from the cache) from now on."""
    seen: list[str] = []
    analyse = engine.analyse

    def counted(data: bytes, name: str, *args: object, **kwargs: object) -> object:
        seen.append(name)
        return analyse(data, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "analyse", counted)
    return seen


def _compile(data: bytes, *, allow_external: bool = False) -> CompiledTemplate:
    return CompiledTemplate.compile(
        data, name=NAME, contract=CONTEXT, allow_external=allow_external
    )


def _context() -> dict[str, object]:
    from pipeline.checking import load_and_validate
    from pipeline.documents.context import build_context
    from pipeline.resources import bundled_inputs_dir
    from pipeline.workbook.schema import SAMPLE_FILE

    sample = load_and_validate(bundled_inputs_dir() / SAMPLE_FILE)
    assert sample.dossier is not None and sample.results is not None
    return build_context(sample.dossier, sample.results)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.thidua-template")) if folder.is_dir() else []


def test_a_second_compile_comes_from_the_cache_and_gives_the_same_document(
    cache_dir: Path, compiles: list[str]
) -> None:
    context = _context()
    first = _compile(bundled())
    assert compiles == [NAME] and len(_entries(cache_dir)) == 1
    second = _compile(bundled())
    assert compiles == [NAME]  # not compiled again
    assert second.render(context) == first.render(context)
    assert second.parts == first.parts
    assert second.variables == first.variables
    assert second.warnings == first.warnings == ()


def test_warnings_come_back_from_the_cache(cache_dir: Path, compiles: list[str]) -> None:
    data = hyperlink("https://thiduakhenthuong.example.vn")
    first = _compile(data)
    second = _compile(data)
    assert len(compiles) == 1
    assert first.warnings and second.warnings == first.warnings


def test_a_render_error_is_located_the_same_from_the_cache(
    cache_dir: Path, compiles: list[str]
) -> None:
    data = bundled_with(RANKING, "{{ cau_xep_hang | so }}")
    problems = []
    for _ in range(2):
        with pytest.raises(ThiduaError) as caught:
            _compile(data).render(_context())
        problems.append(caught.value.problems)
    assert len(compiles) == 1
    assert problems[0] == problems[1]
    assert problems[0][0].location.placeholder  # the paragraph is found from the cached code


def test_a_changed_template_is_compiled_again(cache_dir: Path, compiles: list[str]) -> None:
    context = _context()
    _compile(bundled()).render(context)
    changed = bundled_with(RANKING, "Xếp hạng: {{ cau_xep_hang }}")
    document = _compile(changed).render(context)
    assert compiles == [NAME, NAME]
    assert document == CompiledTemplate.compile(changed, name=NAME, contract=CONTEXT).render(
        context
    )
    assert b"X\xe1\xba\xbfp h\xe1\xba\xa1ng" not in _compile(bundled()).render(context)


def test_another_fingerprint_does_not_read_the_entry(
    cache_dir: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _compile(bundled())
    monkeypatch.setattr(cache, "fingerprint", lambda: b"another thidua or library")
    _compile(bundled())
    assert compiles == [NAME, NAME]


def test_the_fingerprint_follows_a_library_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "thu_vien").mkdir()
    module = tmp_path / "thu_vien" / "__init__.py"
    module.write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = cache._package_files("thu_vien")
    module.write_text("X = 22\n")
    assert before and cache._package_files("thu_vien") != before
    assert cache._package_files("khong_co_thu_vien_nay") == []


def test_options_are_part_of_the_key(cache_dir: Path, compiles: list[str]) -> None:
    data = hyperlink("file:///C:/Users/van-thu/ho-so.docx")
    with pytest.raises(ThiduaError):
        _compile(data)
    assert _compile(data, allow_external=True).warnings
    with pytest.raises(ThiduaError):  # an entry made with the link allowed does not allow it
        _compile(data)
    assert len(compiles) == 3


def _damaged(raw: bytes) -> dict[str, bytes]:
    payload = raw[32:]
    flipped = bytearray(payload)
    flipped[len(flipped) // 2] ^= 0xFF
    return {
        "empty": b"",
        "garbage": b"\x00not a cache entry" * 10,
        "truncated": raw[: len(raw) // 2],
        "flipped byte": raw[:32] + bytes(flipped),
        "another digest": hashlib.sha256(b"x").digest() + payload,
    }


def test_a_damaged_entry_is_compiled_again_and_replaced(
    cache_dir: Path, compiles: list[str]
) -> None:
    context = _context()
    expected = _compile(bundled()).render(context)
    (entry,) = _entries(cache_dir)
    good = entry.read_bytes()
    for case, raw in _damaged(good).items():
        entry.write_bytes(raw)
        before = len(compiles)
        assert _compile(bundled()).render(context) == expected, case
        assert len(compiles) == before + 1, case
        assert entry.read_bytes() == good, case  # written again


def test_an_entry_of_another_shape_is_a_miss(cache_dir: Path, compiles: list[str]) -> None:
    _compile(bundled())
    (entry,) = _entries(cache_dir)
    key = entry.name.removesuffix(".thidua-template")
    for value in [("x",), (((1, 2),), (), ()), ((("word/nope.xml",) * 7,), (), ())]:
        cache.store(key, value)
        assert cache.load(key) == value
        _compile(bundled())
    assert len(compiles) == 4


def test_an_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("THIDUA_CACHE_DIR", str(blocker))
    context = _context()
    assert _compile(bundled()).render(context) == _compile(bundled()).render(context)
    assert blocker.read_text() == "not a folder"


def test_templates_with_errors_are_not_kept(cache_dir: Path, compiles: list[str]) -> None:
    data = bundled_with(RANKING, "{{ cau_xep_hang ")
    for _ in range(2):
        with pytest.raises(ThiduaError):
            _compile(data)
    assert len(compiles) == 2 and _entries(cache_dir) == []


def test_the_cache_can_be_turned_off(
    cache_dir: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_NO_CACHE", "1")
    _compile(bundled())
    _compile(bundled())
    assert len(compiles) == 2 and _entries(cache_dir) == []


def test_other_filters_are_never_cached(cache_dir: Path, compiles: list[str]) -> None:
    from pipeline.vi import FILTERS

    for _ in range(2):
        CompiledTemplate.compile(bundled(), name=NAME, filters=FILTERS, contract=CONTEXT)
    assert len(compiles) == 2 and _entries(cache_dir) == []


def test_old_entries_are_pruned(
    cache_dir: Path, compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEPT", 2)
    for text in ("một", "hai", "ba"):
        _compile(bundled_with(RANKING, f"{{{{ cau_xep_hang }}}} {text}"))
    assert len(_entries(cache_dir)) == 2
