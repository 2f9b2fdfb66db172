#!/usr/bin/python3
"""The Dask benchmark (issue 18): N episodes (10 million by default) validated on a Dask LocalCluster of two
worker processes, beside `clincode validate` on the same file in one process, in the same run on the same
machine: seconds, episodes per second, and the ratio. Both write the findings as CSV. The point on one
2-core machine is not that the cluster wins (it cannot) but what the same code costs when it scales out.

    PYTHONPATH=build-test/python /usr/bin/python3 bench/dask_bench.py --cli build-test/clincode [--episodes 10000000]

The episodes are the synthetic ones of python/tests (a mix of clean episodes and ones with findings), a
million written by pandas and repeated with new keys.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python" / "tests"))

import dask.dataframe as dd  # noqa: E402
import distributed  # noqa: E402

import clincode.dask  # noqa: E402
from conftest import synthetic_episodes  # noqa: E402


def write_episodes(path: pathlib.Path, episodes: int) -> None:
    base = min(episodes, 1_000_000)
    text = synthetic_episodes(base, seed=20261208).to_csv(index=False, lineterminator="\n")
    header, body = text.split("\n", 1)
    with open(path, "w") as out:
        out.write(header + "\n")
        copies, rest = divmod(episodes, base)
        for k in range(copies):
            out.write(body.replace("\nS", f"\nC{k}S") if k else body)
        if rest:
            out.write("".join(body.splitlines(keepends=True)[:rest]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True, help="the clincode binary")
    parser.add_argument("--episodes", type=int, default=10_000_000)
    parser.add_argument("--blocksize", default="64MB", help="Dask partition size")
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="clincode-dask-bench-"))
    try:
        source = work / "episodes.csv"
        t = time.monotonic()
        write_episodes(source, args.episodes)
        print(f"{args.episodes:,} episodes written in {time.monotonic() - t:.1f} s "
              f"({source.stat().st_size / 1e6:.0f} MB)")

        t = time.monotonic()
        p = subprocess.run([args.cli, "validate", str(source), "--out", str(work / "cli.csv")], capture_output=True,
                           text=True, check=True)
        cli = time.monotonic() - t
        print(f"clincode validate, one process: {cli:.1f} s, {args.episodes / cli:,.0f} episodes/s "
              f"({p.stderr.strip().splitlines()[-2 if 'rules ran' in p.stderr else -1]})")

        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = distributed.Client(cluster)
        try:
            t = time.monotonic()
            ddf = dd.read_csv(str(source), dtype=str, keep_default_na=False, blocksize=args.blocksize)
            findings = clincode.dask.validate(ddf)
            findings.to_csv(str(work / "dask-*.csv"), index=False)
            cluster_s = time.monotonic() - t
            print(f"clincode.dask.validate, LocalCluster of 2 worker processes ({ddf.npartitions} partitions): "
                  f"{cluster_s:.1f} s, {args.episodes / cluster_s:,.0f} episodes/s")
        finally:
            client.close()
            cluster.close()
        rows_cli = sum(1 for _ in open(work / "cli.csv")) - 1
        rows_dask = sum(sum(1 for _ in open(f)) - 1 for f in work.glob("dask-*.csv"))
        print(f"findings: {rows_cli:,} (CLI) and {rows_dask:,} (cluster): {'the same' if rows_cli == rows_dask else 'DIFFERENT'}")
        print(f"ratio: the cluster takes {cluster_s / cli:.1f}x the time of one process on this machine")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
