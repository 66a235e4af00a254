"""What a submission can get wrong: one fatal error, or a list of problems."""

from __future__ import annotations

from dataclasses import dataclass


class SubmissionError(ValueError):
    """A submission that cannot be packed or read at all; one line naming the file."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission.

    ``incomplete`` problems (an instance without a usable prediction, a task not packed)
    are accepted with ``--allow-partial``; the others (a file changed after packing, a
    malformed prediction file) never are.
    """

    where: str
    what: str
    instance: str | None = None
    incomplete: bool = True

    def __str__(self) -> str:
        instance = f": instance {self.instance!r}" if self.instance is not None else ""
        return f"{self.where}{instance}: {self.what}"


class IncompleteSubmission(SubmissionError):
    """Problems that stop a pack or fail a check; ``problems`` lists every one."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        super().__init__(summary)
        self.problems = problems
