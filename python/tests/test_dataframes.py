"""DataFrames in, DataFrames out: validate, match and audit give, row for row, what the CLI gives on the same
episodes in a file, every input row accounted for."""

import io

import numpy as np
import pandas as pd
import pytest

import clincode
from conftest import DATA, cli_findings, run_cli, synthetic_episodes


def test_validate_a_dataframe_as_the_cli_validates_the_file(catalog, upload):
    episodes = pd.read_csv(upload, dtype=str, keep_default_na=False)
    findings, summary = clincode.validate(catalog, episodes, summary=True)
    assert list(findings.columns) == clincode.FINDING_COLUMNS
    pd.testing.assert_frame_equal(findings, cli_findings(upload))
    # Every row is accounted for: E6's STARTAGE "not-an-age" is a finding on the field, not a lost row.
    assert summary["rows_read"] == len(episodes) == summary["episodes_checked"]
    assert "episode.age-valid" in set(findings["rule_id"])


def test_columns_in_any_order_and_numbers_as_pandas_keeps_them(catalog, tmp_path):
    episodes = synthetic_episodes(300)
    path = tmp_path / "episodes.csv"
    episodes.to_csv(path, index=False)
    expected = cli_findings(path)
    shuffled = episodes[list(reversed(episodes.columns))]
    pd.testing.assert_frame_equal(clincode.validate(catalog, shuffled), expected)
    # A numeric column with gaps is floats in pandas (SEX 1.0): read as the whole numbers they are.
    gappy = episodes.copy()
    gappy["SEX"] = gappy["SEX"].astype(float)
    gappy.loc[0, "SEX"] = np.nan
    findings = clincode.validate(catalog, gappy)
    assert not (findings["rule_id"] == "episode.sex-valid").any()


def test_a_row_that_cannot_be_read_is_a_finding(catalog):
    episodes = pd.DataFrame({"EPIKEY": ["A", "B"], "DIAG_01": ["I50.9", 'I50.9"\n"broken']})
    findings, summary = clincode.validate(catalog, episodes, summary=True)
    assert summary["rows_read"] == 3 and summary["rows_unreadable"] >= 1
    assert "row-unreadable" in set(findings["rule_id"])


def test_validate_refuses_what_is_not_a_dataframe(catalog):
    with pytest.raises(clincode.UsageError, match="DataFrame"):
        clincode.validate(catalog, [["K57.8"]])
    with pytest.raises(clincode.UsageError, match="no HES column"):
        clincode.validate(catalog, pd.DataFrame({"NAME": ["x"]}))


def test_match_as_the_cli(catalog, upload):
    episodes = pd.read_csv(upload, dtype=str, keep_default_na=False)
    matches, summary = clincode.match(catalog, episodes, summary=True)
    assert list(matches.columns) == clincode.MATCH_COLUMNS
    code, out, err = run_cli("match", upload)
    assert code == 0, err
    # The CLI writes its rows to standard output without --out; its summary goes to standard error.
    expected = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False) if out.strip() else None
    if expected is not None and list(expected.columns) == clincode.MATCH_COLUMNS:
        pd.testing.assert_frame_equal(matches, expected)
    assert (matches["guidance"] == "IPG655").sum() >= 1
    assert summary["episodes"] == len(episodes)


def test_audit_as_the_cli(catalog, tmp_path):
    original = pd.read_csv(DATA / "episodes" / "audit-original.csv", dtype=str, keep_default_na=False)
    audited = pd.read_csv(DATA / "episodes" / "audit-audited.csv", dtype=str, keep_default_na=False)
    summary, errors, html = clincode.audit(catalog, original, audited, report=True)
    assert (summary["primary_diagnosis"]["correct"], summary["primary_diagnosis"]["total"]) == (2, 5)
    assert summary["secondary_diagnosis"]["percent"] == 75.0
    assert summary["unmatched_original"] == 1 and summary["unmatched_audited"] == 1
    assert list(errors.columns) == clincode.AUDIT_ERROR_COLUMNS
    assert len(errors) == 9 and "Clinical coding audit" in html
    out = tmp_path / "errors.csv"
    code, _, err = run_cli("audit", DATA / "episodes" / "audit-original.csv", DATA / "episodes" / "audit-audited.csv",
                           "--out", out)
    assert code == 0, err
    cli = pd.read_csv(out, dtype=str, keep_default_na=False)
    # The same errors; the CLI names the files by their paths, the DataFrames have none.
    pd.testing.assert_frame_equal(errors.drop(columns=["file", "detail"]), cli.drop(columns=["file", "detail"]))
    with pytest.raises(clincode.UsageError, match="profile"):
        clincode.audit(catalog, original, audited, profile="nope")
