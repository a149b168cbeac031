"""R's default random numbers, for the two simulated quantities of the Rambachan–Roth
sensitivity analysis, so that its intervals are R ``HonestDiD``'s to the printed digit.

R ``HonestDiD`` simulates twice, each time after ``set.seed(0)``: the least-favourable
critical value of the hybrid test (the 99.5% quantile of 1,000 draws from
``mvtnorm::rmvnorm``) and the quantile of the folded normal behind the fixed-length
interval (from ``rnorm(1e6)``). A different generator moves the first one by a few per
cent and the second in the fourth digit, which shows in R's printed intervals; so the
draws here are R's own: the Mersenne-Twister seeded as ``set.seed`` does (R's
``RNG.c``: 50 rounds of the congruential scrambler, then 625 words), uniforms as
``unif_rand`` makes them, and normals by R's default inversion, which spends two
uniforms per draw (``snorm.c``). numpy's MT19937 does the twisting; only the seeding and
the conversion to doubles are R's. Checked against R's printed ``set.seed(0); rnorm(20)``
in the tests.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import ndtri

_TWO_POW_MINUS_32 = 2.3283064365386963e-10  # R's MT_genrand: [0, 1) from 32 bits
_BIG = 134217728  # 2**27, R's INVERSION in norm_rand


def _mersenne_state(seed: int) -> np.ndarray:
    """The 624 Mersenne-Twister words ``set.seed(seed)`` leaves (R's ``RNG_Init``)."""
    value = int(seed) & 0xFFFFFFFF
    for _ in range(50):  # initial scrambling
        value = (69069 * value + 1) & 0xFFFFFFFF
    words = np.empty(625, np.uint32)
    for j in range(625):
        value = (69069 * value + 1) & 0xFFFFFFFF
        words[j] = value
    return words[1:]  # the first word is R's position counter, reset to 624


def _uniforms(n: int, seed: int) -> np.ndarray:
    generator = np.random.MT19937(0)
    generator.state = {
        "bit_generator": "MT19937",
        "state": {"key": _mersenne_state(seed), "pos": 624},
    }
    values = generator.random_raw(n).astype(float) * _TWO_POW_MINUS_32
    # R's fixup: never exactly 0 or 1
    return np.clip(values, 0.5 * _TWO_POW_MINUS_32, 1 - 0.5 * _TWO_POW_MINUS_32)


@lru_cache(maxsize=8)
def _normals(n: int, seed: int) -> np.ndarray:
    uniforms = _uniforms(2 * n, seed).reshape(n, 2)
    values = ndtri((np.floor(_BIG * uniforms[:, 0]) + uniforms[:, 1]) / _BIG)
    values.setflags(write=False)
    return values


def rnorm(n: int, seed: int = 0) -> np.ndarray:
    """``set.seed(seed); rnorm(n)`` (read-only; cached, as R HonestDiD reseeds before each
    use and so draws the same numbers every time)."""
    return _normals(int(n), int(seed))


def rmvnorm(n: int, sigma: np.ndarray, seed: int = 0) -> np.ndarray:
    """``set.seed(seed); mvtnorm::rmvnorm(n, sigma = sigma)``: rows of standard normals
    filled row by row, times the symmetric square root of ``sigma`` (its eigen method)."""
    sigma = np.asarray(sigma, float)
    values, vectors = np.linalg.eigh(sigma)
    root = (vectors * np.sqrt(np.maximum(values, 0))) @ vectors.T
    return rnorm(n * len(sigma), seed).reshape(n, len(sigma)) @ root


def quantile7(values: np.ndarray, probability: float) -> float:
    """R's default (type 7) quantile, with its interpolation written as R writes it."""
    values = np.asarray(values, float)
    values = values[~np.isnan(values)]
    index = 1 + (len(values) - 1) * probability
    low, high = int(np.floor(index)), int(np.ceil(index))
    ordered = np.partition(values, sorted({low - 1, high - 1}))
    result = ordered[low - 1]
    if index > low and ordered[high - 1] != result:
        weight = index - low
        result = (1 - weight) * result + weight * ordered[high - 1]
    return float(result)


class FoldedNormalQuantile:
    """R HonestDiD's ``.qfoldednormal(p, mu)``: the type-7 quantile of |Z + mu| over
    ``set.seed(seed); rnorm(1e6)``, found by merging two sorted halves of the draws (a
    binary search) instead of sorting a million numbers at every call."""

    def __init__(self, n: int = 10**6, seed: int = 0):
        self.draws = np.sort(rnorm(n, seed))
        self.n = n

    def _kth(self, mu: float, k: int) -> float:
        """The k-th smallest (0-based) of |draws + mu|: the merge of (draws + mu) for
        draws ≥ −mu (ascending) and −(draws + mu) for the rest (ascending when
        reversed)."""
        draws = self.draws
        split = int(np.searchsorted(draws, -mu))
        n_right, n_left = len(draws) - split, split

        def right(i):  # i-th smallest of draws + mu over draws ≥ −mu
            return draws[split + i] + mu

        def left(j):  # j-th smallest of −(draws + mu) over draws < −mu
            return -(draws[split - 1 - j] + mu)

        low, high = max(0, k + 1 - n_left), min(k + 1, n_right)
        while low < high:  # how many of the k + 1 smallest come from the right half
            take = (low + high) // 2
            if right(take) < left(k - take):
                low = take + 1
            else:
                high = take
        candidates = []
        if low > 0:
            candidates.append(right(low - 1))
        if k + 1 - low > 0:
            candidates.append(left(k - low))
        return float(max(candidates))

    def __call__(self, probability: float, mu: float) -> float:
        index = 1 + (self.n - 1) * probability
        low, high = int(np.floor(index)), int(np.ceil(index))
        result = self._kth(mu, low - 1)
        if index > low:
            upper = self._kth(mu, high - 1)
            if upper != result:
                weight = index - low
                result = (1 - weight) * result + weight * upper
        return result
