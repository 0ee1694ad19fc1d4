"""Long commands tell the operator where they are: a bar on a terminal, log lines elsewhere."""

import io
import logging

from django.core.management.base import OutputWrapper

from portal.progress import progress, stage


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_terminal_shows_count_rate_and_time_left():
    stream = Terminal()
    with progress("Indexing", total=4, stream=stream) as state:
        for _ in range(4):
            state.advance()
    drawn = stream.getvalue()
    assert "Indexing" in drawn and "4/4" in drawn and "page/s" in drawn
    assert "<00:00" in drawn, "the time left"


def test_not_a_terminal_logs_a_line_per_stage_and_no_bar(caplog):
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, "portal.progress"):
        with progress("Indexing", total=2, stream=stream) as state:
            state.advance(2)
        stage("Swapping the alias")
    assert stream.getvalue() == ""
    assert [r.getMessage() for r in caplog.records] == [
        "Indexing: started (2 pages)",
        "Indexing: 2 pages done",
        "Swapping the alias",
    ]


def test_verbosity_zero_is_silent(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, "portal.progress"):
        with progress("Indexing", total=2, verbosity=0, stream=stream) as state:
            state.advance(2)
        stage("Swapping the alias", verbosity=0)
    assert stream.getvalue() == "" and caplog.records == []


def test_a_command_s_stderr_draws_the_bar_on_one_line():
    """A command passes its ``stderr`` (Django's ``OutputWrapper``, which ends each write with a
    newline): the bar still redraws one line instead of printing a line per update."""
    terminal = Terminal()
    with progress("Import", total=3, stream=OutputWrapper(terminal), unit="line") as state:
        for _ in range(3):
            state.advance()
    assert "3/3" in terminal.getvalue()
    assert terminal.getvalue().count("\n") <= 1
