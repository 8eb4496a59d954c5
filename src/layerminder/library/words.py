"""The library's own words as a Korean page shows them: the starter set's source and its tags.

Tags stay English search words (what search and the embeddings match); a Korean page shows
each one's Korean name where the library has one, and the English word where it has none.
"""

from __future__ import annotations

# The source every reference of the starter set carries.
STARTER_SOURCE = "layerminder starter set"

# The starter set's tags (its keywords, seat forms and themes) and other common ones.
TAGS_KO = {
    "ash": "애쉬",
    "black": "검정",
    "blush": "연분홍",
    "boucle": "부클레",
    "brass": "황동",
    "brutalist": "브루탈리즘",
    "calm": "차분함",
    "cobalt": "코발트",
    "concrete": "콘크리트",
    "curved": "곡선형",
    "earthy": "흙빛",
    "geometric": "기하학적",
    "graphic": "그래픽",
    "grey": "회색",
    "industrial": "인더스트리얼",
    "ivory": "아이보리",
    "japanese": "일본풍",
    "leather": "가죽",
    "light": "밝은",
    "linen": "리넨",
    "luxury": "럭셔리",
    "metal": "금속",
    "midcentury": "미드센추리",
    "minimal": "미니멀",
    "monolithic": "모놀리식",
    "natural": "내추럴",
    "oak": "오크",
    "organic": "유기적",
    "pastel": "파스텔",
    "pine": "소나무",
    "playful": "경쾌함",
    "plush": "푹신함",
    "primary": "원색",
    "quiet": "고요함",
    "retro": "레트로",
    "rustic": "러스틱",
    "sage": "세이지",
    "scandinavian": "스칸디나비안",
    "soft": "부드러움",
    "steel": "스틸",
    "sturdy": "튼튼함",
    "teal": "청록",
    "terracotta": "테라코타",
    "velvet": "벨벳",
    "wabi": "와비",
    "walnut": "월넛",
    "warm": "따뜻함",
    "wood": "원목",
    # The seat forms the starter set renders.
    "chair": "의자",
    "stool": "스툴",
    "bench": "벤치",
    "lounge": "라운지 체어",
}


def tags_ko(tags: list[str]) -> list[str]:
    """Each tag's Korean name, or the tag itself where the library has none."""
    return [TAGS_KO.get(tag.lower(), tag) for tag in tags]
