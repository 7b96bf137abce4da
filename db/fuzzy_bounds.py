"""Which labels can reach a WRatio score at all: a cheap test over every label, so WRatio runs on few.

rapidfuzz's WRatio (its `fuzz_py.WRatio` is the reference) takes the best of Indel ratios — of the whole
strings, of their sorted tokens, and of the best-matching window of the longer string (`partial_ratio`)
scaled by 0.9 (0.6 past a length ratio of 8) — and scores 100 for any token the two share. Every one of
those ratios is 2·LCS/(length sum) of the strings it compares, so none can reach the cutoff unless the
longest common subsequence (of the strings, or of their sorted tokens) is long enough. That bound is
computed for all labels in one vectorised call (`process.cdist`), and only labels that pass it, or share
a token with the input, are scored: the same matches as scoring every label (tests/db/test_names.py
checks it over thousands of inputs), in a fraction of the time on the ~3,000 driver labels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

_SHORT_RATIO = 1.5  # below this length ratio WRatio compares whole strings only
_PARTIAL_LIMIT = 8.0  # up to this length ratio windows count 0.9, past it 0.6


def _sorted_tokens(text: str) -> str:
    return " ".join(sorted(text.split()))


def _token_set(text: str) -> str:
    return " ".join(sorted(set(text.split())))


def _lengths(texts: Sequence[str]) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
    return np.array([len(t) for t in texts], dtype=np.float64)


def _common(query: str, labels: Sequence[str]) -> np.ndarray[tuple[int], np.dtype[np.int32]]:
    """The longest common subsequence of the query and each label."""
    found: np.ndarray[tuple[int], np.dtype[np.int32]] = process.cdist(
        [query], labels, scorer=LCSseq.similarity, dtype=np.int32
    )[0]
    return found


class WRatioBounds:
    """Labels indexed once; `candidates` names the positions whose WRatio against a query can reach a cutoff."""

    def __init__(self, labels: Sequence[str]) -> None:
        self._labels = list(labels)
        self._sorted = [_sorted_tokens(label) for label in self._labels]
        self._sets = [_token_set(label) for label in self._labels]
        self._lengths = _lengths(self._labels)
        self._set_lengths = _lengths(self._sets)
        self._tokens: dict[str, list[int]] = {}
        # A label that repeats a token compares its token set (shorter) in WRatio's token steps: always scored.
        self._always = [p for p, label in enumerate(self._labels) if len(label.split()) != len(set(label.split()))]
        for position, label in enumerate(self._labels):
            for token in set(label.split()):
                self._tokens.setdefault(token, []).append(position)

    def candidates(self, query: str, cutoff: float) -> list[int]:
        """Positions that may score at least `cutoff` (0-100), in label order; every one that does is here."""
        if not query or not self._labels:
            return []
        m = float(len(query))
        length_ratio = np.maximum(self._lengths, m) / np.maximum(np.minimum(self._lengths, m), 1.0)
        # WRatio picks its steps by the lengths of the strings as given: whole strings only below 1.5, windows
        # of the longer one (x0.9, x0.6 past 8) above.
        whole_only = length_ratio < _SHORT_RATIO
        scale = np.where(length_ratio <= _PARTIAL_LIMIT, 0.9, 0.6)
        wanted = cutoff / 100.0
        needed = wanted / scale

        def reach(
            common: np.ndarray[tuple[int], np.dtype[np.int32]],
            a: float,
            b: np.ndarray[tuple[int], np.dtype[np.float64]],
        ) -> np.ndarray[tuple[int], np.dtype[np.bool_]]:
            # Whole strings: 2·LCS / (a + b) ≥ cutoff. A window of the longer string, at most the shorter's
            # length (windows at either end may be shorter still): LCS ≥ p·s / (2 − p); out of reach for p > 1.
            shorter = np.maximum(np.minimum(b, a), 1.0)
            whole = wanted * (b + a) / 2.0
            window = np.where(needed <= 1.0, needed * shorter / np.maximum(2.0 - needed, 1e-9), np.inf)
            result: np.ndarray[tuple[int], np.dtype[np.bool_]] = (
                common >= np.where(whole_only, whole, np.minimum(whole, window)) - 1e-9
            )
            return result

        # The strings as typed and their sorted tokens have the same lengths.
        reachable = reach(np.maximum(_common(query, self._labels), _common(_sorted_tokens(query), self._sorted)),
                          m, self._lengths)  # fmt: skip
        tokens = query.split()
        if len(tokens) != len(set(tokens)):  # the token steps compare token sets: shorter strings
            query_set = _token_set(query)
            reachable |= reach(_common(query_set, self._sets), float(len(query_set)), self._set_lengths)
        reachable[self._always] = True
        for token in set(tokens):
            for position in self._tokens.get(token, ()):
                reachable[position] = True
        return [int(p) for p in np.flatnonzero(reachable)]
