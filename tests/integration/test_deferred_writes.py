"""A posting's closing writes sent as one statement (``domain.common.deferred``, issue 15): the rows are
what writing them one by one leaves, a write that depends on a queued one still sees it, a failure leaves
nothing, and the integration suite's guard catches a read of a table with queued writes."""

import logging
import uuid

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common import bulk, bulk_insert, deferred
from domain.common.models import IdempotencyKey
from domain.trace.models import TraceStream


class _Undo(Exception):
    """Raised to roll a test's writes back."""


SCOPE = "test.deferred"


def _key(key: str) -> IdempotencyKey:
    return IdempotencyKey(scope=SCOPE, key=key, fingerprint="", result={})


def _stream() -> str:
    return f"urn:test:deferred:{uuid.uuid4().hex}"


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%s: %s" and isinstance(record.args, tuple):  # Tortoise's "statement: values"
            self.sql.append(str(record.args[0]))


@pytest.fixture
def statements() -> list[str]:
    handler = _Statements()
    log = logging.getLogger("tortoise.db_client")
    level, propagate = log.level, log.propagate
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.addHandler(handler)
    yield handler.sql
    log.removeHandler(handler)
    log.setLevel(level)
    log.propagate = propagate


async def test_queued_writes_go_as_one_statement_at_the_end_of_the_batch(db: object, statements: list[str]):
    a = _stream()
    async with in_transaction(), deferred.batch():
        await bulk_insert.insert_models([TraceStream(stream=a, head_seq=1, head_hash="x")])
        await bulk_insert.insert_models([_key(a)])
        assert deferred.pending_tables() == {"trace_stream", "idempotency_key"}
        assert statements == []  # nothing sent yet
    assert deferred.pending_tables() == frozenset()
    assert len(statements) == 1
    assert statements[0].startswith('WITH w0 AS (INSERT INTO "trace_stream"')
    row = await TraceStream.get(stream=a)
    assert (row.head_seq, row.head_hash) == (1, "x")
    assert await IdempotencyKey.filter(scope=SCOPE, key=a).count() == 1
    await TraceStream.filter(stream=a).delete()
    await IdempotencyKey.filter(scope=SCOPE, key=a).delete()


async def test_a_write_that_depends_on_a_queued_one_sees_it(db: object, statements: list[str]):
    """In one statement an update would not see a row a sibling part inserts, and two updates of one row
    would keep one: such a write sends what is queued first, so the rows are those of one write after
    another."""
    a = _stream()
    try:
        async with in_transaction(), deferred.batch():
            await bulk_insert.insert_models([TraceStream(stream=a, head_seq=1, head_hash="")])
            await bulk.update_rows(
                TraceStream, "stream", ("head_seq",), [(a, (2,))]
            )  # the row inserted above
            await bulk.update_rows(
                TraceStream, "stream", ("head_seq",), [(a, (3,))], add=True
            )  # the same row
            assert len(statements) == 2  # the insert, then the first update: each sent before the next
            await deferred.flush()
            row = await TraceStream.get(stream=a)
            assert row.head_seq == 5
            raise _Undo
    except _Undo:
        pass
    assert not await TraceStream.filter(stream=a).exists()


async def test_independent_updates_of_other_rows_travel_together(db: object, statements: list[str]):
    a, b = _stream(), _stream()
    await bulk_insert.insert_models([TraceStream(stream=a, head_seq=1), TraceStream(stream=b, head_seq=1)])
    statements.clear()
    async with in_transaction(), deferred.batch():
        await bulk.update_rows(TraceStream, "stream", ("head_seq",), [(a, (4,))], add=True)
        await bulk.update_rows(TraceStream, "stream", ("head_seq",), [(b, (6,))], add=True)
    assert len(statements) == 1
    assert {r.stream: r.head_seq for r in await TraceStream.filter(stream__in=[a, b])} == {a: 5, b: 7}
    await TraceStream.filter(stream__in=[a, b]).delete()


async def test_a_failing_part_leaves_nothing_of_the_batch(db: object):
    a = _stream()
    await bulk_insert.insert_models([TraceStream(stream=a, head_seq=1)])

    async def both() -> None:
        async with in_transaction(), deferred.batch():
            await bulk_insert.insert_models([_key(a)])
            await bulk_insert.insert_models([TraceStream(stream=a, head_seq=2)])  # the unique stream, again

    with pytest.raises(IntegrityError, match="trace_stream"):
        await both()
    assert await IdempotencyKey.filter(scope=SCOPE, key=a).count() == 0
    assert (await TraceStream.get(stream=a)).head_seq == 1
    await TraceStream.filter(stream=a).delete()


async def test_the_suites_guard_names_a_read_of_a_queued_table(db: object, queued_reads: list[str]):
    a = _stream()
    try:
        async with in_transaction(), deferred.batch():
            await bulk_insert.insert_models([TraceStream(stream=a, head_seq=1)])
            await TraceStream.filter(stream=a).exists()  # reads what is not written yet
            await IdempotencyKey.filter(scope=SCOPE, key=a).exists()  # another table: fine
            raise _Undo
    except _Undo:
        pass
    assert len(queued_reads) == 1
    assert queued_reads[0].startswith("trace_stream (queued) named by: SELECT")


def test_the_statement_numbers_each_writes_parameters_after_the_ones_before() -> None:
    one = deferred.Write(("INSERT INTO a VALUES ($1, $2)",), (1, 2), "a")
    two = deferred.Write(
        ("INSERT INTO p VALUES ($1) RETURNING id", "INSERT INTO c SELECT {p0}.id, $2 FROM {p0}"), (3, 4), "p"
    )
    sql, params = deferred.statement([one, two])
    assert sql == (
        "WITH w0 AS (INSERT INTO a VALUES ($1, $2)), w1 AS (INSERT INTO p VALUES ($3) RETURNING id), "
        "w2 AS (INSERT INTO c SELECT w1.id, $4 FROM w1) SELECT 1"
    )
    assert params == [1, 2, 3, 4]


async def test_the_guard_names_a_write_that_points_at_a_queued_row(db: object, queued_reads: list[str]):
    """A row written at once that points at a queued one (a quality check for a lot still queued) would
    fail its foreign key, or pass it against another row: the guard names the write, whatever its rows."""
    try:
        async with in_transaction(), deferred.batch():
            # Never sent (the block ends by an exception): only its table counts here.
            await deferred.queue(deferred.Write(("SELECT 1",), (), "batch"))
            conn = connections.get("default")
            await conn.execute_query('UPDATE "quality_check" SET "status" = "status" WHERE false')
            await conn.execute_query('UPDATE "trace_stream" SET "head_seq" = "head_seq" WHERE false')
            raise _Undo
    except _Undo:
        pass
    assert len(queued_reads) == 1
    assert queued_reads[0].startswith("batch (queued) referenced by a write to quality_check:")
