#!/usr/bin/python3
"""bench_xapian.py - the Xapian side of the engine benchmark (tests/bench/run.sh).

usage: bench_xapian.py CORPUS QUERIES DBDIR

Indexes the corpus of bench_engines (TAB-separated, our own format) with the Danish
stemmer and positions, area and budget year as boolean terms and values; then runs each
query like the other engines: top 20 by BM25 and match counts per area and per budget
year over every match (value count match spies, every match checked), filters applied.
Prints the same lines as bench_engines (load, query, rss)."""
import resource
import shutil
import sys
import time

import xapian

RUNS = 7
AREA, YEAR = 0, 1


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            fld = line.rstrip("\n").split("\t")
            yield fld


def load(corpus, dbdir):
    shutil.rmtree(dbdir, ignore_errors=True)
    t0 = time.monotonic()
    db = xapian.WritableDatabase(dbdir, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("danish"))
    db.begin_transaction()
    for fld in rows(corpus):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(fld[6], 10)
        tg.increase_termpos()
        tg.index_text(fld[7])
        doc.add_boolean_term("XA" + fld[3])
        doc.add_boolean_term("XY" + fld[2])
        doc.add_value(AREA, fld[3])
        doc.add_value(YEAR, fld[2])
        db.replace_document(int(fld[0]), doc)
    db.commit_transaction()
    db.close()
    return time.monotonic() - t0


def main():
    corpus, qpath, dbdir = sys.argv[1:4]
    secs = load(corpus, dbdir)
    db = xapian.Database(dbdir)
    print("load\txapian\t%.2f\t%d" % (secs, dir_size(dbdir)))
    sys.stdout.flush()
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("danish"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_AND)
    qp.set_database(db)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    n = db.get_doccount()
    no = 0
    with open(qpath, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            words, area, year = line.rstrip("\n").split("|")
            no += 1
            query = qp.parse_query(words, xapian.QueryParser.FLAG_PHRASE)
            filters = []
            if area:
                filters.append(xapian.Query("XA" + area))
            if year:
                filters.append(xapian.Query("XY" + year))
            if filters:
                query = xapian.Query(xapian.Query.OP_FILTER, query,
                                     xapian.Query(xapian.Query.OP_AND, filters))
            enq.set_query(query)
            ms = []
            count = 0
            for k in range(-1, RUNS):
                a = time.monotonic()
                by_area = xapian.ValueCountMatchSpy(AREA)
                by_year = xapian.ValueCountMatchSpy(YEAR)
                enq.clear_matchspies()
                enq.add_matchspy(by_area)
                enq.add_matchspy(by_year)
                mset = enq.get_mset(0, 20, n)
                facets = [(t.term, t.termfreq) for t in by_area.values()]
                facets += [(t.term, t.termfreq) for t in by_year.values()]
                if k >= 0:
                    ms.append((time.monotonic() - a) * 1000)
                count = mset.get_matches_estimated()
            ms.sort()
            print("query\txapian\t%d\t%d\t%.2f\t%.2f\t%.2f"
                  % (no, count, ms[RUNS // 2], ms[RUNS - 1], ms[RUNS - 1]))
            sys.stdout.flush()
    print("rss\txapian\t%d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def dir_size(path):
    import os
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


if __name__ == "__main__":
    main()
