"""The sample eFiction archive (../shared/samples/efiction) as the tests need it: its files, and its rows read from
the dump by a reader of its own (Python, independent of Quire's), so counts in Quire's report are checked against
the source, not against themselves."""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CANDIDATES = [os.path.join(ROOT, "..", "shared", "samples", "efiction"), "/work/shared/samples/efiction"]
SAMPLE_DIR = next((d for d in CANDIDATES if os.path.isdir(d)), CANDIDATES[0])
DUMP = os.path.join(SAMPLE_DIR, "efiction-sample.sql")
DUMP_FILES = os.path.join(SAMPLE_DIR, "efiction-sample-files.sql")
STORIES_TAR = os.path.join(SAMPLE_DIR, "efiction-sample-stories.tar.gz")


def _values(stmt):
    """The tuples of one INSERT's VALUES, each a list of Python values (str, int or None)."""
    rows, i, n = [], stmt.index("VALUES") + 6, len(stmt)
    while i < n:
        while i < n and stmt[i] in " \n\r\t,":
            i += 1
        if i >= n or stmt[i] != "(":
            break
        i += 1
        row = []
        while True:
            while stmt[i] == " ":
                i += 1
            if stmt[i] == "'":
                i += 1
                out = []
                while stmt[i] != "'":
                    if stmt[i] == "\\":
                        i += 1
                        out.append({"n": "\n", "r": "\r", "t": "\t", "0": ""}.get(stmt[i], stmt[i]))
                    else:
                        out.append(stmt[i])
                    i += 1
                i += 1
                row.append("".join(out))
            else:
                j = i
                while stmt[j] not in ",)":
                    j += 1
                tok = stmt[i:j].strip()
                row.append(None if tok == "NULL" else int(tok) if re.fullmatch(r"-?\d+", tok) else tok)
                i = j
            if stmt[i] == ",":
                i += 1
                continue
            i += 1  # ')'
            break
        rows.append(row)
    return rows


def read_dump(path=DUMP, prefix="fanfiction_"):
    """{table (without the prefix): {"columns": [...], "rows": [[...], ...]}} of an eFiction dump."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        sql = f.read()
    tables = {}
    for m in re.finditer(r"CREATE TABLE `%s(\w+)` \((.*?)\n\) ENGINE" % prefix, sql, re.S):
        cols = re.findall(r"^\s+`(\w+)`", m.group(2), re.M)
        tables[m.group(1)] = {"columns": cols, "rows": []}
    # statements end with ");\n" outside strings; the dump puts each INSERT on its own lines
    for m in re.finditer(r"INSERT INTO `%s(\w+)` VALUES\n?(.*?\));\n" % prefix, sql, re.S):
        t = tables.setdefault(m.group(1), {"columns": [], "rows": []})
        t["rows"] += _values("VALUES" + m.group(2))
    return tables


def rows(tables, name):
    """The rows of a table as dicts."""
    t = tables.get(name, {"columns": [], "rows": []})
    return [dict(zip(t["columns"], r)) for r in t["rows"]]
