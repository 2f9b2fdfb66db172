"""clincode across a Dask cluster: ``validate`` and ``match`` run partition by partition on the workers.

    >>> import dask.dataframe as dd, clincode.dask
    >>> episodes = dd.read_csv("hes-*.csv", dtype=str, keep_default_na=False)
    >>> findings = clincode.dask.validate(episodes, releases=["OPCS411.xml", "ICD10_Edition5.xml"])
    >>> findings.to_csv("findings-*.csv", index=False)

Each worker process loads the releases once (the first partition it is given) and keeps them for the
next. The findings of each partition are those ``clincode validate`` gives for its rows, in order, so the
whole equals, row for row, the findings of the file the partitions came from, as long as every row has an
EPIKEY (a row without one is named by its line within its partition).
"""

from __future__ import annotations

import threading
from typing import Sequence

import pandas as pd

from . import FINDING_COLUMNS, MATCH_COLUMNS, Catalog
from . import match as _match
from . import validate as _validate

__all__ = ["validate", "match"]

# What this worker process has loaded, by the arguments it was loaded with.
_catalogs: dict = {}
_lock = threading.Lock()


def _catalog(key: tuple) -> Catalog:
    with _lock:
        catalog = _catalogs.get(key)
        if catalog is None:
            releases, starter, guidance_dirs, rules_dirs = key
            catalog = _catalogs[key] = Catalog(list(releases), starter=starter, guidance_dirs=list(guidance_dirs),
                                               rules_dirs=list(rules_dirs))
        return catalog


def _key(releases: Sequence[str], starter: bool, guidance_dirs: Sequence[str], rules_dirs: Sequence[str]) -> tuple:
    return (tuple(str(r) for r in releases), bool(starter), tuple(str(d) for d in guidance_dirs),
            tuple(str(d) for d in rules_dirs))


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _validate_partition(partition: pd.DataFrame, key: tuple, threads: int) -> pd.DataFrame:
    return _validate(_catalog(key), partition, threads=threads)


def _match_partition(partition: pd.DataFrame, key: tuple, threads: int) -> pd.DataFrame:
    return _match(_catalog(key), partition, threads=threads)


def validate(episodes, releases: Sequence[str] = (), *, starter: bool = True, guidance_dirs: Sequence[str] = (),
             rules_dirs: Sequence[str] = (), threads: int = 1):
    """A Dask DataFrame of findings (``clincode.FINDING_COLUMNS``) for a Dask DataFrame of episodes in the
    HES-like columns. ``releases`` are paths the workers can read. ``threads`` per partition: 1 lets Dask's
    workers use the cores."""
    return episodes.map_partitions(_validate_partition, _key(releases, starter, guidance_dirs, rules_dirs),
                                   int(threads), meta=_empty(FINDING_COLUMNS))


def match(episodes, releases: Sequence[str] = (), *, starter: bool = True, guidance_dirs: Sequence[str] = (),
          rules_dirs: Sequence[str] = (), threads: int = 1):
    """A Dask DataFrame of matches (``clincode.MATCH_COLUMNS``), as ``clincode match`` gives them."""
    return episodes.map_partitions(_match_partition, _key(releases, starter, guidance_dirs, rules_dirs),
                                   int(threads), meta=_empty(MATCH_COLUMNS))
