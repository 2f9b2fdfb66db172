"""The Pythonic API: lookup, search, check and code answer as the CLI does, errors carry its messages, and
the engine runs without the GIL."""

import json
import sys
import threading

import pytest

import clincode
from conftest import run_cli


def test_lookup_answers_with_a_dataclass_as_the_cli_does(catalog):
    code = catalog.lookup("K578")
    assert (code.system, code.code, code.record, code.parent) == ("OPCS-4", "K57.8", "K578", "K57")
    assert code.title == "Other specified other therapeutic transluminal operations on heart"
    _, out, _ = run_cli("lookup", "K578", "--json")
    assert json.loads(out)[0] == dict(code.raw)


def test_lookup_errors_carry_the_cli_message(catalog):
    with pytest.raises(clincode.UsageError, match='"K5X.8"'):
        catalog.lookup("K5X.8")
    with pytest.raises(clincode.Error, match="K99.9 is not in OPCS-4"):
        catalog.lookup("K99.9", system="opcs4")
    with pytest.raises(clincode.UsageError, match="snomed|system"):
        catalog.lookup("K57.8", system="nonsense")


def test_search_ranks_as_the_cli(catalog):
    hits = catalog.search("heart fail", system="icd10", limit=3)
    assert [h.code for h in hits] == ["I50", "I50.9", "I50.0"]
    assert all(isinstance(h, clincode.SearchHit) and h.system == "ICD-10" for h in hits)
    _, out, _ = run_cli("search", "heart fail", "--system", "icd10", "--limit", "3", "--json")
    assert [h["code"] for h in json.loads(out)] == [h.code for h in hits]
    with pytest.raises(clincode.UsageError, match="search needs words or a code"):
        catalog.search("  ", limit=3)


def test_check_gives_findings_and_a_generic_code_is_not_a_warning(catalog):
    findings = clincode.check(catalog, procedures="K57.8", diagnoses=["I48.9"])
    assert [(f.rule_id, f.severity) for f in findings] == [("nice.possible-match", "info")]
    spinal = clincode.check(catalog, procedures=["V44.4"], diagnoses=["M80.0"], sex=1)
    assert {"opcs4.levels-of-spine-second", "icd10.sex"} <= {f.rule_id for f in spinal}
    with pytest.raises(clincode.UsageError, match="needs codes"):
        clincode.check(catalog)
    with pytest.raises(clincode.UsageError, match="sex"):
        clincode.check(catalog, procedures="K57.8", sex=5)


def test_code_answers_with_the_cli_json_shape(catalog):
    answer = clincode.code(catalog, "Vertebroplasty of L1 under fluoroscopy for osteoporotic fracture.",
                           guidance="IPG12")
    assert answer["guidance"] == "IPG12"
    assert [p["code"] for p in answer["procedures"]][:2] == ["V44.4", "V55.1"]
    _, out, _ = run_cli("code", "--guidance", "IPG12", "--json", "--text",
                        "Vertebroplasty of L1 under fluoroscopy for osteoporotic fracture.")
    assert json.loads(out)["procedures"] == answer["procedures"]
    with_facts = clincode.code(catalog, "Vertebroplasty of L1.", guidance="IPG12", facts={"image_control": "no"})
    assert "Y53.4" not in [p["code"] for p in with_facts["procedures"]]
    with pytest.raises(clincode.UsageError):
        clincode.code(catalog, "note", system="icd10")


def test_catalog_of_a_release_that_is_not_there_raises(tmp_path):
    with pytest.raises(clincode.Error, match="missing.xml"):
        clincode.Catalog([str(tmp_path / "missing.xml")])


def test_the_engine_runs_without_the_gil(catalog):
    """While one thread validates, another runs Python: with the switch interval at a second, a call that
    held the GIL would keep the main thread from running until it returned."""
    from conftest import synthetic_episodes
    episodes = synthetic_episodes(40000)
    started = threading.Event()
    result = {}

    def work():
        started.set()
        result["findings"] = clincode.validate(catalog, episodes, threads=1)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1.0)
    try:
        t = threading.Thread(target=work)
        t.start()
        started.wait()
        ticks = 0
        while t.is_alive():
            ticks += 1
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert len(result["findings"]) > 0
    assert ticks > 10000, f"the main thread ran {ticks} times while the engine worked"
