#!/usr/bin/env python3
"""Server time of the two forms of duban's array insert, interleaved in one session.

    python3 services/bench/scripts/insert_forms.py > /tmp/forms.sql
    psql -h 127.0.0.1 -U postgres -d test -f /tmp/forms.sql 2>&1 \
      | python3 services/bench/scripts/insert_forms.py --summarise

Form `from` unnests the event arrays in FROM (a function scan, which copies every row
into a tuplestore before the insert reads it); form `select` unnests them in the select
list (a ProjectSet, rows streamed). Both insert the same kind of rows (events-shaped,
realistic payloads and metadata) into a table with the events table's keys, 500 rows a
statement, 40 statements each, in ABBA order so that drift falls on both. Only the
server's time is compared: psql's \\timing of EXECUTE. The literals are parsed by
array_in (duban's binds go through array_recv), the same for both forms.
"""

import json
import random
import statistics
import sys
import uuid

ROWS = 500
ROUNDS = 40
COLS = ("position, stream_id, stream_type, stream_version, event_id, event_type, "
        "schema_version, payload, metadata, recorded_at, prev_hash, hash")
TYPES = ("bigint[],text[],text[],bigint[],uuid[],text[],int4[],text[],text[],"
         "timestamptz[],text[],text[]")
SELECT = ("u.position,u.stream_id,u.stream_type,u.stream_version,u.event_id,u.event_type,"
          "u.schema_version,u.payload::json,u.metadata::json,u.recorded_at,u.prev_hash,u.hash")
FROM_FORM = f"FROM UNNEST($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) AS u({COLS})"
SELECT_FORM = "FROM (SELECT " + ", ".join(
    f"unnest(${i + 1}) AS {c.strip()}" for i, c in enumerate(COLS.split(","))) + ") AS u"


def literal(values):
    quoted = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "'{" + ",".join(quoted) + "}'"


def script():
    random.seed(7)
    out = [
        "\\set QUIET on",
        "DROP TABLE IF EXISTS forms_ev;",
        "CREATE TABLE forms_ev (position BIGINT PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_type TEXT NOT NULL, stream_version BIGINT NOT NULL, event_id UUID NOT NULL "
        "UNIQUE, event_type TEXT NOT NULL, schema_version INTEGER NOT NULL, payload JSON NOT "
        "NULL, metadata JSON NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, prev_hash TEXT NOT "
        "NULL, hash TEXT NOT NULL, UNIQUE (stream_id, stream_version));",
        f"PREPARE from_form({TYPES}) AS INSERT INTO forms_ev ({COLS}) SELECT {SELECT} {FROM_FORM};",
        f"PREPARE select_form({TYPES}) AS INSERT INTO forms_ev ({COLS}) SELECT {SELECT} "
        f"{SELECT_FORM};",
        "\\timing on",
    ]
    streams = [f"task-{uuid.uuid4()}" for _ in range(2000)]
    versions = {}
    position = 1
    for r in range(2 * ROUNDS):
        rows = []
        for _ in range(ROWS):
            s = random.choice(streams)
            versions[s] = versions.get(s, 0) + 1
            payload = {"note": "第12次调度：已完成45%，场地改造按计划推进",
                       "percent": random.randint(0, 100), "department": str(uuid.uuid4())}
            meta = {"actor": "bench office", "role": "OFFICE",
                    "correlation_id": str(uuid.uuid4())}
            rows.append((position, s, "task", versions[s], uuid.uuid4(), "ProgressReported", 2,
                         json.dumps(payload, ensure_ascii=False), json.dumps(meta),
                         "2025-07-01T01:00:00Z", "0" * 64, f"{position:064x}"))
            position += 1
        form = "from" if (r % 2 == 0) != (r // 2 % 2 == 1) else "select"
        args = ",".join(literal(row[k] for row in rows) for k in range(12))
        out += [f"\\echo {form}", f"EXECUTE {form}_form({args});"]
    out.append("DROP TABLE forms_ev;")
    return "\n".join(out) + "\n"


def summarise(lines):
    times, form = {"from": [], "select": []}, None
    for line in lines:
        line = line.strip()
        if line in times:
            form = line
        elif line.startswith("Time:") and form:
            times[form].append(float(line.split()[1]))
            form = None
    for name, t in times.items():
        print(f"{name:7} n={len(t)} median {statistics.median(t):.2f} ms "
              f"mean {statistics.mean(t):.2f} min {min(t):.2f}")


if __name__ == "__main__":
    if "--summarise" in sys.argv:
        summarise(sys.stdin)
    else:
        sys.stdout.write(script())
