"""Plain ``executemany`` inserts for the import's hot path.

Building a model instance per evidence row and letting the ORM prepare each value costs
several times the write itself; the import writes tens of thousands of rows per file,
so it hands ready tuples to the database driver in one statement, inside the caller's
transaction.  Only for append-only evidence and rebuilt history tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import JSONField, Model


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    json_positions = [i for i, field in enumerate(model_fields) if isinstance(field, JSONField)]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in model_fields)
    placeholders = ", ".join(["%s"] * len(model_fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608

    def prepared():
        for row in rows:
            if json_positions:
                row = list(row)
                for i in json_positions:
                    row[i] = json.dumps(row[i], ensure_ascii=False)
            yield row

    with connection.cursor() as cursor:
        batch: list = []
        for row in prepared():
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def update_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """``UPDATE … SET fields WHERE id = …`` for many rows; each row is (*values, pk)."""
    meta = model._meta
    sets = ", ".join(f"{connection.ops.quote_name(meta.get_field(name).column)} = %s" for name in fields)
    sql = f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))
