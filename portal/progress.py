"""Progress of long commands (import, index rebuilds, evaluation, benchmarks) for the operator.

On a terminal a command shows a tqdm bar with the count, the rate and the time left; when its output
is not a terminal (cron, a log file, CI) it writes one log line per stage instead of a bar, and
under ``--verbosity 0`` nothing at all. Commands call ``progress(...)`` around their loop and
``stage(...)`` at each step; nothing else in the portal knows how progress is shown.
"""

import logging
import sys
from contextlib import contextmanager

from tqdm import tqdm

logger = logging.getLogger("portal.progress")


class Progress:
    """A running count of ``total`` units (``None`` when unknown) for a stage called ``label``.

    ``advance(n)`` adds ``n`` units. ``bar`` is the tqdm bar on a terminal, else ``None``.
    """

    def __init__(self, label, total, bar):
        self.label, self.total, self.bar, self.done = label, total, bar, 0

    def advance(self, units=1):
        self.done += units
        if self.bar is not None:
            self.bar.update(units)


def shows_bar(stream, verbosity):
    """A bar is drawn only for an interactive terminal at the default verbosity or above."""
    return verbosity >= 1 and hasattr(stream, "isatty") and stream.isatty()


@contextmanager
def progress(label, total=None, verbosity=1, stream=None, unit="page"):
    """Yield a ``Progress`` for one stage; a bar on a terminal, else a start and an end log line.

    ``stream`` is where the bar is drawn (a command's ``stderr``; ``sys.stderr`` by default).
    ``verbosity`` is the command's ``--verbosity``: 0 shows and logs nothing.
    """
    # A command's ``OutputWrapper`` would end each of the bar's redraws with a newline.
    stream = getattr(stream or sys.stderr, "_out", stream or sys.stderr)
    bar = None
    if shows_bar(stream, verbosity):
        bar = tqdm(total=total, desc=label, unit=unit, file=stream, dynamic_ncols=True)
    elif verbosity >= 1:
        logger.info("%s: started (%s %ss)", label, "?" if total is None else total, unit)
    state = Progress(label, total, bar)
    try:
        yield state
    finally:
        if bar is not None:
            bar.close()
        elif verbosity >= 1:
            logger.info("%s: %d %ss done", label, state.done, unit)


def stage(message, verbosity=1):
    """One log line for a step of a long command (``--verbosity 0``: none)."""
    if verbosity >= 1:
        logger.info("%s", message)
