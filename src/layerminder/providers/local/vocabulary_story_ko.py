"""The Korean words a story about a drawn design is written with (vocabulary_story's keys):
types, bases, uses, footings, more inspirations, and the curated styles' Korean names, so a
Korean story never quotes an English name."""

from __future__ import annotations

OBJECT_NAMES_KO = {
    "chair": "다이닝 체어",
    "stool": "스툴",
    "bar_stool": "바 스툴",
    "bench": "벤치",
    "lounge": "라운지 체어",
    "sofa": "소파",
    "side_table": "사이드 테이블",
}
OBJECT_NOUNS_KO = {
    "chair": "의자",
    "stool": "스툴",
    "bar_stool": "바 스툴",
    "bench": "벤치",
    "lounge": "라운지 체어",
    "sofa": "소파",
    "side_table": "사이드 테이블",
}

BASE_PHRASES_KO = {
    "four_legs": "곧은 네 다리",
    "splayed": "바깥으로 벌어지며 가늘어지는 네 다리",
    "plinth": "바닥까지 이어지는 단단한 좌대",
    "sled": "한 쌍의 썰매형 다리",
    "pedestal": "둥근 발판 위의 외다리 받침",
    "cantilever": "바닥에서 휘어 올라오는 캔틸레버 파이프",
}
TWO_PEDESTALS_KO = "양 끝을 하나씩 받치는 두 개의 외다리 받침"

FOOTINGS_KO = {
    "plinth": (
        "다리 없이 바닥 전체에 무게를 내려놓아, {topic} 문지방 돌처럼 오래 그 자리를 지킬 "
        "것처럼 보인다.",
        "무게가 좌대를 타고 곧장 바닥으로 내려가, {topic} 놓였다기보다 자리 잡은 듯하다.",
    ),
    "four_legs": (
        "네 다리 위로 들려 있어 빛과 바닥이 {object} 아래로 흐르고, 공간은 열린 채로 남는다.",
        "꾸밈없는 네 다리 덕분에 {topic} 가볍게 서 있고 들어 옮기기도 쉽다.",
    ),
    "splayed": (
        "벌어진 다리가 {object}의 가장자리 밖으로 기울어, 몸을 단단히 받치면서도 바닥을 드러낸다.",
        "다리가 벌어지며 가늘어져, {topic} 발끝으로 선 것처럼 보인다.",
    ),
    "sled": (
        "썰매형 다리가 하중을 바닥에 고루 나눠, {accusative} 옮길 때 긁히지 않고 미끄러진다.",
        "썰매형 받침 위에서 {topic} 두 줄의 이어진 선으로 그려지고, 아래는 비어 있다.",
    ),
    "pedestal": (
        "기둥 하나가 모든 무게를 모아, {object} 둘레로 무릎과 발이 걸릴 곳이 없다.",
        "외다리 받침에 모인 덕분에 {object} 주변의 바닥은 거의 비어 있다.",
    ),
    "cantilever": (
        "캔틸레버 파이프가 앉을 때마다 {object}에 살짝 탄력을 주고, 뒤쪽 아래에는 아무것도 없다.",
        "앞쪽에서만 붙잡힌 {topic} 바닥 파이프 위에 떠 있는 듯하다.",
    ),
}

USES_KO = {
    "chair": "식탁이나 책상",
    "bar_stool": "아일랜드 식탁이나 바 카운터",
    "stool": "낮은 탁자 곁이나 침대 머리맡",
    "long_bench": "긴 식탁이나 복도, 침대 발치",
    "bench": "현관이나 침대 발치",
    "lounge": "책 읽는 구석이나 거실",
    "sofa": "거실",
    "side_table": "소파 팔걸이 옆이나 침대 곁",
}

MORE_INSPIRATION_KO = {
    "wood": (
        "밝은 나무 가구 몇 점으로 방 하나를 채우던 조선의 사랑방에서 그 절제를 배웠다",
        "틀이 필연처럼 느껴질 때까지 손으로 다듬던 덴마크 미드센추리 공방에 빚을 지고 있다",
        "못 하나 없이 짜 맞추는 일본 사시모노 목공의 인내를 나눠 가졌다",
        "좌판을 먼저 깎고 나머지를 그에 맞추던 윈저 의자의 전통을 잇는다",
    ),
    "metal": (
        "쿠션 대신 탄력에서 편안함을 찾은 1920년대 데사우의 강관 가구를 닮았다",
        "판 하나, 파이프 하나를 접어 틀을 만들던 전후 프랑스 아틀리에의 공학적 가벼움을 "
        "떠올리게 한다",
    ),
    "stone": (
        "대대로 걸터앉아 반들반들해진 한옥 마당의 댓돌과 한 핏줄이다",
        "돌을 쌓지 않고 놓아두는 일본 정원 건축에서 그 태도를 빌려 왔다",
    ),
    "soft": (
        "저녁 내내 푹 파묻히도록 만든 전간기 런던의 클럽 체어를 바라본다",
        "폼과 천이 구조 전체가 된 1970년대 이탈리아 업홀스터리에 빚을 지고 있다",
    ),
}

# The curated styles' Korean names (the styles catalogue's name_ko), by style id.
STYLE_NAMES_KO = {
    "japandi": "재팬디",
    "scandinavian": "스칸디나비안",
    "mid-century-modern": "미드센추리 모던",
    "bauhaus": "바우하우스",
    "brutalist": "브루탈리스트",
    "art-deco": "아르데코",
    "memphis": "멤피스",
    "wabi-sabi": "와비사비",
    "shaker": "셰이커",
    "korean-minimal": "한국 미니멀",
    "industrial": "인더스트리얼",
    "organic-modern": "오가닉 모던",
    "mediterranean": "지중해풍",
}
