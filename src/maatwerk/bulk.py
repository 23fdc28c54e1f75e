"""Bulk inserts with their history, for the use cases that write thousands of rows at once (a school's exam
decisions, a grade import).

`create_with_history(objs, model, user=..., reason=...)` writes the same rows and the same history rows
(django-simple-history: who, when, '+') as simple_history's `bulk_create_with_history`, and leaves the
objects as `bulk_create` does (primary keys set, auto_now(_add) fields filled, saved state). On
PostgreSQL it uses `COPY ... FROM STDIN`: Django 5.2's bulk insert there sends every column as one array
(`UNNEST(%s::jsonb[], ...)`) and psycopg escapes each `"` of a JSON value in that array with a Python-level
regular-expression substitution, which made the JSON-heavy exam decisions cost more to write than to
decide (bench/README.md). COPY sends each value once in PostgreSQL's text format (escaped in C); the values
are prepared column by column, so a column of plain values is checked in C, not per value in Python. The
'+' history rows are then copied inside the database from the rows just written (INSERT ... SELECT), so
nothing is sent twice. The primary keys come from the table's own sequence first, so the objects know them.
`update_with_history` writes the named columns from a temporary table filled by COPY, and its '~' history
rows by COPY from the objects (as simple_history does). On other databases (SQLite) they are
`bulk_create_with_history` and `bulk_update_with_history` themselves.

Like `bulk_create`, no model signals are sent and `save()` is not called: callers use it where the
service itself is the one write path and checks every rule before writing (see the callers).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from functools import cache, partial
from operator import attrgetter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Field, JSONField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object

#: the columns simple_history adds to a historical table (history_id is left to its sequence)
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")
_UNSET = object()


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
    """values -> what COPY writes for them in `field`'s column (a list, or `values` itself): JSON straight to
    its text (what JSONField.get_db_prep_save and psycopg's Jsonb would send); a column whose every value has a
    type PostgreSQL takes as it is passes unchanged, checked per column in C (`set(map(type, ...))`), not per
    value in Python: that was most of the cost of writing a hundred thousand rows; anything else through the
    field's get_db_prep_save."""
    def generic(value):
        return _json_as_text(field.get_db_prep_save(value, connection))

    if isinstance(field, JSONField) and type(field).get_db_prep_save is JSONField.get_db_prep_save \
            and type(field).get_db_prep_value is JSONField.get_db_prep_value:
        dumps = partial(json.dumps, cls=field.encoder) if field.encoder else json.dumps

        def prepare_json(values, null=field.null):
            return ["{}" if type(v) is dict and not v else  # most rows hold an empty object: no encoder call
                    generic(v) if hasattr(v, "resolve_expression") else None if v is None and null else dumps(v)
                    for v in values]
        return prepare_json
    target = field.target_field if field.is_relation else field
    if not type(target).__module__.startswith("django.db.models."):  # a custom field prepares its own values
        return lambda values: [generic(v) for v in values]
    if target.get_internal_type() == "DateTimeField":
        def prepare_datetime(values):
            if set(map(type, values)) <= {dt.datetime} and None not in map(attrgetter("tzinfo"), values):
                return values
            return [v if type(v) is dt.datetime and v.tzinfo is not None else generic(v) for v in values]
        return prepare_datetime
    as_is = _AS_IS.get(target.get_internal_type())
    if as_is is None:
        return lambda values: [generic(v) for v in values]
    types = {*as_is, type(None)} if field.null else set(as_is)

    def prepare(values):
        return values if set(map(type, values)) <= types else [v if type(v) in types else generic(v) for v in values]
    return prepare


def _column(objs: list, field, add: bool) -> list:
    """The values of `field` of every object as `pre_save` gives them on an insert (`add`: auto_now and
    auto_now_add set the object's value, as save() and bulk_create do), as the objects hold them on an update
    (as bulk_update writes them: a caller that wants auto_now there sets the value)."""
    plain = type(field).pre_save is Field.pre_save or (
        isinstance(field, DateField) and type(field).__module__.startswith("django.db.models.")
        and not field.auto_now and not (add and field.auto_now_add))
    if plain or not add:
        return list(map(attrgetter(field.attname), objs))
    if type(field) in (DateField, DateTimeField):  # auto_now(_add): what pre_save sets, once for the batch
        value = timezone.now() if type(field) is DateTimeField else dt.date.today()
        for obj in objs:
            setattr(obj, field.attname, value)
        return [value] * len(objs)
    return [field.pre_save(obj, add) for obj in objs]


def _columns(objs: list, fields: list, add: bool) -> list[list]:
    """The prepared values of `objs` for COPY, a list per column in `fields` order (a row is `zip(*columns)`)."""
    return [_preparer(f)(_column(objs, f, add)) for f in fields]


def _copy(table: str, columns: Sequence[str], rows) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _history_of(objs: list, history, user, reason) -> tuple[list, list, list]:
    """Per object its history user's pk, history date and change reason, as simple_history takes them: the
    object's own (`_history_user`, even None; `_history_date`; `_change_reason`), else `user` (or the default
    user) and `reason`."""
    now = timezone.now()
    users, dates, reasons = [], [], []
    for obj in objs:
        who = getattr(obj, "_history_user", _UNSET)
        if who is _UNSET:
            who = user or history.get_default_history_user(obj)
        users.append(who.pk if who is not None else None)
        dates.append(getattr(obj, "_history_date", now))
        reasons.append(get_change_reason_from_object(obj) or reason)
    return users, dates, reasons


def _history_columns(history) -> list[str]:
    """A historical table's columns in the order the history rows are written: the tracked fields, then
    _HISTORY_COLUMNS."""
    return [*(history._meta.get_field(f.name).column for f in history.tracked_fields),
            *(history._meta.get_field(a).column for a in _HISTORY_COLUMNS)]


def _write_history(objs: list, columns: list, fields: list, history, history_type: str, user, reason) -> None:
    """The history rows of `objs`, whose prepared values per column (in `fields` order) are `columns`."""
    position = {f.attname: i for i, f in enumerate(fields)}
    users, dates, reasons = _history_of(objs, history, user, reason)
    tracked = [columns[position[f.attname]] for f in history.tracked_fields]
    _copy(history._meta.db_table, _history_columns(history),
          zip(*tracked, dates, reasons, [history_type] * len(objs), users, strict=True))


def _history_of_inserted(objs: list, opts, history, user, reason) -> None:
    """The '+' history rows of `objs` just inserted, copied inside the database from the rows themselves
    (INSERT ... SELECT, one statement per history user, date and reason): what the table now holds is exactly
    what the objects hold, so the history row equals the row without sending it a second time."""
    quote = connection.ops.quote_name
    groups: dict[tuple, list[int]] = {}
    for pk, *who_when_why in zip((obj.pk for obj in objs), *_history_of(objs, history, user, reason), strict=True):
        groups.setdefault(tuple(who_when_why), []).append(pk)
    into = _history_columns(history)
    select = ", ".join(quote(opts.get_field(f.name).column) for f in history.tracked_fields)
    sql = (f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in into)}) "  # noqa: S608
           f"SELECT {select}, %s, %s, '+', %s FROM {quote(opts.db_table)} "  # the names are the models' own
           f"WHERE {quote(opts.pk.column)} = ANY(%s) ORDER BY {quote(opts.pk.column)}")
    with connection.cursor() as cursor:
        for (user_pk, date, why), pks in groups.items():
            cursor.execute(sql, [date, why, user_pk, pks])


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
        columns = _columns(objs, fields, add=True)
        _copy(opts.db_table, [f.column for f in fields], zip(*columns, strict=True))
        _history_of_inserted(objs, opts, history, user, reason)
    alias = connection.alias  # once: `connection` is a proxy, each attribute a lookup
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
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
        columns = _columns(objs, concrete, add=False)  # every column: the history row holds them all
        updated = _copy_update(opts, concrete, changed, columns)
        _write_history(objs, columns, concrete, history, "~", user, reason)
    return updated


def _copy_update(opts, concrete: list, changed: list, columns: list) -> int:
    """UPDATE the `changed` columns of the rows (`columns` in `concrete` order) from a temporary table filled
    by COPY: one statement, where bulk_update builds a CASE WHEN per column over every primary key."""
    quote = connection.ops.quote_name
    position = {f.column: i for i, f in enumerate(concrete)}
    names = [opts.pk.column, *(f.column for f in changed if f.column != opts.pk.column)]
    temp = f"maatwerk_update_{opts.db_table}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {quote(temp)} ON COMMIT DROP AS SELECT "  # noqa: S608 - names
                       f"{', '.join(quote(c) for c in names)} FROM {quote(opts.db_table)} WITH NO DATA")  # of the model
        _copy(temp, names, zip(*(columns[position[c]] for c in names), strict=True))
        assignments = ", ".join(f"{quote(c)} = t.{quote(c)}" for c in names[1:])
        cursor.execute(f"UPDATE {quote(opts.db_table)} AS m SET {assignments} FROM {quote(temp)} AS t "  # noqa: S608
                       f"WHERE m.{quote(opts.pk.column)} = t.{quote(opts.pk.column)}")
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {quote(temp)}")
    return updated
