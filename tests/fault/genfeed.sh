#!/bin/sh
# tests/fault/genfeed.sh - write a generated proposal feed for the fault tests.
# usage: genfeed.sh N VARIANT KOMMUNER_CSV > feed.jsonl
# N proposals spread over the municipalities of KOMMUNER_CSV and budget years
# 2019-2026.  Variants A and B name the same proposals (municipality, year, title, and
# the same source and page: the identity, schema v4) with different texts and effects,
# so importing B over A updates every row (and its FTS5 entry) in place.
# Deterministic: the same arguments give the same bytes.
set -eu
n=$1; variant=$2; kommuner=$3
awk -F';' -v n="$n" -v variant="$variant" '
NR > 1 { code[m++] = $1 }
END {
	split("hjemmeplejen medicindispenseringsrobotter skærmbesøg sygefravær loftslifte " \
	      "rådgivning ældre borgere daginstitutioner folkeskolen energirenovering " \
	      "digitalisering velfærdsteknologi indkøb administration vikarudgifter " \
	      "botilbud jobcentre vejbelysning kultur", w, " ")
	nw = 20
	split("Administration|Ældre og sundhed|Skoler|Daginstitutioner|Teknik og miljø", area, "|")
	split("effektivisering investering servicereduktion innovation andet", kind, " ")
	for (i = 0; i < n; i++) {
		k = code[i % m]; y = 2019 + int(i / m) % 8
		s = (variant == "B") ? 7 : 3
		t1 = w[(i * s) % nw + 1]; t2 = w[(i * s + 5) % nw + 1]; t3 = w[(i + s) % nw + 1]
		effect = (variant == "B") ? (i % 97 + 1) * 2000 : (i % 89 + 1) * 1000
		printf "{\"kommunekode\":\"%s\",\"budget_year\":%d,\"ref\":\"G%d\",", k, y, i
		printf "\"title\":\"Genereret forslag %d om %s\",", i, w[i % nw + 1]
		printf "\"summary\":\"Variant %s: %s og %s i kommunen.\",", variant, t1, t2
		printf "\"text\":\"%s %s %s. Forslaget samler %s med %s og sparer %d kr. om året.\",", \
			t1, t2, t3, t3, t1, effect
		printf "\"area\":\"%s\",\"kind\":\"%s\",\"adopted\":\"unknown\",", \
			area[i % 5 + 1], kind[i % 5 + 1]
		printf "\"effect_kr\":%d,\"source\":\"genfeed.jsonl\",\"page\":%d}\n", \
			effect, i % 40 + 1
	}
}' "$kommuner"
