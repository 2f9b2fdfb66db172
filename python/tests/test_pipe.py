"""The batch commands stream standard input to standard output, so Spark's RDD.pipe and Hadoop streaming run
clincode unchanged: a partition in (its rows, the header given once on the command line), its findings out,
in input order, no header repeated, exit 0 when it ran."""

import io

import pandas as pd

from conftest import cli_findings, run_cli, synthetic_episodes


def test_a_partition_through_a_pipe(tmp_path):
    episodes = synthetic_episodes(500)
    path = tmp_path / "all.csv"
    episodes.to_csv(path, index=False)
    whole = cli_findings(path)
    header = ",".join(episodes.columns)
    lines = path.read_text().splitlines()[1:]
    # Three partitions, each piped through its own process, their outputs joined in order.
    parts = [lines[:170], lines[170:333], lines[333:]]
    out = []
    for part in parts:
        code, stdout, err = run_cli("validate", "-", "--out", "-", "--header", header, "--no-header",
                                    stdin="\n".join(part) + "\n")
        assert code == 0, err
        assert not stdout.startswith("episode_id,"), "no header in a partition's findings"
        out.append(stdout)
    joined = pd.read_csv(io.StringIO("".join(out)), names=list(whole.columns), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(joined, whole)


def test_standard_input_with_its_header_and_the_header_once(tmp_path):
    episodes = synthetic_episodes(50)
    text = episodes.to_csv(index=False)
    code, stdout, err = run_cli("validate", "-", "--out", "-", stdin=text)
    assert code == 0, err
    assert stdout.count("episode_id,rule_id,severity") == 1
    assert "50 rows read" in err


def test_a_row_that_cannot_be_read_in_a_pipe_is_a_finding_and_the_run_still_ends_well():
    code, stdout, err = run_cli("validate", "-", "--out", "-", "--header", "EPIKEY,DIAG_01", "--no-header",
                                stdin='A,I509\n"B,I509\nC,I509\n')
    assert code == 0, err
    assert "row-unreadable" in stdout
