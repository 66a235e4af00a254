"""Text summaries: the level table's columns line up; the leaderboard ranks by level reached."""

from genbench.level import LevelSummary, ModalityLevel, Mode, NlpLevel
from genbench.report import rank_summaries, render_leaderboard, render_summary


def summary(model: str, level: int, scores: tuple[float, float, float, float]) -> LevelSummary:
    m = ModalityLevel(12.5, 3.25, 1.0, 4.5, 2.0, 10, 316, 3)
    return LevelSummary(
        model=model,
        mode=Mode.PAPER,
        level=level,
        final=dict(zip(("Level-2", "Level-3", "Level-4", "Level-5"), scores, strict=True)),
        per_modality={name: m for name in ("Image", "Video", "Audio", "3D")},
        nlp=NlpLevel(s_l=7.25, supported=6, total=115, wins=2),
    )


def test_every_value_sits_under_its_header():
    lines = render_summary(summary("m", 4, (20.0, 5.0, 1.0, 0.0))).splitlines()
    header = lines[1]
    ends = {name: header.index(name) + len(name) for name in header.split()}
    image, nlp = lines[2], lines[6]
    assert image.startswith("Image") and nlp.startswith("NLP")
    assert image[: ends["Level-2"]].endswith("12.50")
    assert image[: ends["S_G"]].endswith("2.00")
    assert nlp[: ends["S_L"]].endswith("7.25")  # S_L in its own column, not under S_C
    assert nlp[: ends["S_G"]].strip() == "NLP"
    assert image[: ends["supported"]].endswith("10/316") and nlp[: ends["supported"]].endswith(
        "6/115"
    )
    assert image[: ends["wins"]].endswith("3") and len(image) == len(nlp) == len(header)


def test_leaderboard_ranks_by_level_reached_then_its_score():
    broad = summary("broad", 3, (40.0, 10.0, 0.0, 0.0))  # high Level-2, never Level-4
    synergy = summary("synergy", 4, (15.0, 6.0, 2.0, 0.0))
    better = summary("better", 4, (10.0, 5.0, 3.0, 0.0))
    specialist = summary("specialist", 1, (0.0, 0.0, 0.0, 0.0))
    ranked = rank_summaries([broad, specialist, synergy, better])
    assert [s.model for s in ranked] == ["better", "synergy", "broad", "specialist"]
    by_level2 = rank_summaries([broad, synergy, better], "Level-2")
    assert [s.model for s in by_level2] == ["broad", "synergy", "better"]
    text = render_leaderboard([broad, synergy, better])
    assert "ranked by level reached, then its score" in text.splitlines()[0]
    assert [line.split()[1] for line in text.splitlines()[2:]] == ["better", "synergy", "broad"]
    assert "sorted by Level-2" in render_leaderboard([broad], "Level-2")


def test_ties_keep_the_names_order():
    a, b = summary("a", 2, (5.0, 0, 0, 0)), summary("b", 2, (5.0, 0, 0, 0))
    assert [s.model for s in rank_summaries([b, a])] == ["a", "b"]
