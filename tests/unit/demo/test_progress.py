"""The seed's progress bar: in place on a terminal, one line per tenth elsewhere."""

import io

from lotline.demo.progress import TITLE, Bar


def seconds(*values: float):
    it = iter(values)
    return lambda: next(it)


def test_on_a_terminal_the_bar_is_redrawn_in_place_once_per_percent_and_ends_with_a_newline() -> None:
    out = io.StringIO()
    bar = Bar(out, width=10, tty=True, clock=seconds(0, 1, 2, 3, 4))

    bar(0, 200, "主数据 master data")
    bar(1, 200, "2026-01-01")  # still 0 %: not redrawn
    bar(100, 200, "2026-04-10")
    bar(200, 200, "完成 done")

    frames = out.getvalue().split("\r")[1:]
    assert frames == [
        f"{TITLE} [..........]   0%  0/200  主数据 master data  1 s",
        f"{TITLE} [#####.....]  50%  100/200  2026-04-10  2 s",
        f"{TITLE} [##########] 100%  200/200  完成 done  3 s\n",
    ]


def test_in_a_log_it_writes_one_line_per_tenth() -> None:
    out = io.StringIO()
    bar = Bar(out, width=4, tty=False, clock=lambda: 0.0)

    for done in range(101):
        bar(done, 100, f"step {done}")

    lines = out.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0] == f"{TITLE} [....]   0%  0/100  step 0  0 s"
    assert lines[-1] == f"{TITLE} [####] 100%  100/100  step 100  0 s"
    assert "\r" not in out.getvalue()
