"""General-Bench as pytest items: one per task, run by the genbench plugin.

Select with -k (``-k video``, ``-k "nlp and not code"``) or -m (``-m generation``).
"""


def test_task(genbench_task, genbench_evaluate):
    genbench_evaluate(genbench_task)
