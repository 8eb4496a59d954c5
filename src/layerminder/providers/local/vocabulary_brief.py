"""The words a brief is read with, English and Korean mapped to one vocabulary: furniture types,
bases, colours, materials, the parts an edit names, and the shape words the proportions know.

Korean words are matched inside longer words (머스터드색, 소파를: particles and suffixes attach
to the noun); English ones only as whole words (a "bench" is not inside "workbench").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

# The furniture types the offline designer draws; the first four are the mixed set.
TYPE_WORDS: dict[str, str] = {
    "dining chair": "chair", "side chair": "chair", "desk chair": "chair", "chair": "chair",
    "chairs": "chair", "lounge chair": "lounge", "armchair": "lounge", "arm chair": "lounge",
    "easy chair": "lounge", "club chair": "lounge", "slipper chair": "lounge", "lounge": "lounge",
    "sofa": "sofa", "couch": "sofa", "settee": "sofa", "loveseat": "sofa", "sectional": "sofa",
    "stool": "stool", "stools": "stool", "bar stool": "stool", "counter stool": "stool",
    "ottoman": "stool", "pouf": "stool", "bench": "bench", "benches": "bench",
    "daybed": "bench", "side table": "side_table", "end table": "side_table",
    "coffee table": "side_table", "table": "side_table",
    # Korean
    "다이닝 체어": "chair", "다이닝체어": "chair", "식탁 의자": "chair", "식탁의자": "chair",
    "사이드 체어": "chair", "의자": "chair", "체어": "chair", "라운지 체어": "lounge",
    "라운지체어": "lounge", "라운지": "lounge", "안락의자": "lounge", "암체어": "lounge",
    "1인 소파": "lounge", "소파": "sofa", "카우치": "sofa", "쇼파": "sofa", "스툴": "stool",
    "등받이 없는 의자": "stool", "바 스툴": "stool", "오토만": "stool", "벤치": "bench",
    "장의자": "bench", "평상": "bench", "사이드 테이블": "side_table",
    "사이드테이블": "side_table", "협탁": "side_table", "보조 테이블": "side_table",
    "테이블": "side_table", "탁자": "side_table",
}  # fmt: skip

# "A mix" keeps the four archetypes even when a type is named.
MIX_WORDS: dict[str, str] = {
    "mix": "mix", "mixed": "mix", "assorted": "mix", "variety": "mix", "믹스": "mix",
    "여러 종류": "mix", "섞어": "mix", "다양한": "mix",
}  # fmt: skip

BASES: tuple[str, ...] = ("four_legs", "splayed", "plinth", "sled", "pedestal", "cantilever")
BASE_WORDS: dict[str, str] = {
    "four legs": "four_legs", "four-legged": "four_legs", "legs": "four_legs",
    "straight legs": "four_legs", "splayed": "splayed", "splayed legs": "splayed",
    "tapered legs": "splayed", "plinth": "plinth", "legless": "plinth", "platform": "plinth",
    "block base": "plinth", "skirted": "plinth", "sled": "sled", "sled base": "sled",
    "runner": "sled", "runners": "sled", "pedestal": "pedestal", "tulip": "pedestal",
    "single leg": "pedestal", "cantilever": "cantilever", "cantilevered": "cantilever",
    "tubular": "cantilever",
    # Korean
    "네 다리": "four_legs", "네다리": "four_legs", "다리 네 개": "four_legs",
    "벌어진 다리": "splayed", "사선 다리": "splayed", "테이퍼드": "splayed",
    "좌대": "plinth", "받침대": "plinth", "다리 없는": "plinth", "다리가 없는": "plinth",
    "플린스": "plinth", "썰매": "sled", "썰매형": "sled", "페데스탈": "pedestal",
    "외다리": "pedestal", "튤립": "pedestal", "캔틸레버": "cantilever",
}  # fmt: skip

# Named colours (sRGB) a keyword, an edit prompt or the story can use.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (190, 40, 36), "oxblood": (110, 28, 30), "terracotta": (194, 102, 68),
    "rust": (160, 74, 40), "orange": (226, 124, 40), "caramel": (176, 112, 52),
    "mustard": (204, 158, 38), "ochre": (196, 142, 50), "yellow": (232, 196, 52),
    "olive": (116, 118, 56), "sage": (150, 170, 136), "green": (58, 130, 72),
    "forest": (34, 82, 50), "teal": (30, 118, 122), "blue": (48, 84, 176),
    "cobalt": (30, 70, 170), "navy": (30, 40, 88), "purple": (112, 66, 146),
    "plum": (104, 44, 76), "pink": (226, 148, 166), "blush": (226, 178, 170),
    "ivory": (238, 230, 212), "cream": (236, 224, 198), "beige": (212, 192, 160),
    "sand": (206, 184, 148), "brown": (120, 78, 48), "chocolate": (84, 52, 34),
    "black": (26, 26, 28), "charcoal": (58, 58, 60), "grey": (140, 140, 140),
    "white": (242, 242, 238),
}  # fmt: skip
COLOUR_WORDS: dict[str, str] = {
    **{name: name for name in COLOURS},
    "gray": "grey", "burgundy": "oxblood", "maroon": "oxblood", "emerald": "green",
    "lilac": "purple", "violet": "purple", "tan": "caramel", "khaki": "olive",
    "off-white": "ivory",
    # Korean
    "빨간": "red", "빨강": "red", "붉은": "red", "레드": "red", "버건디": "oxblood",
    "테라코타": "terracotta", "적갈색": "rust", "주황": "orange", "오렌지": "orange",
    "캐러멜": "caramel", "머스터드": "mustard", "겨자": "mustard", "황토": "ochre",
    "노란": "yellow", "노랑": "yellow", "옐로": "yellow", "올리브": "olive", "카키": "olive",
    "세이지": "sage", "회녹색": "sage", "초록": "green", "녹색": "green", "그린": "green",
    "청록": "teal", "파란": "blue", "파랑": "blue", "블루": "blue",
    "코발트": "cobalt", "남색": "navy", "네이비": "navy", "보라": "purple", "자두색": "plum",
    "분홍": "pink", "핑크": "pink", "연분홍": "blush", "아이보리": "ivory", "상아": "ivory",
    "크림": "cream", "베이지": "beige", "모래색": "sand", "갈색": "brown", "브라운": "brown",
    "초콜릿": "chocolate", "검정": "black", "검은": "black", "블랙": "black", "먹색": "black",
    "차콜": "charcoal", "숯색": "charcoal", "회색": "grey", "그레이": "grey", "흰": "white",
    "하얀": "white", "화이트": "white", "흰색": "white",
}  # fmt: skip

# Korean material names to the English material words materials.py knows.
MATERIAL_WORDS_KO: dict[str, str] = {
    "월넛": "walnut", "호두나무": "walnut", "오크": "oak", "참나무": "oak", "애쉬": "ash",
    "물푸레": "ash", "체리목": "cherry", "티크": "teak", "소나무": "pine", "자작나무": "birch",
    "메이플": "maple", "대나무": "bamboo", "라탄": "rattan", "등나무": "cane", "스틸": "steel",
    "철제": "steel", "강철": "steel", "크롬": "chrome", "알루미늄": "aluminium",
    "황동": "brass", "브라스": "brass", "대리석": "marble", "트래버틴": "travertine",
    "콘크리트": "concrete", "부클레": "boucle", "리넨": "linen", "린넨": "linen",
    "벨벳": "velvet", "가죽": "leather", "레더": "leather", "울 소재": "wool",
    "울 패브릭": "wool", "양모": "wool",
    "펠트": "felt", "면직": "cotton", "코튼": "cotton",
}  # fmt: skip

# The part of a piece an edit prompt names (geometry's material slots by name).
PART_WORDS: dict[str, str] = {
    "seat": "seat", "cushion": "seat", "cushions": "seat", "upholstery": "seat",
    "back": "seat", "backrest": "seat", "pad": "seat", "frame": "frame", "legs": "frame",
    "leg": "frame", "base": "frame", "plinth": "frame", "arms": "accent", "arm": "accent",
    "armrest": "accent", "좌방석": "seat", "방석": "seat", "쿠션": "seat", "좌면": "seat",
    "좌석": "seat", "시트": "seat", "등받이": "seat", "프레임": "frame", "다리": "frame",
    "받침": "frame", "팔걸이": "accent",
}  # fmt: skip

# Korean shape words, to the English words keyword_proportions knows.
SHAPE_WORDS_KO: dict[str, str] = {
    "곡선형": "curved", "곡선": "curved", "둥근": "round", "라운드": "rounded",
    "낮은": "low", "로우": "low", "높은": "tall", "미니멀": "minimal", "모던": "modern",
    "모듈러": "modular", "모듈형": "modular", "묵직한": "heavy", "육중한": "massive",
    "가벼운": "light", "날렵한": "slender", "넓은": "wide", "기다란": "long", "푹신한": "plush",
    "아늑한": "cozy", "부드러운": "soft", "각진": "angular", "기하학적": "geometric",
    "브루탈": "brutalist", "인더스트리얼": "industrial", "미드센추리": "midcentury",
    "스칸디나비안": "scandinavian", "북유럽": "nordic", "재팬디": "japanese",
    "빈티지": "vintage", "레트로": "retro", "유기적": "organic", "오가닉": "organic",
    "클래식": "classic", "우아한": "elegant", "컴팩트": "compact", "와이드": "wide",
}  # fmt: skip
MODULAR_WORDS = frozenset({"modular", "sectional"})


def _is_latin(term: str) -> bool:
    return term.isascii()


@lru_cache(maxsize=16)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "lounge chair" is one match and not "lounge" then "chair".
    parts = []
    for term in sorted(terms, key=lambda t: (-len(t), t)):
        escaped = re.escape(term).replace(r"\ ", r"[\s\-]*")
        parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if _is_latin(term) else escaped)
    return re.compile("|".join(parts))


def find_all(text: str | None, table: Mapping[str, str]) -> list[str]:
    """What the text names from `table`, in the order it names them (repeats kept)."""
    if not text or not table:
        return []
    lowered = text.lower().replace("bouclé", "boucle").replace("mid-century", "midcentury")
    normalised = {re.sub(r"[\s\-]+", " ", term.lower()): value for term, value in table.items()}
    found = []
    for match in _pattern(tuple(table)).finditer(lowered):
        key = re.sub(r"[\s\-]+", " ", match.group(0))
        found.append(normalised.get(key, table.get(match.group(0), "")))
    return [value for value in found if value]


def find_first(text: str | None, table: Mapping[str, str]) -> str | None:
    found = find_all(text, table)
    return found[0] if found else None


def named_colour(text: str | None) -> str | None:
    """The first colour the text names (either language), as an English colour word."""
    return find_first(text, COLOUR_WORDS)


def english_words(text: str | None) -> str:
    """The text with its Korean shape, material and type words put in English, for the readers
    that know English words only (proportions, the story's keywords)."""
    if not text:
        return ""
    words = re.findall(r"[a-z][a-z\-]*", text.lower())
    hangul = "".join(ch if "\uac00" <= ch <= "\ud7a3" or ch == " " else " " for ch in text)
    if hangul.strip():
        for table in (SHAPE_WORDS_KO, MATERIAL_WORDS_KO, COLOUR_WORDS):
            words += [w for w in find_all(hangul, table) if w.isascii()]
        words += [w.replace("_", " ") for w in find_all(hangul, TYPE_WORDS)]
    return " ".join(words)
