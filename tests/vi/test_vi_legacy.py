"""Legacy encodings: TCVN3 (ABC), VNI-Windows, Windows-1258, and font-name detection."""

from __future__ import annotations

import unicodedata

import pytest
from vi_testdata import vectors

from pipeline.vi import (
    decode_legacy,
    from_cp1258,
    from_tcvn3,
    from_vni,
    legacy_encoding,
    legacy_uppercase,
)

_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


@pytest.mark.parametrize(("legacy", "expected"), vectors("legacy_tcvn3_to_unicode"))
def test_tcvn3(legacy: str, expected: str) -> None:
    assert from_tcvn3(legacy) == expected
    assert decode_legacy(legacy, ".VnTime") == expected


@pytest.mark.parametrize(("legacy", "expected"), vectors("legacy_tcvn3_vntimeH_to_unicode"))
def test_tcvn3_uppercase_fonts(legacy: str, expected: str) -> None:
    assert from_tcvn3(legacy, uppercase=True) == expected
    assert decode_legacy(legacy, ".VnTimeH") == expected


@pytest.mark.parametrize(("legacy", "expected"), vectors("legacy_vni_to_unicode"))
def test_vni(legacy: str, expected: str) -> None:
    assert from_vni(legacy) == expected
    assert decode_legacy(legacy, "VNI-Times") == expected


@pytest.mark.parametrize(
    ("hex_bytes", "expected", "how"), vectors("legacy_cp1258_bytes_to_unicode")
)
def test_cp1258(hex_bytes: str, expected: str, how: str) -> None:
    data = bytes.fromhex(hex_bytes)
    assert from_cp1258(data) == expected, how
    assert data.decode("cp1258") != expected  # the raw decode is the "tổ hợp" form


@pytest.mark.parametrize(("font", "meaning"), vectors("legacy_font_detection"))
def test_font_detection(font: str, meaning: str) -> None:
    encoding = legacy_encoding(font)
    detected = "unicode" if encoding is None else encoding
    if legacy_uppercase(font):
        detected += "+uppercase"
    assert detected == meaning


@pytest.mark.parametrize(
    ("font", "encoding", "upper"),
    [
        (".VnTime", "tcvn3", False),
        (".vntime", "tcvn3", False),
        (" .VnCentury Schoolbook ", "tcvn3", False),
        (".VnBlackH", "tcvn3", True),
        ("VNI-Helve-Condense", "vni", False),
        ("vni-times", "vni", False),
        ("Times New Roman", None, False),
        ("VnTime", None, False),
        ("", None, False),
        (None, None, False),
    ],
)
def test_font_names(font: str | None, encoding: str | None, upper: bool) -> None:
    assert legacy_encoding(font) == encoding
    assert legacy_uppercase(font) is upper


def test_tcvn3_table_covers_every_lowercase_letter() -> None:
    decoded = from_tcvn3("".join(chr(b) for b in range(0x20, 0x100)))
    assert set(_LOWER) <= set(decoded)


def test_tcvn3_soft_hyphen_is_u_horn() -> None:
    assert from_tcvn3("Tr\u00adêng") == "Trường"


def test_vni_covers_every_letter_in_both_cases() -> None:
    # VNI spelling of every letter: base letter, then the quality mark, then the tone mark.
    quality = {"ă": ("a", "ê"), "â": ("a", "â"), "ê": ("e", "â"), "ô": ("o", "â"),
               "ơ": ("ô", ""), "ư": ("ö", ""), "đ": ("ñ", "")}  # fmt: skip
    tones = {"\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0301": "ù", "\u0323": "ï"}
    with_circumflex = {"ø": "à", "û": "å", "õ": "ã", "ù": "á", "ï": "ä"}
    with_breve = {"ø": "è", "û": "ú", "õ": "ü", "ù": "é", "ï": "ë"}
    special_i = {"\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0301": "í", "\u0323": "ò"}
    for letter in _LOWER:
        nfd = unicodedata.normalize("NFD", letter)
        tone = next((m for m in nfd if m in tones), "")
        bare = unicodedata.normalize("NFC", nfd.replace(tone, "")) if tone else letter
        if bare == "i" and tone:
            written = special_i[tone]
        elif bare == "y" and tone == "\u0323":
            written = "î"
        elif bare in quality:
            base, mark = quality[bare]
            if tone and mark == "â":
                written = base + with_circumflex[tones[tone]]
            elif tone and mark == "ê":
                written = base + with_breve[tones[tone]]
            else:
                written = base + mark + (tones[tone] if tone else "")
        else:
            written = bare + (tones[tone] if tone else "")
        assert from_vni(written) == letter, (letter, written)
        assert from_vni(written.upper()) == letter.upper(), (letter, written.upper())


def test_vni_examples() -> None:
    assert from_vni("Coäng hoøa") == "Cộng hòa"
    assert from_vni("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM") == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert from_vni("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert from_vni("naêm, aén, aëc") == "năm, ắn, ặc"


def test_decode_legacy_leaves_unicode_alone() -> None:
    assert decode_legacy("Cộng hòa xã hội", ".VnTime") is None
    assert decode_legacy("Trường", "VNI-Times") is None
    assert decode_legacy("Uû ban", "Times New Roman") is None
    assert decode_legacy("Uû ban", None) is None
    assert decode_legacy("ASCII only", ".VnTime") == "ASCII only"
    assert decode_legacy("“Uû ban”", ".VnTime") == "“Uỷ ban”"  # typographic quotes are fine


@pytest.mark.parametrize("bad", [None, 1, b"abc"])
def test_bad_text(bad: object) -> None:
    for func in (from_tcvn3, from_vni):
        with pytest.raises(ValueError):
            func(bad)  # type: ignore[operator]
    with pytest.raises(ValueError):
        decode_legacy(bad, ".VnTime")  # type: ignore[arg-type]


def test_bad_font_name_and_bytes() -> None:
    with pytest.raises(ValueError, match="phông"):
        legacy_encoding(12)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bytes"):
        from_cp1258("Việt")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Windows-1258"):
        from_cp1258(b"\x81\x8a")
    with pytest.raises(ValueError, match="uppercase"):
        from_tcvn3("abc", uppercase="H")  # type: ignore[arg-type]
