#!/usr/bin/python3
"""Derives knowledge/search/hes_usage.tsv from the HES code-usage tables (../shared/data/hes-code-usage).

The shipped table holds only system, code and the count summed over every financial year: no titles (the
descriptions are classification text and may not ship). Counts are Open Government Licence v3.

    /usr/bin/python3 tools/derive_hes_usage.py ../shared/data/hes-code-usage > knowledge/search/hes_usage.tsv
"""
import csv
import sys
from collections import defaultdict

FILES = [
    ("icd10", "hes_apc_icd10_4char_all_diagnoses_fy2012-13_to_fy2023-24.csv"),
    ("opcs4", "hes_apc_opcs4_4char_all_procedures_fy2012-13_to_fy2023-24.csv"),
]


def main(folder):
    out = sys.stdout
    out.write("# How often each 4-character code was recorded in English hospital episodes, summed over FY2012-13\n"
              "# to FY2023-24 (HES Admitted Patient Care, all diagnosis / all procedure positions). Source: NHS\n"
              "# England (NHS Digital), Hospital Episode Statistics, via github.com/ebmdatalab/codeusage. Contains\n"
              "# public sector information licensed under the Open Government Licence v3.0. Counts only: no titles.\n"
              "# Derived by tools/derive_hes_usage.py. Columns: system, code (CDS form), count.\n")
    for system, name in FILES:
        totals = defaultdict(int)
        with open(f"{folder}/{name}", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            code_col, count_col = 3, 5
            for row in reader:
                if row[count_col].strip():
                    totals[row[code_col].strip()] += int(row[count_col])
        for code in sorted(totals):
            out.write(f"{system}\t{code}\t{totals[code]}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/hes-code-usage")
