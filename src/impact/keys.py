"""Looking rows up by key, tolerant of the duplicate keys that unvalidated data may hold."""

from __future__ import annotations

import numpy as np
import pandas as pd


def positions(keys: pd.Series, lookup: pd.Series) -> np.ndarray:
    """Position in ``keys`` of each value of ``lookup`` (its first occurrence), -1 where it
    is absent or missing."""
    index = pd.Index(keys)
    if not index.is_unique:
        first = ~index.duplicated(keep="first")
        found = pd.Index(index[first]).get_indexer(lookup)
        return np.where(found >= 0, np.flatnonzero(first)[np.maximum(found, 0)], -1)
    return index.get_indexer(lookup)
