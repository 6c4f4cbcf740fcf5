"""Inserting unsaved model instances on the posting hot paths: one statement on PostgreSQL (``bulk``'s
arrays-per-column form), ``save`` / ``bulk_create`` elsewhere. Inside a posting's batch (``deferred``)
the inserts that need nothing back are queued instead of sent.
"""

from collections.abc import Sequence
from typing import Any

from tortoise.models import Model

from domain.common import deferred
from domain.common.bulk import pg_column, plain
from domain.common.dialect import is_postgres


def _insert_columns(model: type[Model], with_pk: bool = False) -> list[tuple[str, str, str]]:
    """(field name, database column, array type) of every column an insert of ``model`` writes: all
    but a database-generated primary key (unless ``with_pk``: ids already drawn from its sequence). JSON
    goes as text and is cast per element (``jsonb[]`` would need asyncpg's codec per element)."""
    meta = model._meta
    out = []
    for name in meta.fields_db_projection:
        field = meta.fields_map[name]
        if field.pk and field.generated and not with_pk:
            continue
        col, sql_type = pg_column(model, name)
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
    number`` would give. Several objects do not get ids (as ``bulk_create`` on PostgreSQL). Objects that
    all have their id already (drawn from the table's sequence by an earlier statement) are inserted with
    it and need nothing back. Other databases (SQLite): ``bulk_create``, or ``save`` and the number for
    one object."""
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
    drawn = meta.pk.generated and not number and all(o.pk is not None for o in objs)
    cols = [c for c in _insert_columns(model, drawn) if not (number and c[0] == "number")]
    params = [
        [plain(meta.fields_map[name].to_db_value(getattr(o, name), o)) for o in objs] for name, _, _ in cols
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
            if drawn:  # rows may point at them (their ids are known); the batch writes them before commit
                for o in objs:
                    o._saved_in_db = True
            return
        if len(objs) == 1 and meta.pk.generated and not drawn:
            sql += f' RETURNING "{pk}" AS id'
    rows = await model._meta.db.execute_query_dict(sql, params)
    if drawn:
        for o in objs:
            o._saved_in_db = True
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
        plain(pmeta.fields_map[n].to_db_value(getattr(parent, n), parent)) for n, _, _ in p_cols
    ]
    params += [
        [plain(cmeta.fields_map[n].to_db_value(getattr(o, n), o)) for o in children] for n, _, _ in c_cols
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
    """Inserts one document with its number ``document_number(prefix, id)``; returns the number.

    A document whose id was drawn already (PostgreSQL: ``catalog.order_lines.locked_order_lines``) has its
    number known here, so its insert needs nothing back and waits in the posting's batch (issue 15)."""
    if obj.pk is not None and is_postgres():
        # services.document_number's format (services imports this module, not the other way round).
        setattr(obj, "number", f"{prefix}{obj.pk:08d}")  # noqa: B010 (not every Model has it)
        await insert_models([obj])
    else:
        await insert_models([obj], number=prefix)
    return str(obj.number)  # type: ignore[attr-defined]
