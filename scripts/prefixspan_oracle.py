#!/usr/bin/env python3
"""Test-only oracle: frequent sequential patterns of an SPMF file with PyPI `prefixspan`.

Usage: prefixspan_oracle.py FILE MINSUP [--max-length N] [--closed] [--count-only]

FILE is in SPMF sequence format (`item -1 item -1 ... -2` per line; lines starting with
`#`, `%` or `@` are skipped; every item is its own step, as in click-streams). MINSUP is
an absolute number of sequences. Prints one pattern per line, `support<TAB>i1 i2 ...`,
sorted by the item sequence (numerically), so the output is canonical and diffable.
With --count-only, prints only the number of patterns and the seconds spent mining.
"""

import sys
import time

from prefixspan import PrefixSpan


def read_spmf(path):
    db = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line[0] in "#%@":
                continue
            seq = [int(tok) for tok in line.split() if int(tok) >= 0]
            db.append(seq)
    return db


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 64
    path, minsup = argv[1], int(argv[2])
    max_length, closed, count_only = None, False, False
    rest = argv[3:]
    while rest:
        flag = rest.pop(0)
        if flag == "--max-length":
            max_length = int(rest.pop(0))
        elif flag == "--closed":
            closed = True
        elif flag == "--count-only":
            count_only = True
        else:
            sys.stderr.write("unknown flag %s\n" % flag)
            return 64
    sys.setrecursionlimit(100000)
    db = read_spmf(path)
    miner = PrefixSpan(db)
    if max_length is not None:
        miner.maxlen = max_length
    started = time.perf_counter()
    results = miner.frequent(minsup, closed=closed)
    elapsed = time.perf_counter() - started
    if count_only:
        sys.stdout.write("%d patterns in %.3f s\n" % (len(results), elapsed))
        return 0
    results.sort(key=lambda pair: pair[1])
    out = sys.stdout
    for support, pattern in results:
        out.write("%d\t%s\n" % (support, " ".join(map(str, pattern))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
