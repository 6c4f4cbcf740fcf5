"""Seeding the demo reports its progress step by step, from 0 to the total, ending with "done"."""

from datetime import UTC, datetime

from tortoise.context import TortoiseContext

from lotline.demo.seed import seed_demo

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


async def test_the_seed_reports_every_step_in_order(sqlite_db: TortoiseContext) -> None:
    calls: list[tuple[int, int, str]] = []

    await seed_demo(NOW, weeks=1, progress=lambda done, total, what: calls.append((done, total, what)))

    days = 7  # steps: master data, each day, the open documents
    assert [done for done, _, _ in calls] == [*range(days + 2), days + 2]
    assert {total for _, total, _ in calls} == {days + 2}
    assert calls[0][2] == calls[1][2] == "主数据 master data"
    assert [what for _, _, what in calls[2:-1]] == [f"2026-02-{d:02d}" for d in range(23, 29)] + [
        "2026-03-01"
    ]
    assert calls[-1][2] == "完成 done"
