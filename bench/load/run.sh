#!/usr/bin/env bash
# Load test of `clincode serve` with wrk (Debian): 10 connections, then 1,000, on loopback against GET
# /v1/codes, GET /v1/search with varied prefixes and FHIR CodeSystem/$lookup, each for $SECONDS_PER_TEST
# seconds (default 15), with the server logging every request to a file as it does in use. Prints
# requests/s, latency percentiles and errors (non-2xx answers, and connect, read, write and timeout errors).
# Usage: bench/load/run.sh [build/clincode] ; CLINCODE_RELEASES=a:b loads release files as the CLI does;
# CONNECTIONS="10 1000" (the default) chooses the connection counts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../../build/clincode}"
seconds="${SECONDS_PER_TEST:-15}"
connections="${CONNECTIONS:-10 1000}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
command -v wrk >/dev/null || { echo "load test: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
work="$(mktemp -d)"
"$bin" serve --port 0 >"$work/out" 2>"$work/requests.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[^ ]*' "$work/out" | head -1)"; base="${base%/}"
echo "server: $base ($(sed -n 2p "$work/out" | sed 's/clincode serve: //'))"

# Codes and search words from the loaded releases themselves: every OPCS-4 and ICD-10 code, prefixes of
# the words of their titles.
opcs="https://fhir.hl7.org.uk/Id/opcs-4"
python3 - "$base" "$work" "$opcs" <<'PY'
import json, sys, urllib.request, urllib.parse, random
base, work, opcs = sys.argv[1], sys.argv[2], sys.argv[3]
version = json.load(urllib.request.urlopen(base + "/v1/version"))
codes, words = [], set()
for r in version["releases"]:
    uri = r["fhir_uri"]
    url = base + "/fhir/ValueSet/$expand?" + urllib.parse.urlencode({"url": uri + "?fhir_vs", "count": 10000})
    vs = json.load(urllib.request.urlopen(url))
    for c in vs["expansion"].get("contains", []):
        if c.get("abstract"):
            continue
        slug = {"OPCS-4": "opcs4", "ICD-10": "icd10", "ICD-10-CM": "icd10cm", "CPT": "cpt"}[r["system"]]
        codes.append((slug, uri, c["code"]))
        for w in c["display"].lower().split():
            w = "".join(ch for ch in w if ch.isalpha())
            if len(w) >= 4:
                words.add(w)
random.seed(7)
random.shuffle(codes)
words = sorted(words)
random.shuffle(words)
with open(work + "/codes.txt", "w") as f:
    for slug, _, code in codes[:5000]:
        f.write(f"/v1/codes/{slug}/{urllib.parse.quote(code)}\n")
with open(work + "/lookup.txt", "w") as f:
    for _, uri, code in codes[:5000]:
        f.write("/fhir/CodeSystem/$lookup?" + urllib.parse.urlencode({"system": uri, "code": code}) + "\n")
with open(work + "/search.txt", "w") as f:
    for i, w in enumerate(words[:5000]):
        prefix = w[: 3 + i % 4]
        f.write("/v1/search?" + urllib.parse.urlencode({"q": prefix, "limit": 20}) + "\n")
print(f"paths: {min(len(codes), 5000)} codes, {min(len(words), 5000)} search prefixes")
PY

run() {
  local name="$1" file="$2" c="$3"
  local out
  out="$(PATHS="$work/$file" wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s --latency -s "$here/paths.lua" "$base" 2>&1)"
  local rps p50 p99 errors
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)"
  printf '%-28s %5s conn %10s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$c" "$rps" "$p50" "$p99" "${errors:-no errors}"
}
for c in $connections; do
  run "GET /v1/codes/{system}/{code}" codes.txt "$c"
  run "GET /v1/search?q=<prefix>" search.txt "$c"
  run "FHIR CodeSystem/\$lookup" lookup.txt "$c"
done
echo "requests logged: $(wc -l <"$work/requests.log")"
