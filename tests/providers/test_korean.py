"""Korean particles agree with the noun before them, Hangul or not."""

from __future__ import annotations

import pytest

from layerminder.providers.korean import Final, attach, final_of, particle

# noun, 이/가, 을/를, 은/는, 과/와, 으로/로 — written out by hand, as a Korean reader expects them.
NOUNS = [
    # no final consonant (받침)
    ("의자", "의자가", "의자를", "의자는", "의자와", "의자로"),
    ("나무", "나무가", "나무를", "나무는", "나무와", "나무로"),
    ("오크", "오크가", "오크를", "오크는", "오크와", "오크로"),
    ("철제", "철제가", "철제를", "철제는", "철제와", "철제로"),
    ("소파", "소파가", "소파를", "소파는", "소파와", "소파로"),
    ("체어", "체어가", "체어를", "체어는", "체어와", "체어로"),
    # a final consonant other than ㄹ
    ("책상", "책상이", "책상을", "책상은", "책상과", "책상으로"),
    ("가죽", "가죽이", "가죽을", "가죽은", "가죽과", "가죽으로"),
    ("월넛", "월넛이", "월넛을", "월넛은", "월넛과", "월넛으로"),
    ("원목", "원목이", "원목을", "원목은", "원목과", "원목으로"),
    ("대리석", "대리석이", "대리석을", "대리석은", "대리석과", "대리석으로"),
    ("리넨", "리넨이", "리넨을", "리넨은", "리넨과", "리넨으로"),
    # ㄹ: a consonant for every pair except 으로/로
    ("스틸", "스틸이", "스틸을", "스틸은", "스틸과", "스틸로"),
    ("스툴", "스툴이", "스툴을", "스툴은", "스툴과", "스툴로"),
    ("울", "울이", "울을", "울은", "울과", "울로"),
    ("연필", "연필이", "연필을", "연필은", "연필과", "연필로"),
]  # fmt: skip


@pytest.mark.parametrize(("noun", "i_ga", "eul_reul", "eun_neun", "gwa_wa", "euro_ro"), NOUNS)
def test_hangul_nouns_take_the_agreeing_particle(
    noun: str, i_ga: str, eul_reul: str, eun_neun: str, gwa_wa: str, euro_ro: str
) -> None:
    assert attach(noun, "이/가") == i_ga
    assert attach(noun, "을/를") == eul_reul
    assert attach(noun, "은/는") == eun_neun
    assert attach(noun, "과/와") == gwa_wa
    assert attach(noun, "으로/로") == euro_ro


# Latin words as a Korean speaker reads them (the loanword in brackets).
LATIN = [
    ("oak", Final.NONE),  # 오크
    ("teak", Final.NONE),  # 티크
    ("desk", Final.NONE),  # 데스크
    ("felt", Final.NONE),  # 펠트
    ("concrete", Final.NONE),  # 콘크리트
    ("lacquer", Final.NONE),  # 래커
    ("brass", Final.NONE),  # 브라스
    ("wood", Final.NONE),  # 우드
    ("cozy", Final.NONE),  # 코지
    ("walnut", Final.OTHER),  # 월넛
    ("velvet", Final.OTHER),  # 벨벳
    ("nordic", Final.OTHER),  # 노르딕
    ("black", Final.OTHER),  # 블랙
    ("modern", Final.OTHER),  # 모던
    ("stone", Final.OTHER),  # 스톤
    ("aluminium", Final.OTHER),  # 알루미늄
    ("lounge", Final.NONE),  # 라운지
    ("living", Final.OTHER),  # 리빙
    ("steel", Final.RIEUL),  # 스틸
    ("minimal", Final.RIEUL),  # 미니멀
    ("marble", Final.RIEUL),  # 마블
    ("Industrial", Final.RIEUL),  # 인더스트리얼
    ("MDF", Final.NONE),  # 엠디에프
    ("URL", Final.RIEUL),  # 유알엘
    ("CLIP", Final.NONE),  # 씨엘아이피
]


@pytest.mark.parametrize(("word", "final"), LATIN)
def test_latin_words_are_read_as_loanwords(word: str, final: Final) -> None:
    assert final_of(word) is final


def test_latin_words_take_particles_by_their_reading() -> None:
    assert attach("oak", "을/를") == "oak를"
    assert attach("walnut", "과/와") == "walnut과"
    assert attach("steel", "으로/로") == "steel로"
    assert attach("stone", "으로/로") == "stone으로"
    assert attach("minimal", "이라는/라는") == "minimal이라는"
    assert attach("cozy", "이라는/라는") == "cozy라는"


@pytest.mark.parametrize(
    ("text", "pair", "expected"),
    [
        ("2", "을/를", "를"),  # 이
        ("3", "을/를", "을"),  # 삼
        ("7", "으로/로", "로"),  # 칠
        ("6", "으로/로", "으로"),  # 육
        ("10", "이/가", "이"),  # 십
        ("1000", "은/는", "은"),  # 천
        ("80cm", "이/가", "가"),  # 팔십 센티미터
        ("5kg", "이/가", "이"),  # 오 킬로그램
    ],
)
def test_numbers_and_units_are_read_in_korean(text: str, pair: str, expected: str) -> None:
    assert particle(text, pair) == expected


def test_quotes_and_punctuation_after_the_noun_are_skipped() -> None:
    assert attach("‘월넛’", "이/가") == "‘월넛’이"
    assert attach("“오크”", "이/가") == "“오크”가"
    assert attach("(steel)", "으로/로") == "(steel)로"


def test_unreadable_text_gets_both_forms() -> None:
    assert attach("木", "을/를") == "木을(를)"
    assert attach("…", "으로/로") == "…(으)로"
    assert final_of("") is None


def test_other_pairs_follow_the_same_rule() -> None:
    assert attach("의자", "이다/다") == "의자다"
    assert attach("벤치", "이며/며") == "벤치며"
    assert attach("스툴", "이다/다") == "스툴이다"
    assert attach("책상", "이나/나") == "책상이나"


def test_an_unknown_pair_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown particle pair"):
        particle("의자", "를")
