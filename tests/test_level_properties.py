"""Properties of General-Level that hold for any scores (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genbench.level import LEVEL_NAMES, level_scores


def random_scores(table, seed, p_missing, spread):
    """Scores around each SoTA: some missing, some exact ties, some zero, some far off."""
    rng = np.random.default_rng(seed)
    scores = {}
    for row in table:
        draw = rng.random()
        if draw < p_missing:
            continue
        if draw < p_missing + 0.05:
            scores[row.key] = row.sota
        elif draw < p_missing + 0.08:
            scores[row.key] = 0.0
        else:
            value = row.sota * float(np.exp(rng.normal(0, spread)))
            lo, hi = row.metric.natural_range
            scores[row.key] = float(min(max(value, lo), hi))
    return scores


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), p_missing=st.floats(0, 1), spread=st.floats(0, 2))
def test_levels_are_ordered_and_bounded(table, seed, p_missing, spread):
    s = level_scores(table, random_scores(table, seed, p_missing, spread), "m")
    l2, l3, l4, l5 = (s.final[name] for name in LEVEL_NAMES)
    assert 0 <= l5 <= l4 <= l3 <= l2 <= 100
    for m in s.per_modality.values():
        assert 0 <= m.level4 <= m.level3 <= m.level2 <= 100
        assert 0 <= m.wins <= m.supported <= m.total
    assert 0 <= s.nlp.s_l <= 100
    assert s.level == max([1] + [k for k, name in enumerate(LEVEL_NAMES, 2) if s.final[name] > 0])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1))
def test_scores_depend_only_on_the_model_s_own_results(table, seed):
    rng = np.random.default_rng(seed)
    scores = random_scores(table, seed, 0.3, 0.5)
    order = list(scores.items())
    rng.shuffle(order)
    assert level_scores(table, dict(order), "m") == level_scores(table, scores, "m")
