"""The English words a story about a drawn design is written with: what each type is called,
what each base is, where a piece of its size belongs, and what its footing says."""

from __future__ import annotations

OBJECT_NAMES = {
    "chair": "Dining Chair",
    "stool": "Stool",
    "bar_stool": "Bar Stool",
    "bench": "Bench",
    "lounge": "Lounge Chair",
    "sofa": "Sofa",
    "side_table": "Side Table",
}
OBJECT_NOUNS = {key: name.lower() for key, name in OBJECT_NAMES.items()}

# A base as the support sentence names it (a long piece stands on two pedestals).
BASE_PHRASES = {
    "four_legs": "four straight legs",
    "splayed": "four splayed, tapered legs",
    "plinth": "a solid plinth that runs to the floor",
    "sled": "a pair of sled runners",
    "pedestal": "a single pedestal on a round foot",
    "cantilever": "a cantilevered tube that springs from the floor",
}
TWO_PEDESTALS = "two pedestals, one under each end"
BASE_WORDS = {
    "four_legs": "legged",
    "splayed": "splayed",
    "plinth": "plinth",
    "sled": "sled",
    "pedestal": "pedestal",
    "cantilever": "cantilever",
}

# What the footing means in a room, by base: two phrasings each, "{object}" filled in.
FOOTINGS = {
    "plinth": (
        "With no legs at all, the {object} rests its whole footprint on the floor and reads as "
        "permanent, like a threshold stone.",
        "Its weight goes straight down through the plinth, so the {object} looks settled rather "
        "than placed.",
    ),
    "four_legs": (
        "Raised on four legs, the {object} lets light and floor run underneath, so the room "
        "stays open.",
        "Four plain legs keep the {object} light on its feet and easy to lift and move.",
    ),
    "splayed": (
        "The splayed legs lean out past the {object}'s edges, steadying it and keeping the floor "
        "visible beneath.",
        "Its legs taper as they splay, so the {object} seems to stand on tiptoe.",
    ),
    "sled": (
        "Its runners spread the load along the floor, so the {object} slides rather than "
        "scrapes when it is moved.",
        "On its sled base the {object} is drawn in two continuous lines, open underneath.",
    ),
    "pedestal": (
        "A single column keeps every knee and foot clear around the {object}.",
        "Gathered onto its pedestal, the {object} leaves the floor around it almost empty.",
    ),
    "cantilever": (
        "The cantilevered tube gives the {object} a slight spring as one sits, with nothing "
        "under the back edge.",
        "Held only from the front, the {object} seems to float over its floor tube.",
    ),
}

# Where a piece of its type and size belongs.
USES = {
    "chair": "a dining table or a desk",
    "bar_stool": "a kitchen island or a bar counter",
    "stool": "a low table, a bedside or a quick perch",
    "long_bench": "a long dining table, a hallway or the foot of a bed",
    "bench": "an entrance or the foot of a bed",
    "lounge": "a reading corner or a living room",
    "sofa": "a living room",
    "side_table": "the arm of a sofa or the side of a bed",
}

# The last sentence: what the colour brings, by the colour's temperature.
COLOUR_MOODS = {"warm": "warmth and welcome", "cool": "calm and depth", "neutral": "restraint"}

# More lines of where the character comes from, by frame family (vocabulary.INSPIRATION has
# the first two of each).
MORE_INSPIRATION = {
    "wood": (
        "It follows the Korean sarangbang study, where a few pieces of pale timber furnish a "
        "whole room",
        "It owes something to Danish mid-century workshops, where a frame was shaped by hand "
        "until it felt inevitable",
        "It shares the patience of Japanese sashimono joinery, in which no nail is needed",
        "It carries on the Windsor tradition, where a seat is carved first and the rest follows",
    ),
    "metal": (
        "It takes after the tubular furniture of 1920s Dessau, which found comfort in spring "
        "rather than padding",
        "It recalls the engineered lightness of postwar French ateliers, where a sheet or a tube "
        "was folded into a frame",
    ),
    "stone": (
        "It is related to the stone thresholds of hanok courtyards, worn smooth by generations "
        "of sitting",
        "It borrows from Japanese garden architecture, in which a stone is placed rather than "
        "built",
    ),
    "soft": (
        "It looks to the club chairs of interwar London, built to be sunk into for an evening",
        "It is indebted to 1970s Italian upholstery, where foam and fabric became the whole "
        "structure",
    ),
}
