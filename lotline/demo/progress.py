"""Progress of the demo seed on a terminal: a bar redrawn in place, or counted lines when not a terminal.

``make run`` seeds a year of history on first start (about two minutes on SQLite); without this it sat silent.
A reporter is any ``(done, total, what) -> None``; ``seed_demo`` calls it after each step (master data, each
simulated day, the open documents), ``done`` counting from 0 to ``total``.
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO

Reporter = Callable[[int, int, str], None]
TITLE = "载入演示数据 / seeding demo data"


def silent(done: int, total: int, what: str) -> None:
    """The reporter that reports nothing (the default)."""


class Bar:
    """``[#########.........]  45%  164/367  2026-05-03  52 s``: in place on a terminal; elsewhere (a log,
    CI) one line per tenth, so a captured log stays short."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        width: int = 30,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.started = clock()
        self.shown = -1  # the last percent (terminal) or tenth (log) written

    def line(self, done: int, total: int, what: str) -> str:
        share = done / total if total else 1.0
        filled = round(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        seconds = self.clock() - self.started
        return f"{TITLE} [{bar}] {share:4.0%}  {done}/{total}  {what}  {seconds:.0f} s"

    def __call__(self, done: int, total: int, what: str) -> None:
        share = done / total if total else 1.0
        if self.tty:
            percent = int(share * 100)
            if percent != self.shown or done == total:
                self.shown = percent
                self.stream.write("\r" + self.line(done, total, what))
                if done == total:
                    self.stream.write("\n")
                self.stream.flush()
            return
        tenth = int(share * 10)
        if tenth != self.shown:
            self.shown = tenth
            self.stream.write(self.line(done, total, what) + "\n")
            self.stream.flush()
