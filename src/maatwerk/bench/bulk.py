"""A bulk writer for generated data: rows as tuples, written per table in large batches.

PostgreSQL: `COPY table (columns) FROM STDIN` through psycopg 3 (the database's own bulk path).
SQLite: `executemany` of one INSERT statement per batch, inside a transaction.

Primary keys are assigned here (from the table's current maximum), so related rows can be built without
reading anything back; `finish()` resets the PostgreSQL sequences afterwards. Tables are flushed in the
order of their foreign keys (parents first): every flush commits, so the database checks each foreign key
against rows that are already there.

This is a benchmark fast path, not a write path of the application: it skips the services (and so the
history tables of django-simple-history, the audit trail) and the model's save(), exactly like
`QuerySet.bulk_create`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

#: The moment every generated timestamp (created_at, computed_at, ...) gets: fixed, so data is deterministic.
NOW = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
BATCH = 20_000


def _sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class Table:
    """The buffered rows of one model (or auto-created through table)."""

    def __init__(self, writer: Writer, model: type[models.Model]):
        self.writer = writer
        self.model = model
        meta = model._meta
        self.fields = list(meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.index = {name: i for i, name in enumerate(self.names)}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.pk_index = self.index[meta.pk.attname]
        template = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = NOW
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif isinstance(f, (models.CharField, models.TextField)):
                value = ""
            else:
                value = None
            if f.attname in self.json:
                value = json.dumps(value)
            template.append(value)
        self.template = template
        self.rows: list[tuple] = []
        self.count = 0
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX({connection.ops.quote_name(meta.pk.column)}) FROM '  # noqa: S608 - names
                           f'{connection.ops.quote_name(meta.db_table)}')
            self.next_pk = (cursor.fetchone()[0] or 0) + 1

    def add(self, **values) -> int:
        """Buffer one row; returns its primary key (assigned here unless given)."""
        row = list(self.template)
        index = self.index
        for name, value in values.items():
            if name in self.json:
                value = json.dumps(value)
            row[index[name]] = value
        pk = values.get(self.names[self.pk_index])
        if pk is None:
            pk = self.next_pk
            row[self.pk_index] = pk
        self.next_pk = max(self.next_pk, pk + 1)
        self.rows.append(tuple(row))
        self.count += 1
        if len(self.rows) >= BATCH:
            self.writer.flush()
        return pk

    def write(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if connection.get_autocommit():
                connection.connection.commit()
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - quoted names
                                   [tuple(_sqlite_value(v) for v in row) for row in rows])


class Writer:
    """All tables of a generation run; flushes them parents first (by their foreign keys)."""

    def __init__(self):
        self.tables: dict[type, Table] = {}

    def __getitem__(self, model) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(self, model)
        return table

    def _ordered(self) -> list[Table]:
        models_ = list(self.tables)
        done: list = []

        def visit(model, path=()):
            if model in done or model in path:
                return
            for f in model._meta.concrete_fields:
                parent = getattr(f, "related_model", None)
                if f.is_relation and parent in self.tables and parent is not model:
                    visit(parent, (*path, model))
            done.append(model)

        for model in models_:
            visit(model)
        return [self.tables[m] for m in done]

    def flush(self) -> None:
        for table in self._ordered():
            table.write()

    def finish(self) -> None:
        """Write what is left, reset the PostgreSQL sequences and refresh the planner's statistics."""
        self.flush()
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables.values()]):
                    cursor.execute(sql)
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def counts(self) -> dict[str, int]:
        return {t.model._meta.label: t.count for t in self.tables.values()}


def database_size() -> int:
    """Bytes the database takes on disk."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return int(pages * cursor.fetchone()[0])


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover
