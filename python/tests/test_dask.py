"""Validation across a Dask cluster: a LocalCluster of two worker processes validates a partitioned CSV of
synthetic episodes; the findings equal, row for row, what `clincode validate` gives on the whole file."""

import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import pandas as pd  # noqa: E402

import clincode.dask  # noqa: E402
from conftest import cli_findings, run_cli, synthetic_episodes  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_validate_across_two_worker_processes_equals_the_cli(client, tmp_path):
    episodes = synthetic_episodes(6000)
    path = tmp_path / "episodes.csv"
    episodes.to_csv(path, index=False)
    ddf = dd.read_csv(str(path), dtype=str, keep_default_na=False, blocksize=60_000)
    assert ddf.npartitions >= 4
    findings = clincode.dask.validate(ddf).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(findings, cli_findings(path))
    # Both workers took part, and each loaded the releases once (its catalog is kept between partitions).
    loaded = client.run(lambda: len(__import__("clincode.dask").dask._catalogs))
    assert len(loaded) == 2 and all(n == 1 for n in loaded.values()), loaded


def test_match_across_the_cluster_equals_one_process(client, tmp_path):
    episodes = synthetic_episodes(3000, seed=11)
    path = tmp_path / "episodes.csv"
    episodes.to_csv(path, index=False)
    ddf = dd.read_csv(str(path), dtype=str, keep_default_na=False, blocksize=40_000)
    matches = clincode.dask.match(ddf).compute().reset_index(drop=True)
    code, out, err = run_cli("match", path, "--out", tmp_path / "m.csv")
    assert code == 0, err
    expected = pd.read_csv(tmp_path / "m.csv", dtype=str, keep_default_na=False)
    # Line numbers count within a partition; everything else is the same, row for row.
    pd.testing.assert_frame_equal(matches.drop(columns=["line"]), expected.drop(columns=["line"]))
