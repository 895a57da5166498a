"""A cluster's folder name (pipeline.output.names.folder_slug): its whole folded name up to 60
characters; a longer one is its beginning, cut at a word, then ``-`` and 8 hex digits of a hash
of the whole name (the function's docstring; 60 keeps the share path under Windows' 260)."""

from __future__ import annotations

import re

from pipeline.output.names import folder_slug

SHORTENED = re.compile(r"(?P<start>[a-z0-9-]+)-[0-9a-f]{8}")
BASE = "Cụm thi đua các sở, ngành kinh tế tổng hợp tỉnh Lạng Sơn"  # 55 folded characters


def test_sixty_characters_are_kept_whole_sixty_one_are_shortened() -> None:
    sixty = "cum-thi-dua-cac-so-nganh-kinh-te-tong-hop-tinh-lang-son-kv-1"
    assert len(sixty) == 60
    assert folder_slug(BASE + " KV 1") == sixty
    shortened = folder_slug(BASE + " khu 1")  # 61 folded characters
    assert SHORTENED.fullmatch(shortened) and len(shortened) <= 60


def test_a_long_name_is_cut_before_the_word_the_cut_would_split() -> None:
    # 51 characters (60 less the hash and its hyphen) end inside "các": the word is dropped
    name = "Cụm thi đua các sở, ban, ngành kinh tế tổng hợp và các doanh nghiệp nhà nước tỉnh"
    match = SHORTENED.fullmatch(folder_slug(name))
    assert match and match["start"] == "cum-thi-dua-cac-so-ban-nganh-kinh-te-tong-hop-va"


def test_a_long_name_cut_just_after_a_word_keeps_that_word() -> None:
    # 51 characters end exactly after "chung"
    name = "Cụm thi đua các sở, ban, ngành kinh tế tổng hợp chung của tỉnh Lạng Sơn và các huyện"
    match = SHORTENED.fullmatch(folder_slug(name))
    assert match and match["start"] == "cum-thi-dua-cac-so-ban-nganh-kinh-te-tong-hop-chung"
