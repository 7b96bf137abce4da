"""The name index's fast paths answer exactly what scoring every label would.

db/fuzzy.py looks word prefixes up in a sorted word list and scores with WRatio only the labels that
db/fuzzy_bounds.py says can reach the cutoff. Here both are checked against the plain way — a substring
test and WRatio over every label — on ~850 made-up names and ~600 inputs: prefixes, typos, words
swapped or repeated, pieces of names, nicknames.
"""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from db.fuzzy import SUGGEST_CUTOFF, NameIndex, _words_start
from db.fuzzy_bounds import WRatioBounds
from db.names import normalize_name

FIRST = ("Kyle", "Kurt", "Dale", "Richard", "Lee", "Adam", "Bobby", "Donnie", "Jeff", "Jimmie", "Tony", "Chase",
         "Ricky", "Ryan", "Martin", "Denny", "Joey", "Brad", "Bill", "Buck", "Cale", "Ned", "Ab")  # fmt: skip
LAST = ("Busch", "Petty", "Earnhardt", "Allison", "Gordon", "Johnson", "Stewart", "Elliott", "Larson", "Blaney",
        "Truex", "Hamlin", "Logano", "Keselowski", "Baker", "Yarborough", "Waltrip", "Jarrett", "Labonte",
        "Wallace", "Stenhouse", "Bowman", "Byron", "Cindric", "Suarez", "McDowell", "Dillon", "Harvick")  # fmt: skip
EXTRA = ("The King", "Dale Earnhardt Jr.", "Dale Jr", "Smoke", "Jr", "Ab Jenkins", "Dan Dan Rush", "Mc Mc",
         "Jim (J.C.) Danielson", "Martin Truex Jr", "A. J. Foyt", "Ricky Stenhouse Jr.", "St. James")  # fmt: skip


def labels() -> list[str]:
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng = random.Random(7)
    names += [f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(('Jr.', 'Sr.', 'II', 'III'))}" for _ in range(200)]
    return list(dict.fromkeys([*names, *EXTRA]))  # each label once: equal names would tie in any order


def inputs(names: list[str]) -> list[str]:
    rng = random.Random(11)
    found = {"lars", "dale jr", "kyle", "ab", "zz", "richard pety", "the king", "jr", "dan dan", "busch busch"}
    for _ in range(600):
        name = normalize_name(rng.choice(names))
        kind = rng.randrange(5)
        if kind == 0:
            found.add(name[: rng.randint(2, len(name))])
        elif kind == 1:
            at = rng.randrange(len(name))
            found.add(name[:at] + rng.choice("abcdefghijklmnopqrstuvwxyz ") + name[at + 1 :])
        elif kind == 2:
            found.add(" ".join(reversed(name.split())))
        elif kind == 3:
            at = rng.randrange(len(name))
            found.add(name[at : at + rng.randint(2, 8)])
        else:
            word = rng.choice(name.split())
            found.add(f"{word} {word}")
    return sorted(q for q in found if len(normalize_name(q)) >= 2)


def test_every_label_that_reaches_the_cutoff_is_a_candidate() -> None:
    norms = [normalize_name(n) for n in labels()]
    bounds = WRatioBounds(norms)
    for query in inputs(labels()):
        norm = normalize_name(query)
        scored = {i for _, _, i in process.extract(norm, norms, scorer=fuzz.WRatio, limit=None, score_cutoff=75)}
        missing = scored - set(bounds.candidates(norm, 75))
        assert not missing, f"{query!r}: {[norms[i] for i in missing]}"


def test_the_candidates_leave_most_labels_unscored() -> None:
    norms = [normalize_name(n) for n in labels()]
    bounds = WRatioBounds(norms)
    queries = [normalize_name(q) for q in inputs(labels())]
    kept = sum(len(bounds.candidates(q, 75)) for q in queries)
    assert kept < 0.25 * len(norms) * len(queries)


def test_suggestions_and_prefixes_are_those_of_scoring_every_label() -> None:
    names = labels()
    weights = {i: (i * 37) % 11 for i in range(len(names))}
    index = NameIndex([(i, name, name) for i, name in enumerate(names)], weights)
    norms = [normalize_name(n) for n in names]
    for query in inputs(names):
        norm = normalize_name(query)
        best: dict[int, float] = {}
        for _, score, i in process.extract(norm, norms, scorer=fuzz.WRatio, limit=None, score_cutoff=SUGGEST_CUTOFF):
            best[i] = max(best.get(i, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: (-item[1], -weights[item[0]], names[item[0]]))
        assert [(m.id, m.score) for m in index.fuzzy_matches(norm, limit=25)] == ranked[:25], query
        words = norm.split(" ")
        prefixed = [
            i
            for i, label in enumerate(norms)
            if " " + words[0] in " " + label
            and (len(words) == 1 or label.startswith(norm) or _words_start(tuple(label.split(" ")), words))
        ]
        assert index.prefix_matches(norm) == sorted(prefixed, key=lambda i: (-weights[i], names[i])), query


def test_autocomplete_answers_the_same_from_its_memory() -> None:
    names = labels()
    index = NameIndex([(i, name, name) for i, name in enumerate(names)])
    first = index.search("lars")
    assert index.search("lars") == first and index.search("LARS ") == first
    first.clear()  # a caller changing its list changes nothing kept
    assert index.search("lars")
