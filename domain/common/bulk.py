"""Set-based writes for the posting hot paths: one statement on PostgreSQL, a portable path elsewhere.

A posting changes a handful of rows of the same table (quants, valuations, order lines, reservations,
accruals). Through the ORM that is one statement per row. On PostgreSQL the same change is one
``UPDATE … FROM unnest($1::bigint[], $2::numeric[], …)`` (or ``INSERT … SELECT … FROM unnest(…)``)
whose text depends only on the table and columns, never on the number of rows, so asyncpg prepares it
once per connection. Other databases (SQLite: the embedded default and the per-test databases) take the
ORM path, one statement per row, with the same result.

Adding to a decimal column is exact on both: PostgreSQL adds ``numeric`` in SQL; SQLite has no decimal type
(``col + ?`` on its text would add binary floats and leave ``-9.99e-16`` behind), so there the row is read,
the sum is taken in Python ``Decimal``, rounded to the column's scale, and written back. The caller's locks
(or SQLite's single writer) keep the read and the write together.

Only plain columns of the few types below are supported: these helpers are for hot paths, not a query
builder. Callers keep their own locking rules (the rows written here are already locked or serialised by
the SKU lock of the posting).
"""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise import fields
from tortoise.expressions import F
from tortoise.models import Model

from domain.common import deferred
from domain.common.dialect import is_postgres

# Most specific first: BigIntField is an IntField.
_PG_TYPES: tuple[tuple[type[fields.Field[Any]], str], ...] = (
    (fields.BigIntField, "bigint"),
    (fields.IntField, "integer"),
    (fields.DecimalField, "numeric"),
    (fields.CharField, "text"),
    (fields.TextField, "text"),
    (fields.JSONField, "jsonb"),
    (fields.BooleanField, "boolean"),
    (fields.DatetimeField, "timestamptz"),
    (fields.DateField, "date"),
)


def _column(model: type[Model], name: str) -> tuple[str, str]:
    """(database column, PostgreSQL array element type) of a model field given by its Python name."""
    meta = model._meta
    field = meta.fields_map[name]
    for kind, sql_type in _PG_TYPES:
        if isinstance(field, kind):
            return meta.fields_db_projection[name], sql_type
    raise TypeError(f"{model.__name__}.{name}: {type(field).__name__} is not supported here")


async def update_rows(
    model: type[Model],
    key: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, Sequence[Any]]],
    *,
    add: bool = False,
) -> None:
    """For each ``(key value, column values)`` row, sets ``columns`` to the values, or adds the values to
    them when ``add`` (``quantity = quantity + delta``: right whatever the row holds now)."""
    if not rows:
        return
    if not is_postgres():
        for k, values in rows:
            change = dict(zip(columns, values, strict=True))
            if add:
                await add_to(model, {key: k}, change)
            else:
                await model.filter(**{key: k}).update(**change)
        return
    table = model._meta.db_table
    key_col, key_type = _column(model, key)
    cols = [_column(model, c) for c in columns]
    names = [f"c{i}" for i in range(len(cols))]
    sets = ", ".join(
        f'"{col}" = t."{col}" + v.{n}' if add else f'"{col}" = v.{n}'
        for (col, _), n in zip(cols, names, strict=True)
    )
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate([(key_col, key_type), *cols]))
    sql = (
        f'UPDATE "{table}" AS t SET {sets} FROM unnest({arrays}) AS v(k, {", ".join(names)}) '
        f'WHERE t."{key_col}" = v.k'
    )
    params: list[list[Any]] = [[_plain(k) for k, _ in rows]]
    params += [[_plain(values[i]) for _, values in rows] for i in range(len(cols))]
    if deferred.active():
        await deferred.queue(deferred.Write((sql,), tuple(params), table, (key_col, frozenset(params[0]))))
        return
    await model._meta.db.execute_query(sql, params)


async def add_to(model: type[Model], filters: Mapping[str, Any], deltas: Mapping[str, Any]) -> None:
    """``col = col + delta`` for each column of ``deltas`` on the rows matching ``filters``, exactly: in SQL
    on PostgreSQL, in Python ``Decimal`` at the column's scale elsewhere (see the module's docstring)."""
    if not deltas:
        return
    if is_postgres():
        await model.filter(**filters).update(**{c: F(c) + d for c, d in deltas.items()})
        return
    pk = model._meta.pk_attr
    for row in await model.filter(**filters).values(pk, *deltas):
        await model.filter(**{pk: row[pk]}).update(
            **{c: exact(model, c, _decimal(row[c]) + _decimal(d)) for c, d in deltas.items()}
        )


def exact(model: type[Model], column: str, value: Any) -> Any:
    """``value`` rounded to the scale of a decimal column (other columns: unchanged)."""
    field = model._meta.fields_map[column]
    if not isinstance(field, fields.DecimalField):
        return value
    return _decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places), rounding=ROUND_HALF_UP)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value if value is not None else 0))


async def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Inserts rows of plain column values (every non-null column without a database default must be
    given, ``auto_now_add`` included); returns the ``returning`` columns of the new rows, in no promised
    order (match them back on a unique key). Other databases: ``Model.create`` per row."""
    if not rows:
        return []
    if not is_postgres():
        out = []
        for values in rows:
            obj = await model.create(**dict(zip(columns, values, strict=True)))
            out.append({c: getattr(obj, c) for c in returning})
        return out
    table = model._meta.db_table
    cols = [_column(model, c) for c in columns]
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate(cols))
    names = ", ".join(f'"{c}"' for c, _ in cols)
    sql = f'INSERT INTO "{table}" ({names}) SELECT * FROM unnest({arrays})'
    if returning:
        sql += " RETURNING " + ", ".join(f'"{_column(model, c)[0]}" AS "{c}"' for c in returning)
    params = [[_plain(values[i]) for values in rows] for i in range(len(cols))]
    # execute_query_dict, not execute_query: Tortoise's asyncpg client drops the rows of an INSERT.
    return await model._meta.db.execute_query_dict(sql, params)


async def insert_or_add(
    model: type[Model],
    key: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, Sequence[Any]]],
    also: Mapping[str, Any],
) -> None:
    """PostgreSQL only: for each ``(key value, column values)`` row, inserts it (with the constant column
    values ``also``) or, when a row of that key exists (``key`` must be unique), adds the values to its
    ``columns``: one ``INSERT … ON CONFLICT … DO UPDATE`` where the ORM reads which keys exist, inserts the
    missing and updates the others. Callers keep the ORM path for other databases and hold the locks that
    keep two postings from creating the same key."""
    if not rows:
        return
    table = model._meta.db_table
    key_col, key_type = _column(model, key)
    cols = [_column(model, c) for c in columns]
    extra = [(*_column(model, c), v) for c, v in also.items()]
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate([(key_col, key_type), *cols]))
    consts = "".join(f", ${len(cols) + 2 + i}::{t}" for i, (_, t, _) in enumerate(extra))
    names = ", ".join(f'"{c}"' for c in [key_col, *(c for c, _ in cols), *(c for c, _, _ in extra)])
    sets = ", ".join(f'"{c}" = t."{c}" + EXCLUDED."{c}"' for c, _ in cols)
    sql = (
        f'INSERT INTO "{table}" AS t ({names}) SELECT v.*{consts} '
        f'FROM unnest({arrays}) AS v ON CONFLICT ("{key_col}") DO UPDATE SET {sets}'
    )
    params: list[Any] = [[_plain(k) for k, _ in rows]]
    params += [[_plain(values[i]) for _, values in rows] for i in range(len(cols))]
    params += [_plain(v) for _, _, v in extra]
    if deferred.active():
        await deferred.queue(deferred.Write((sql,), tuple(params), table, (key_col, frozenset(params[0]))))
        return
    await model._meta.db.execute_query(sql, params)


def _insert_columns(model: type[Model]) -> list[tuple[str, str, str]]:
    """(field name, database column, array type) of every column an insert of ``model`` writes: all
    but a database-generated primary key. JSON goes as text and is cast per element (``jsonb[]`` would
    need asyncpg's codec per element)."""
    meta = model._meta
    out = []
    for name in meta.fields_db_projection:
        field = meta.fields_map[name]
        if field.pk and field.generated:
            continue
        col, sql_type = _column(model, name)
        out.append((name, col, sql_type))
    return out


async def insert_models(objs: Sequence[Model], *, number: str = "") -> None:
    """Inserts unsaved model instances of one model, every column as ``Model.save`` would write it
    (``to_db_value``: defaults, ``auto_now_add``, JSON encoding), in one statement on PostgreSQL.

    Why not ``bulk_create`` / ``create``: on the posting hot path (issue 15) Tortoise spends ~0.3–0.6 ms
    of Python per statement building it and converting each row; the text here depends only on the
    model, so asyncpg prepares it once per connection and the rows go as one array per column.

    A single object gets its id back (``RETURNING``), and with ``number`` (a document prefix such as
    ``"GR"``) also the ``number`` column ``document_number(prefix, id)`` in the same statement: the id is
    drawn from the table's sequence first, which is what the ORM path's insert and then ``UPDATE …
    number`` would give. Several objects do not get ids (as ``bulk_create`` on PostgreSQL).
    Other databases (SQLite): ``bulk_create``, or ``save`` and the number for one object."""
    if not objs:
        return
    model = type(objs[0])
    if not is_postgres():
        if len(objs) > 1:
            await model.bulk_create(list(objs))
            return
        await objs[0].save()
        if number:
            setattr(objs[0], "number", f"{number}{objs[0].pk:08d}")  # noqa: B010 (not every Model has it)
            await objs[0].save(update_fields=["number"])
        return
    meta = model._meta
    cols = [c for c in _insert_columns(model) if not (number and c[0] == "number")]
    params = [
        [_plain(meta.fields_map[name].to_db_value(getattr(o, name), o)) for o in objs] for name, _, _ in cols
    ]
    arrays = ", ".join(f"${i + 1}::{'text' if t == 'jsonb' else t}[]" for i, (_, _, t) in enumerate(cols))
    values = ", ".join(f"v.c{i}::jsonb" if t == "jsonb" else f"v.c{i}" for i, (_, _, t) in enumerate(cols))
    names = ", ".join(f'"{c}"' for _, c, _ in cols)
    aliases = ", ".join(f"c{i}" for i in range(len(cols)))
    table = meta.db_table
    pk = meta.db_pk_column
    source = f"unnest({arrays}) AS v({aliases})"
    if number:
        if len(objs) != 1:
            raise ValueError("insert_models: a document number is for one object")
        # f"{prefix}{id:08d}" in SQL: at least eight digits, more when the id has more.
        sql = (
            f"WITH n AS (SELECT nextval(pg_get_serial_sequence('{table}', '{pk}')) AS id) "
            f'INSERT INTO "{table}" ("{pk}", "number", {names}) '
            f"SELECT n.id, ${len(cols) + 1}::text || lpad(n.id::text, greatest(8, length(n.id::text)), '0'), "
            f'{values} FROM n, {source} RETURNING "{pk}" AS id, "number"'
        )
        params.append(number)  # type: ignore[arg-type]
    else:
        sql = f'INSERT INTO "{table}" ({names}) SELECT {values} FROM {source}'
        if deferred.active():  # no id back: the batch's callers do not use it (``deferred``)
            await deferred.queue(deferred.Write((sql,), tuple(params), table))
            return
        if len(objs) == 1 and meta.pk.generated:
            sql += f' RETURNING "{pk}" AS id'
    rows = await model._meta.db.execute_query_dict(sql, params)
    if len(objs) == 1 and rows:
        obj = objs[0]
        obj.pk = rows[0]["id"]
        if number:
            setattr(obj, "number", rows[0]["number"])  # noqa: B010 (not every Model has it)
        obj._saved_in_db = True


async def insert_with_children(parent: Model, children: Sequence[Model], fk: str) -> None:
    """Inserts ``parent`` and its ``children`` (instances of one model whose ``fk`` column is to point at
    the parent, left unset by the caller); the parent gets its id, the children their ``fk``.

    On PostgreSQL one statement, ``WITH p AS (INSERT … RETURNING id) INSERT … SELECT p.id, … FROM p,
    unnest(…)`` (issue 15: a journal entry and its lines were two round trips; the round trip, not the
    Python, is most of a statement's cost on a loaded machine). Elsewhere two inserts as ``insert_models``.
    ``tests/integration/inventory/test_bulk_insert_models.py`` pins the rows to the ORM's."""
    if not is_postgres() or not children:
        await insert_models([parent])
        for c in children:
            setattr(c, fk, parent.pk)
        await insert_models(children)
        return
    pmeta, cmeta = parent._meta, children[0]._meta
    p_cols = _insert_columns(type(parent))
    c_cols = [c for c in _insert_columns(type(children[0])) if c[0] != fk]
    params: list[Any] = [
        _plain(pmeta.fields_map[n].to_db_value(getattr(parent, n), parent)) for n, _, _ in p_cols
    ]
    params += [
        [_plain(cmeta.fields_map[n].to_db_value(getattr(o, n), o)) for o in children] for n, _, _ in c_cols
    ]
    p_names = ", ".join(f'"{c}"' for _, c, _ in p_cols)
    p_values = ", ".join(
        f"${i + 1}::text::jsonb" if t == "jsonb" else f"${i + 1}::{t}" for i, (_, _, t) in enumerate(p_cols)
    )
    base = len(p_cols)
    c_names = ", ".join(f'"{c}"' for _, c, _ in c_cols)
    arrays = ", ".join(
        f"${base + i + 1}::{'text' if t == 'jsonb' else t}[]" for i, (_, _, t) in enumerate(c_cols)
    )
    c_values = ", ".join(
        f"v.c{i}::jsonb" if t == "jsonb" else f"v.c{i}" for i, (_, _, t) in enumerate(c_cols)
    )
    aliases = ", ".join(f"c{i}" for i in range(len(c_cols)))
    fk_col = cmeta.fields_db_projection[fk]
    head = (
        f'INSERT INTO "{pmeta.db_table}" ({p_names}) VALUES ({p_values}) '
        f'RETURNING "{pmeta.db_pk_column}" AS id'
    )
    tail = (
        f'INSERT INTO "{cmeta.db_table}" ("{fk_col}", {c_names}) '
        f"SELECT {{p0}}.id, {c_values} FROM {{p0}}, unnest({arrays}) AS v({aliases})"
    )
    if deferred.active():  # the parent gets no id: the batch's callers do not use it (``deferred``)
        await deferred.queue(
            deferred.Write((head, tail), tuple(params), pmeta.db_table, also=(cmeta.db_table,))
        )
        return
    sql = f'WITH p AS ({head}) {tail.replace("{p0}", "p")} RETURNING "{fk_col}" AS id'
    rows = await pmeta.db.execute_query_dict(sql, params)
    parent.pk = rows[0]["id"]
    parent._saved_in_db = True
    for c in children:
        setattr(c, fk, parent.pk)


async def insert_document(obj: Model, prefix: str) -> str:
    """Inserts one document with its number ``document_number(prefix, id)``; returns the number."""
    await insert_models([obj], number=prefix)
    return str(obj.number)  # type: ignore[attr-defined]


def _plain(value: Any) -> Any:
    # A StrEnum (our statuses) goes to asyncpg as its plain text.
    return str(value) if isinstance(value, str) and type(value) is not str else value
