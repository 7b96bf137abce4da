"""One matching policy for names and aliases, used by lookups and autocomplete alike.

1. An exact name or alias (after normalisation) is the answer.
2. Otherwise prefix and word-prefix matches ("kan" → Kansas Speedway, "petty" → every Petty), ranked by
   how much of the record each candidate holds (its weight: starts for a driver, races for a track):
   one candidate is the answer, several are a "did you mean" — never a silent pick.
3. Otherwise a typo is forgiven only when one candidate is within a small edit distance of the input and
   no other comes as close; anything weaker is only ever offered as a suggestion.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from db.fuzzy_bounds import WRatioBounds
from db.models import Match
from db.names import normalize_name

MIN_QUERY = 2  # fewer characters than this name nothing
SUGGEST_CUTOFF = 75.0  # WRatio at or above which a fuzzy candidate may be suggested
FUZZY_MIN_QUERY = 5  # shorter input is never auto-corrected: one typo in four letters is another name
SEARCHES_KEPT = 512  # autocomplete answers kept per index: fans type the same few names

Outcome = Literal["exact", "prefix", "fuzzy", "ambiguous", "unknown", "too_short"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a query names: `found` when certain, otherwise suggestions (best first) and why."""

    outcome: Outcome
    found: int | None = None
    suggestions: tuple[Match, ...] = ()


def allowed_typos(length: int) -> int:
    """Edits forgiven in an input of this many characters: one per six, at least one."""
    return max(1, length // 6)


class NameIndex:
    """Labels (names and aliases) pointing at ids; each id is reported once, under its canonical name."""

    def __init__(self, entries: Iterable[tuple[int, str, str]], weights: dict[int, int] | None = None) -> None:
        # entries: (id, label, canonical name); weights: how much of the record an id holds
        self._ids: list[int] = []
        self._norm: list[str] = []
        self._words: list[tuple[str, ...]] = []
        self._names: dict[int, str] = {}
        self._exact: dict[str, list[int]] = {}
        self._weights = weights or {}
        for entity_id, label, name in entries:
            norm = normalize_name(label)
            self._ids.append(entity_id)
            self._norm.append(norm)
            self._words.append(tuple(norm.split(" ")))
            self._names[entity_id] = name
            owners = self._exact.setdefault(norm, [])
            if entity_id not in owners:
                owners.append(entity_id)
        # Every word of every label, sorted: the labels a word starts are one bisect away (autocomplete runs
        # this on every key; normalize_name leaves single spaces only).
        pairs = sorted((word, position) for position, words in enumerate(self._words) for word in words)
        self._sorted_words = [word for word, _ in pairs]
        self._word_owner = [position for _, position in pairs]
        self._bounds = WRatioBounds(self._norm)
        self._searches: OrderedDict[tuple[str, int], tuple[Match, ...]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._names)

    def weight(self, entity_id: int) -> int:
        return self._weights.get(entity_id, 0)

    def _rank(self, ids: Iterable[int]) -> list[int]:
        return sorted(set(ids), key=lambda i: (-self.weight(i), self._names[i]))

    def _match(self, entity_id: int, score: float) -> Match:
        return Match(id=entity_id, label=self._names[entity_id], score=score)

    def exact(self, query: str) -> int | None:
        owners = self._exact.get(normalize_name(query))
        return self._rank(owners)[0] if owners else None

    def prefix_matches(self, norm: str) -> list[int]:
        """Ids whose label starts with the input, or each of whose words the input's words start, by weight."""
        words = norm.split(" ")
        first = words[0]
        found: set[int] = set()
        start = bisect.bisect_left(self._sorted_words, first)
        for at in range(start, len(self._sorted_words)):
            if not self._sorted_words[at].startswith(first):
                break
            position = self._word_owner[at]
            if len(words) == 1 or self._norm[position].startswith(norm) or _words_start(self._words[position], words):
                found.add(self._ids[position])
        return self._rank(found)

    def fuzzy_matches(self, norm: str, *, limit: int) -> list[Match]:
        """Typo-tolerant suggestions, best score first (weight breaks ties), each id once."""
        best: dict[int, float] = {}
        # Only labels that can reach the cutoff are scored (db.fuzzy_bounds), and all that do are ranked:
        # equal scores go by weight over every match, not over whichever the scorer happened to keep.
        reachable = {p: self._norm[p] for p in self._bounds.candidates(norm, SUGGEST_CUTOFF)}
        found = process.extract(norm, reachable, scorer=fuzz.WRatio, limit=None, score_cutoff=SUGGEST_CUTOFF)
        for _choice, score, position in found:
            entity_id = self._ids[position]
            best[entity_id] = max(best.get(entity_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: (-item[1], -self.weight(item[0]), self._names[item[0]]))
        return [self._match(i, s) for i, s in ranked[:limit]]

    def _near_miss(self, norm: str) -> int | None:
        """The one id within the allowed edit distance of the input, when no other comes as close."""
        if len(norm.replace(" ", "")) < FUZZY_MIN_QUERY:
            return None
        allowed = allowed_typos(len(norm))
        found = process.extract(norm, self._norm, scorer=Levenshtein.distance, limit=20, score_cutoff=allowed + 1)
        distances: dict[int, int] = {}
        for _choice, distance, position in found:
            entity_id = self._ids[position]
            distances[entity_id] = min(distances.get(entity_id, 99), int(distance))
        if not distances:
            return None
        ranked = sorted(distances.items(), key=lambda item: item[1])
        best_id, best = ranked[0]
        if best > allowed:
            return None
        if len(ranked) > 1 and ranked[1][1] <= best + 1:
            return None  # two names about as close: that is a question, not an answer
        return best_id

    def resolve(self, query: str, *, suggestions: int = 3) -> Resolution:
        norm = normalize_name(query)
        if len(norm) < MIN_QUERY:
            return Resolution("too_short")
        found = self.exact(norm)
        if found is not None:
            return Resolution("exact", found=found)
        prefixed = self.prefix_matches(norm)
        if len(prefixed) == 1:
            return Resolution("prefix", found=prefixed[0])
        if prefixed:
            return Resolution("ambiguous", suggestions=tuple(self._match(i, 150.0) for i in prefixed[:suggestions]))
        near = self._near_miss(norm)
        if near is not None:
            return Resolution("fuzzy", found=near)
        return Resolution("unknown", suggestions=tuple(self.fuzzy_matches(norm, limit=suggestions)))

    def search(self, query: str, *, limit: int = 25) -> list[Match]:
        """Autocomplete: exact, then prefix/word matches by weight, then typo-tolerant ones; each id once."""
        norm = normalize_name(query)
        key = (norm, limit)
        kept = self._searches.get(key)
        if kept is None:
            kept = self._searches[key] = tuple(self._search(norm, limit))
            if len(self._searches) > SEARCHES_KEPT:
                self._searches.popitem(last=False)
        else:
            self._searches.move_to_end(key)
        return list(kept)

    def _search(self, norm: str, limit: int) -> list[Match]:
        if not norm:
            return [self._match(i, 0.0) for i in self._rank(self._names)[:limit]]
        ordered: dict[int, Match] = {}
        exact = self._exact.get(norm, [])
        for entity_id in self._rank(exact):
            ordered.setdefault(entity_id, self._match(entity_id, 300.0))
        for entity_id in self.prefix_matches(norm):
            if len(ordered) >= limit:
                break
            ordered.setdefault(entity_id, self._match(entity_id, 200.0))
        if len(ordered) < limit and len(norm) >= MIN_QUERY:
            for match in self.fuzzy_matches(norm, limit=limit):
                ordered.setdefault(match.id, match)
        return list(ordered.values())[:limit]


def _words_start(label_words: tuple[str, ...], query_words: list[str]) -> bool:
    """Every query word starts a different label word ("dale jr" → "dale earnhardt jr")."""
    free = list(label_words)
    for word in query_words:
        for index, candidate in enumerate(free):
            if candidate.startswith(word):
                del free[index]
                break
        else:
            return False
    return True
