"""Fixtures of the Python package's tests: the package from the build tree (PYTHONPATH, set by ctest), the
CLI binary beside it (CLINCODE_CLI) and the hand-made fixtures (CLINCODE_TEST_DATA_DIR)."""

import os
import pathlib
import random
import subprocess

import pandas as pd
import pytest

import clincode

DATA = pathlib.Path(os.environ.get("CLINCODE_TEST_DATA_DIR", pathlib.Path(__file__).parents[2] / "tests" / "data"))
CLI = os.environ.get("CLINCODE_CLI", "clincode")


@pytest.fixture(scope="session")
def catalog():
    return clincode.Catalog()


@pytest.fixture
def upload():
    """Six HES-like episodes (tests/data/README.md), one with a STARTAGE that is not an age."""
    return DATA / "episodes" / "upload.csv"


def run_cli(*args, stdin=None):
    """Runs the clincode binary; returns (exit code, standard output, standard error)."""
    p = subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def cli_findings(path) -> pd.DataFrame:
    """`clincode validate PATH` as a DataFrame of strings."""
    code, out, err = run_cli("validate", path)
    assert code == 0, err
    import io
    return pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)


# Codes for synthetic episodes: right ones, and ones that break a rule (a subsidiary code first, a
# spinal code without its levels, a code for the other sex, a CCM episode missing its site codes).
_PROCEDURES = [["K57.8", "Y02.1", "Z33.2", "Z94.2"], ["V44.4", "V55.1", "Y53.4", "Z67.1"], ["Y53.4", "V44.4"],
               ["V44.4", "Y53.4"], ["K57.8"], ["H25.1"], []]
_DIAGNOSES = [["I50.9"], ["M80.0"], ["N40X"], ["I10X", "E11.9"], ["J18.9"], [], ["G01XA"]]


def synthetic_episodes(n: int, seed: int = 7) -> pd.DataFrame:
    """n HES-like episodes with EPIKEY, a mix of clean ones and ones with findings."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        procs = rng.choice(_PROCEDURES)
        diags = rng.choice(_DIAGNOSES)
        row = {"EPIKEY": f"S{i}", "EPISTART": f"2024-{1 + i % 12:02}-{1 + i % 28:02}", "SEX": rng.choice([1, 2, 9]),
               "STARTAGE": rng.choice([4, 35, 70, 7002])}
        for k in range(4):
            row[f"DIAG_{k + 1:02}"] = diags[k] if k < len(diags) else ""
            row[f"OPERTN_{k + 1:02}"] = procs[k] if k < len(procs) else ""
        rows.append(row)
    return pd.DataFrame(rows)
