"""Bulk inserts with their history, for the use cases that write thousands of rows at once (a school's exam
decisions, a grade import).

`create_with_history(objs, model, user=..., reason=...)` writes the same rows and the same history rows
(django-simple-history: who, when, '+') as simple_history's `bulk_create_with_history`, and leaves the
objects as `bulk_create` does (primary keys set, auto_now(_add) fields filled, saved state). On
PostgreSQL it uses `COPY ... FROM STDIN`: Django 5.2's bulk insert there sends every column as one array
(`UNNEST(%s::jsonb[], ...)`) and psycopg escapes each `"` of a JSON value in that array with a Python-level
regular-expression substitution, which made the JSON-heavy exam decisions cost more to write than to
decide (bench/README.md). COPY sends each value once in PostgreSQL's text format (escaped in C), and a
JSON value is serialised once for the row and its history row. The primary keys come from the table's
own sequence first, so the objects know them. On other databases (SQLite) it is
`bulk_create_with_history` itself.

Like `bulk_create`, no model signals are sent and `save()` is not called: callers use it where the
service itself is the one write path and checks every rule before writing (see the callers).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from functools import cache, partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object

#: the columns simple_history adds to a historical table (history_id is left to its sequence)
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def chunks(values: Sequence, size: int = 1000):
    """`values` in slices of at most `size`: the IN lists of the bulk reads (one query per thousand keys)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _history_model(model):
    from simple_history.utils import get_history_manager_for_model

    return get_history_manager_for_model(model).model


def _copy_supported(model, history) -> bool:
    if connection.vendor != "postgresql":
        return False
    tracked = {f.attname for f in history.tracked_fields}
    extra = {f.attname for f in history._meta.concrete_fields} - tracked - {"history_id", *_HISTORY_COLUMNS}
    # a custom historical field (history_relation, extra attributes) would need its own value: use simple_history
    return not extra and not hasattr(history, "history_relation")


def _json_as_text(value):
    """A prepared value for COPY: JSON (psycopg's Json/Jsonb wrapper, as Django's JSONField prepares it) as
    its text, so it is serialised once for the row and its history row."""
    if isinstance(value, _json_wrappers()):
        return (value.dumps or json.dumps)(value.obj)
    return value


@cache
def _json_wrappers() -> tuple[type, ...]:
    from psycopg.types.json import Json, Jsonb

    return Json, Jsonb


#: Python types PostgreSQL takes as they are for a field (Django's get_db_prep_save returns them unchanged on
#: PostgreSQL): they skip it, which is most of the cost of preparing a row
_AS_IS = {
    "AutoField": (int,), "BigAutoField": (int,), "SmallAutoField": (int,), "IntegerField": (int,),
    "BigIntegerField": (int,), "SmallIntegerField": (int,), "PositiveIntegerField": (int,),
    "PositiveBigIntegerField": (int,), "PositiveSmallIntegerField": (int,), "CharField": (str,),
    "TextField": (str,), "BooleanField": (bool,), "DecimalField": (Decimal,), "DateField": (dt.date,),
}


def _preparer(field):
    """value -> what COPY writes for `field`: JSON straight to its text (what JSONField.get_db_prep_save
    and psycopg's Jsonb would send), a value of a type PostgreSQL takes as it is unchanged, everything else
    through the field's get_db_prep_save."""
    def generic(value):
        return _json_as_text(field.get_db_prep_save(value, connection))

    if isinstance(field, JSONField) and type(field).get_db_prep_save is JSONField.get_db_prep_save \
            and type(field).get_db_prep_value is JSONField.get_db_prep_value:
        dumps = partial(json.dumps, cls=field.encoder) if field.encoder else json.dumps

        def prepare_json(value, null=field.null):
            if hasattr(value, "resolve_expression"):
                return generic(value)
            return None if value is None and null else dumps(value)
        return prepare_json
    target = field.target_field if field.is_relation else field
    if not type(target).__module__.startswith("django.db.models."):  # a custom field prepares its own values
        return generic
    as_is = _AS_IS.get(target.get_internal_type())
    if target.get_internal_type() == "DateTimeField":
        def prepare_datetime(value):
            return value if type(value) is dt.datetime and value.tzinfo is not None else generic(value)
        return prepare_datetime
    if as_is is None:
        return generic
    types = (*as_is, type(None)) if field.null else as_is

    def prepare(value):
        return value if type(value) in types else generic(value)
    return prepare


def _copy(table: str, columns: Sequence[str], rows) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _write_history(objs: list, rows: list, fields: list, history, history_type: str, user, reason) -> None:
    """The history rows of `objs`, whose prepared column values (in `fields` order) are `rows`."""
    tracked = [f.attname for f in history.tracked_fields]
    position = {f.attname: i for i, f in enumerate(fields)}
    now = timezone.now()
    history_rows = []
    for obj, row in zip(objs, rows, strict=True):
        who = getattr(obj, "_history_user", user or history.get_default_history_user(obj))
        history_rows.append([*(row[position[a]] for a in tracked), getattr(obj, "_history_date", now),
                             get_change_reason_from_object(obj) or reason, history_type,
                             who.pk if who is not None else None])
    _copy(history._meta.db_table,
          [*(history._meta.get_field(f.name).column for f in history.tracked_fields),
           *(history._meta.get_field(a).column for a in _HISTORY_COLUMNS)], history_rows)


def _prepared(obj, fields: list, preparers: list, add: bool) -> list:
    return [prepare(f.pre_save(obj, add)) for f, prepare in zip(fields, preparers, strict=True)]


def create_with_history(objs: list, model, *, user=None, reason: str | None = None, batch_size: int = 500) -> list:
    """Insert `objs` (new instances of `model`) and a '+' history row for each; returns `objs` with their pks.

    `user` is the history user of objects without their own `_history_user` (None: simple_history's default,
    the request's user when there is one); `reason` the change reason of objects without their own."""
    if not objs:
        return objs
    history = _history_model(model)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not _copy_supported(model, history):
        return bulk_create_with_history(objs, model, batch_size=batch_size, default_user=user,
                                        default_change_reason=reason)
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.generated]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if any(obj.pk is None for obj in objs):
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [opts.db_table, opts.pk.column, sum(obj.pk is None for obj in objs)])
            ids = iter([row[0] for row in cursor.fetchall()])
            for obj in objs:
                if obj.pk is None:
                    obj.pk = next(ids)
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
        preparers = [_preparer(f) for f in fields]
        rows = [_prepared(obj, fields, preparers, True) for obj in objs]
        _copy(opts.db_table, [f.column for f in fields], rows)
        _write_history(objs, rows, fields, history, "+", user, reason)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update_with_history(objs: list, model, fields: Sequence[str], *, user=None, reason: str | None = None,
                        batch_size: int = 500) -> int:
    """`bulk_update(objs, fields)` and a '~' history row for each object (with all its tracked values, as
    simple_history's `bulk_update_with_history` writes them); the history rows by COPY on PostgreSQL."""
    from simple_history.utils import bulk_update_with_history

    if not objs:
        return 0
    history = _history_model(model)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not _copy_supported(model, history):
        return bulk_update_with_history(objs, model, list(fields), batch_size=batch_size, default_user=user,
                                        default_change_reason=reason)
    opts = model._meta
    concrete = [f for f in opts.concrete_fields if not f.generated]
    changed = [opts.get_field(name) for name in fields]
    with transaction.atomic(savepoint=False):
        # per column: its preparer, and whether it is written (pre_save: auto_now) or only copied to the history
        columns = [(f, _preparer(f), f in changed) for f in concrete]
        rows = [[prepare(f.pre_save(obj, False) if written else getattr(obj, f.attname))
                 for f, prepare, written in columns] for obj in objs]
        updated = _copy_update(opts, concrete, changed, rows)
        _write_history(objs, rows, concrete, history, "~", user, reason)
    return updated


def _copy_update(opts, concrete: list, changed: list, rows: list) -> int:
    """UPDATE the `changed` columns of the rows (full rows in `concrete` order) from a temporary table filled
    by COPY: one statement, where bulk_update builds a CASE WHEN per column over every primary key."""
    quote = connection.ops.quote_name
    position = {f.column: i for i, f in enumerate(concrete)}
    columns = [opts.pk.column, *(f.column for f in changed if f.column != opts.pk.column)]
    temp = f"maatwerk_update_{opts.db_table}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {quote(temp)} ON COMMIT DROP AS SELECT "  # noqa: S608 - names
                       f"{', '.join(quote(c) for c in columns)} FROM {quote(opts.db_table)} WITH NO DATA")  # of the model
        _copy(temp, columns, ([row[position[c]] for c in columns] for row in rows))
        assignments = ", ".join(f"{quote(c)} = t.{quote(c)}" for c in columns[1:])
        cursor.execute(f"UPDATE {quote(opts.db_table)} AS m SET {assignments} FROM {quote(temp)} AS t "  # noqa: S608
                       f"WHERE m.{quote(opts.pk.column)} = t.{quote(opts.pk.column)}")
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {quote(temp)}")
    return updated
