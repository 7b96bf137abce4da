"""In-memory fuzzy index over names and aliases (rapidfuzz), rebuilt when the data changes."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from db.models import Match
from db.names import normalize_name


class NameIndex:
    """Labels (names and aliases) pointing at ids; each id is reported once under its best label."""

    def __init__(self, entries: Iterable[tuple[int, str, str]]) -> None:
        # entries: (id, label, canonical name)
        self._ids: list[int] = []
        self._labels: list[str] = []
        self._names: dict[int, str] = {}
        self._norm: list[str] = []
        # " " + label: a word-prefix test becomes one substring search instead of a split per label per
        # keystroke (autocomplete runs this on every key; normalize_name leaves single spaces only).
        self._padded: list[str] = []
        self._exact: dict[str, int] = {}
        for entity_id, label, name in entries:
            norm = normalize_name(label)
            self._ids.append(entity_id)
            self._labels.append(label)
            self._norm.append(norm)
            self._padded.append(" " + norm)
            self._names[entity_id] = name
            self._exact.setdefault(norm, entity_id)

    def __len__(self) -> int:
        return len(self._names)

    def exact(self, query: str) -> int | None:
        return self._exact.get(normalize_name(query))

    def search(self, query: str, *, limit: int = 25, cutoff: float = 70.0) -> list[Match]:
        """Best matches for free text, each entity once, labelled with its canonical name.

        Word-prefix hits ("kan" → Kansas, "dega" → Talladega's alias) rank first; fuzzy matches
        (typos) fill the rest, with a stricter cut-off for short input where fuzzy scores are noise.
        """
        norm = normalize_name(query)
        if not norm:
            names = sorted(self._names.items(), key=lambda item: item[1])
            return [Match(id=i, label=n, score=0.0) for i, n in names[:limit]]
        best: dict[int, float] = {}
        word_prefix = None if " " in norm else " " + norm  # a single word can't start with several
        for position, label in enumerate(self._norm):
            if label == norm:
                score = 300.0
            elif label.startswith(norm):
                score = 200.0
            elif word_prefix is not None and word_prefix in self._padded[position]:
                score = 150.0
            else:
                continue
            entity_id = self._ids[position]
            best[entity_id] = max(best.get(entity_id, 0.0), score)
        if len(best) < limit:
            strict = max(cutoff, 85.0) if len(norm) <= 4 else cutoff
            found = process.extract(norm, self._norm, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=strict)
            for _choice, score, position in found:
                entity_id = self._ids[position]
                best[entity_id] = max(best.get(entity_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: (-item[1], self._names[item[0]]))
        return [Match(id=i, label=self._names[i], score=s) for i, s in ranked[:limit]]
