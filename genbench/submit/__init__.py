"""Close-set submissions: pack a run's predictions for the leaderboard, check a pack.

:func:`pack_submission` writes one prediction file per task of the close-set tree (the
leaderboard's object form, or the authors' list beside each task file), the generated
media beside them and a manifest with counts and SHA-256 digests; it refuses an
incomplete pack unless asked. :func:`check_submission` verifies any pack against the tree.
"""

from genbench.submit._check import CheckReport, check_submission
from genbench.submit._errors import IncompleteSubmission, Problem, SubmissionError
from genbench.submit._manifest import FORMAT, LAYOUTS, MANIFEST, Manifest, TaskEntry
from genbench.submit._media import media_problem
from genbench.submit._pack import PackReport, pack_submission

__all__ = [
    "FORMAT",
    "LAYOUTS",
    "MANIFEST",
    "CheckReport",
    "IncompleteSubmission",
    "Manifest",
    "PackReport",
    "Problem",
    "SubmissionError",
    "TaskEntry",
    "check_submission",
    "media_problem",
    "pack_submission",
]
