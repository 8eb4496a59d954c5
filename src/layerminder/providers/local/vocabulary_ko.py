"""The Korean words a local story is written with: objects, names, colours, materials, forms, moods.

Entries are keyed by the English word the pixel reading produces (its colour name, material
phrase, form word), so the Korean story says the same things as the English one in its own words.
"""

from __future__ import annotations

from dataclasses import dataclass

# The object as named in a product name, and as a plain noun inside a sentence.
OBJECT_NAMES_KO = {
    "chair": "사이드 체어",
    "stool": "스툴",
    "bar_stool": "바 스툴",
    "bench": "벤치",
    "lounge": "라운지 체어",
}
OBJECT_NOUNS_KO = {
    "chair": "의자",
    "stool": "스툴",
    "bar_stool": "바 스툴",
    "bench": "벤치",
    "lounge": "라운지 체어",
}
# Native Korean words as product names (윤슬: light glittering on water; 소담: plump, pleasing).
NAME_WORDS_KO = (
    "윤슬", "소담", "가온", "한결", "누리", "여울", "미르", "라온", "도담", "해솔", "바람", "나무",
    "달", "아라", "새벽", "온새", "다솜", "이든", "별하", "나래", "그루", "하랑", "보늬", "물결",
    "시내", "은결",
)  # fmt: skip


@dataclass(frozen=True)
class Colour:
    name: str  # the colour as a noun: 먹색, 테라코타
    mood: str  # what the colour brings to a room, as a noun phrase


_WARM = "온기와 환대"
_COOL = "고요함과 깊이"
_NEUTRAL = "절제와 균형"

# Every name `colour_name` can return.
COLOURS_KO = {
    "ink black": Colour("먹색", _NEUTRAL),
    "ivory": Colour("상아색", _NEUTRAL),
    "charcoal": Colour("숯빛 회색", _NEUTRAL),
    "graphite": Colour("짙은 회색", _NEUTRAL),
    "stone grey": Colour("돌빛 회색", _NEUTRAL),
    "pale grey": Colour("연회색", _NEUTRAL),
    "oxblood": Colour("검붉은색", _WARM),
    "blush": Colour("연분홍색", _WARM),
    "red": Colour("붉은색", _WARM),
    "rust": Colour("적갈색", _WARM),
    "peach": Colour("복숭아색", _WARM),
    "terracotta": Colour("테라코타", _WARM),
    "chocolate": Colour("초콜릿색", _WARM),
    "sand": Colour("모래색", _WARM),
    "tan": Colour("황갈색", _WARM),
    "apricot": Colour("살구색", _WARM),
    "caramel": Colour("캐러멜색", _WARM),
    "bronze": Colour("청동색", _WARM),
    "butter": Colour("버터색", _WARM),
    "mustard": Colour("겨자색", _WARM),
    "khaki": Colour("카키색", _WARM),
    "moss": Colour("이끼색", _COOL),
    "pistachio": Colour("피스타치오색", _COOL),
    "olive": Colour("올리브색", _WARM),
    "forest green": Colour("짙은 초록색", _COOL),
    "mint": Colour("민트색", _COOL),
    "sage": Colour("회녹색", _COOL),
    "green": Colour("초록색", _COOL),
    "deep teal": Colour("짙은 청록색", _COOL),
    "aqua": Colour("물빛", _COOL),
    "teal": Colour("청록색", _COOL),
    "navy": Colour("남색", _COOL),
    "powder blue": Colour("하늘색", _COOL),
    "slate blue": Colour("회청색", _COOL),
    "cobalt": Colour("코발트색", _COOL),
    "indigo": Colour("쪽빛", _COOL),
    "lavender": Colour("라벤더색", _COOL),
    "violet": Colour("보라색", _COOL),
    "plum": Colour("자두색", _WARM),
    "pink": Colour("분홍색", _WARM),
    "rose": Colour("장밋빛", _WARM),
}

# Every material phrase the reading names, and the short word for it.
MATERIAL_PHRASES_KO = {
    "oiled walnut": "오일 마감 월넛",
    "smoked oak": "훈증 오크",
    "solid oak": "오크 원목",
    "white-oiled ash": "화이트 오일 마감 애쉬",
    "brushed brass": "헤어라인 황동",
    "honed marble": "무광 연마 대리석",
    "board-formed concrete": "송판 무늬 노출 콘크리트",
    "brushed aluminium": "헤어라인 알루미늄",
    "powder-coated steel": "분체 도장 스틸",
    "blackened steel": "흑착색 스틸",
    "travertine": "트래버틴",
    "lacquered beech": "래커 도장 너도밤나무",
    "vegetable-tanned leather": "베지터블 태닝 가죽",
    "black leather": "검은 가죽",
    "cotton velvet": "면 벨벳",
    "wool bouclé": "울 부클레",
    "washed linen": "워싱 리넨",
    "felted wool": "펠트 울",
    # Named in a brief (materials.py)
    "oiled cherry": "오일 마감 체리목",
    "solid teak": "티크 원목",
    "solid pine": "소나무 원목",
    "birch plywood": "자작나무 합판",
    "hard maple": "하드 메이플",
    "laminated bamboo": "적층 대나무",
    "woven rattan": "라탄 엮음",
    "woven cane": "등나무 엮음",
    "polished chrome": "유광 크롬",
    "cotton canvas": "면 캔버스",
    "pressed felt": "압축 펠트",
}

# Phrases that already say their colour, so the measured colour is not put in front again.
COLOURED_PHRASES = frozenset({"black leather"})


@dataclass(frozen=True)
class FormWord:
    attributive: str  # before a noun: 둥근 의자
    connective: str  # joining the next description: 둥글고 날렵한 의자


# Every form word the reading produces.
FORM_WORDS_KO = {
    "angular": FormWord("각진", "각지고"),
    "rectilinear": FormWord("직선적인", "직선적이고"),
    "curved": FormWord("곡선이 흐르는", "곡선이 흐르고"),
    "rounded": FormWord("둥근", "둥글고"),
    "softened": FormWord("모서리를 부드럽게 굴린", "모서리를 부드럽게 굴리고"),
    "geometric": FormWord("기하학적인", "기하학적이고"),
    "slender": FormWord("날렵한", "날렵하고"),
    "open": FormWord("속이 트인", "속이 트이고"),
    "solid": FormWord("견고한", "견고하고"),
    "enveloping": FormWord("몸을 감싸는", "몸을 감싸고"),
    "monolithic": FormWord("한 덩어리처럼 단단한", "한 덩어리처럼 단단하고"),
    "balanced": FormWord("균형 잡힌", "균형이 잡히고"),
    "grounded": FormWord("바닥에 낮게 앉은", "바닥에 낮게 앉고"),
    "layered": FormWord("켜가 쌓인", "켜가 쌓이고"),
    "upright": FormWord("꼿꼿한", "꼿꼿하고"),
    "framed": FormWord("틀이 또렷한", "틀이 또렷하고"),
    "compact": FormWord("아담한", "아담하고"),
    "splayed": FormWord("다리를 벌린", "다리를 벌리고"),
    "linear": FormWord("길게 뻗은", "길게 뻗고"),
    "elongated": FormWord("길쭉한", "길쭉하고"),
    "low": FormWord("낮은", "낮고"),
    "generous": FormWord("넉넉한", "넉넉하고"),
    "smooth": FormWord("매끈한", "매끈하고"),
    "textured": FormWord("질감이 살아 있는", "질감이 살아 있고"),
}

# The 12 keywords as shown on a Korean page: every word the local writer can choose, and the
# words designers type most. A word not here is shown as it is.
KEYWORDS_KO = {
    # style
    "scandinavian": "스칸디나비안",
    "natural": "내추럴",
    "nordic": "노르딕",
    "airy": "경쾌함",
    "midcentury": "미드센추리",
    "crafted": "공예",
    "playful": "유쾌함",
    "graphic": "그래픽",
    "industrial": "인더스트리얼",
    "modernist": "모더니즘",
    "technical": "테크니컬",
    "deco": "아르데코",
    "refined": "세련됨",
    "classical": "클래식",
    "classic": "클래식",
    "mediterranean": "지중해풍",
    "serene": "고요함",
    "brutalist": "브루탈리즘",
    "architectural": "건축적",
    "luxurious": "럭셔리",
    "luxury": "럭셔리",
    "tailored": "테일러드",
    "cosy": "아늑함",
    "cozy": "아늑함",
    "relaxed": "편안함",
    "warm": "따뜻함",
    "sculptural": "조각적",
    "minimal": "미니멀",
    "minimalist": "미니멀리즘",
    "contemporary": "컨템퍼러리",
    "timeless": "타임리스",
    "handcrafted": "수공예",
    "modern": "모던",
    "organic": "유기적",
    "rustic": "러스틱",
    "vintage": "빈티지",
    "retro": "레트로",
    "elegant": "우아함",
    "calm": "차분함",
    "zen": "젠",
    "japandi": "재팬디",
    "korean": "한국적",
    "hanok": "한옥",
    "bold": "대담함",
    "simple": "심플",
    "clean": "깔끔함",
    "soft": "부드러움",
    "earthy": "흙빛",
    "bauhaus": "바우하우스",
    "postmodern": "포스트모던",
    # form
    "angular": "각진",
    "rectilinear": "직선형",
    "curved": "곡선형",
    "rounded": "둥근",
    "softened": "부드러운 모서리",
    "geometric": "기하학적",
    "slender": "날렵한",
    "open": "개방감",
    "solid": "견고함",
    "enveloping": "포근한 감쌈",
    "monolithic": "모놀리식",
    "balanced": "균형",
    "grounded": "안정감",
    "layered": "레이어드",
    "upright": "직립형",
    "framed": "프레임",
    "compact": "콤팩트",
    "splayed": "벌어진 다리",
    "linear": "선형",
    "elongated": "길쭉한",
    "low": "로우",
    "generous": "넉넉함",
    "smooth": "매끈함",
    "textured": "텍스처",
    "plinth": "좌대",
    "sled": "썰매형",
    "pedestal": "페데스탈",
    "cantilever": "캔틸레버",
    "legged": "다리형",
    "modular": "모듈러",
    # material
    "walnut": "월넛",
    "oak": "오크",
    "ash": "애쉬",
    "brass": "황동",
    "marble": "대리석",
    "concrete": "콘크리트",
    "aluminium": "알루미늄",
    "aluminum": "알루미늄",
    "steel": "스틸",
    "travertine": "트래버틴",
    "lacquer": "래커",
    "leather": "가죽",
    "velvet": "벨벳",
    "boucle": "부클레",
    "linen": "리넨",
    "wool": "울",
    "timber": "원목",
    "joinery": "짜맞춤",
    "metal": "금속",
    "welded": "용접",
    "stone": "석재",
    "mineral": "미네랄",
    "upholstery": "업홀스터리",
    "fabric": "패브릭",
    "wood": "나무",
    "teak": "티크",
    "birch": "자작나무",
    "pine": "소나무",
    "maple": "메이플",
    "cherry": "체리목",
    "bamboo": "대나무",
    "rattan": "라탄",
    "cane": "등나무",
    "plywood": "합판",
    "glass": "유리",
    "acrylic": "아크릴",
    "cotton": "면",
    "silk": "실크",
    "felt": "펠트",
    "ceramic": "도자",
    "brushed": "브러시드",
    "chrome": "크롬",
    "shaker": "셰이커",
    "light": "가벼움",
    "sustainable": "지속가능",
    "woven": "엮음",
    # the writer's spare words
    "design": "디자인",
    "furniture": "가구",
    "seating": "좌석",
    "studio": "스튜디오",
    "object": "오브제",
    "interior": "인테리어",
    "chair": "의자",
    "stool": "스툴",
    "bench": "벤치",
    "lounge": "라운지",
    "sofa": "소파",
    "table": "테이블",
}
# A brief's keyword typed in Korean finds its English keyword here (미니멀 → minimal); where two
# English words share a Korean one, the first listed wins.
KEYWORDS_FROM_KO: dict[str, str] = {}
for _word, _display in KEYWORDS_KO.items():
    KEYWORDS_FROM_KO.setdefault(_display.replace(" ", ""), _word)


def keyword_display(word: str) -> str:
    """The Korean a page shows for an English keyword (the word itself when there is none)."""
    return KEYWORDS_KO.get(word, word)


# What a brief's keyword brings, as a noun phrase: "덜어낸 여백이 먼저 눈에 들어온다".
KEYWORD_MOODS_KO = {
    **dict.fromkeys(("minimal", "minimalist", "simple", "clean"), "덜어낸 여백"),
    **dict.fromkeys(("cosy", "cozy", "warm", "soft", "relaxed"), "포근한 온기"),
    **dict.fromkeys(("luxurious", "luxury", "elegant", "refined", "deco"), "절제된 호사"),
    **dict.fromkeys(("industrial", "technical", "welded", "metal"), "투박한 힘"),
    **dict.fromkeys(("natural", "organic", "rustic", "earthy", "wood", "timber"), "자연스러운 결"),
    **dict.fromkeys(("playful", "graphic", "postmodern", "retro"), "유쾌한 리듬"),
    **dict.fromkeys(("classic", "classical", "vintage", "timeless"), "오래된 품위"),
    **dict.fromkeys(("calm", "serene", "zen", "airy"), "고요한 숨"),
    **dict.fromkeys(("brutalist", "bold", "architectural", "monolithic"), "묵직한 존재감"),
    **dict.fromkeys(("scandinavian", "nordic", "japandi"), "담백한 온기"),
    **dict.fromkeys(("modern", "modernist", "contemporary", "bauhaus"), "또렷한 선"),
    **dict.fromkeys(("korean", "hanok"), "한국적인 단아함"),
}

# Where a design's character comes from, by what its frame is made of (the first paragraph).
INSPIRATION_KO = {
    "wood": (
        "이음새가 얼마나 정직하게 만나는지, 나무가 얼마나 따뜻하게 나이 드는지로 의자를 가늠하던 "
        "스칸디나비아 가구 공방의 전통에서 출발했다",
        "셰이커 공방과 한국의 소반이 그렇듯, 날마다 쓰이다 대물림되는 소박한 가구에 뿌리를 둔다",
    ),
    "metal": (
        "구부린 강철로 처음 가구를 옮길 수 있을 만큼 가볍게, 구조를 숨기지 않을 만큼 정직하게 "
        "만든 바우하우스 공방의 계보를 잇는다",
        "프레임을 선 하나처럼 긋고 하중을 받지 않는 것은 하나도 더하지 않는 산업 아틀리에의 "
        "언어를 빌려 왔다",
    ),
    "stone": (
        "덩어리 자체가 쉼터가 되던 로마 안뜰의 돌 벤치와 1960년대 브루탈리즘 광장을 떠올리게 한다",
        "돌과 석고를 차가운 표면이 아니라 빚을 수 있는 부드러운 재료로 다룬 전후 이탈리아 "
        "디자인을 바라본다",
    ),
    "soft": (
        "외투를 짓듯 공들여 천을 재단하던 1930년대 파리 살롱 가구에서 실마리를 얻었다",
        "소박한 천을 겹겹이 접어 무언가를 감싸고 조용히 축복하던 한국의 보자기에서 영감을 받았다",
    ),
}
CURVED_INSPIRATION_KO = (
    "완벽한 기하보다 살짝 어긋난 충만함을 귀하게 여긴 조선의 달항아리처럼, 둥근 볼륨이 넉넉하다"
)

# How the piece carries a sitter (the second paragraph).
SUPPORT_KO = {
    "chair": "네 다리가 틀을 이룬 등받이로 이어져, 등을 받쳐야 할 자리에서 정확히 몸을 받친다.",
    "stool": "벌어진 다리들이 하나의 좌판 아래로 모여, 어느 바닥에서도 흔들림 없이 선다.",
    "bench": "긴 좌판이 간격을 둔 받침 위에 놓여, 한 사람도 세 사람도 넉넉히 앉힌다.",
    "lounge": "낮은 베이스가 깊은 쿠션을 받치고, 팔걸이와 등받이가 앉은 사람을 감싸 안는다.",
}
GROUNDED_KO = "무게가 바닥 가까이에 머물러, 문지방 돌처럼 오래 그 자리를 지킬 것처럼 보인다."
LIFTED_KO = "다리 위로 가볍게 들려 있어 빛과 바닥이 그 아래로 흐르고, 공간은 열린 채로 남는다."
