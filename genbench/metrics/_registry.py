"""The registry of canonical metrics: the single place that knows a metric's direction and scale.

The reference table writes metric names loosely (``Acc``/``ACC``, ``BLUE_1``, ``Rouge-L f``,
``CD (Chamfer Distance)``, ...). Every name resolves here to one canonical :class:`Metric`,
which carries its direction, the range and unit of the values the table writes, and the
normalization onto General-Level's 0-100 scale (docs/LEVEL.md). Users may register more.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from genbench.metrics._normalize import InverseSigmoid, Linear, Normalization, Percent, Tanh


class UnknownMetricError(KeyError):
    """A metric name that resolves to no registered metric."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"unknown metric {self.name!r}: register it with genbench.metrics.register_metric"


@dataclass(frozen=True)
class Metric:
    """A canonical metric.

    Attributes:
        name: canonical name.
        higher_is_better: the metric's direction on its own scale.
        unit: the unit of the values the reference table writes (``%``, ``dB``, ...).
        natural_range: the range of those values (``math.inf`` for unbounded).
        normalization: the map onto the 0-100, higher-is-better scale.
        aliases: other spellings found in the reference table or in common use.
        description: what the metric measures.
    """

    name: str
    higher_is_better: bool
    unit: str
    natural_range: tuple[float, float]
    normalization: Normalization
    aliases: tuple[str, ...] = ()
    description: str = ""
    all_names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "all_names", (self.name, *self.aliases))

    @property
    def is_percent(self) -> bool:
        """Whether the table writes the metric in percent (a "regular" metric, not mapped)."""
        return isinstance(self.normalization, Percent)

    def normalize(self, value: float) -> float:
        """Map a value on the table's scale to General-Level's [0, 100] (clamped)."""
        if math.isnan(value):
            raise ValueError(f"{self.name}: value is NaN")
        return self.normalization(value)


def metric_key(name: str) -> str:
    """Fold a metric name for lookup: case, surrounding and repeated white space."""
    return re.sub(r"\s+", " ", name).strip().casefold()


_REGISTRY: dict[str, Metric] = {}


def register_metric(metric: Metric, *, replace: bool = False) -> Metric:
    """Add a metric (and its aliases) to the registry and return it.

    Raises:
        ValueError: a name or alias is already taken by another metric and ``replace`` is off.
    """
    for alias in metric.all_names:
        taken = _REGISTRY.get(metric_key(alias))
        if taken is not None and taken.name != metric.name and not replace:
            raise ValueError(f"metric name {alias!r} is already registered for {taken.name!r}")
    for alias in metric.all_names:
        _REGISTRY[metric_key(alias)] = metric
    return metric


def get_metric(name: str) -> Metric:
    """Resolve a metric name as written anywhere (table, config, CLI) to its canonical metric.

    Raises:
        UnknownMetricError: no registered metric has this name or alias.
    """
    try:
        return _REGISTRY[metric_key(name)]
    except KeyError:
        raise UnknownMetricError(name) from None


def registered_metrics() -> list[Metric]:
    """Every registered metric once, sorted by canonical name."""
    return sorted({m.name: m for m in _REGISTRY.values()}.values(), key=lambda m: m.name.lower())


_PERCENT = Percent()
_UNIT_RANGE = (0.0, 100.0)


def _percent(
    name: str, description: str, *aliases: str, lo: float = 0.0, hi: float = 100.0
) -> None:
    register_metric(Metric(name, True, "%", (lo, hi), _PERCENT, tuple(aliases), description))


def _lower_better(
    name: str, temperature: float, unit: str, description: str, *aliases: str
) -> None:
    register_metric(
        Metric(
            name, False, unit, (0.0, math.inf), InverseSigmoid(temperature), aliases, description
        )
    )


# --- metrics the table writes in percent (0-100, higher is better) ---------------------------
_percent("ACC", "accuracy: correct / total", "Acc", "Accuracy")
_percent(
    "AMOTA",
    "nuScenes average multi-object tracking accuracy",
    "AMOTA (Average Multi-Object Tracking Accuracy)",
)
_percent("ANLS", "average normalized Levenshtein similarity (threshold 0.5)")
_percent("AP", "average precision, the area under the precision-recall curve")
_percent("AP10", "average precision at IoU 0.10")
_percent("AP50", "COCO average precision at IoU 0.50")
_percent("AP75", "COCO average precision at IoU 0.75")
_percent("AUC", "area under the ROC curve, or the tracking success-plot AUC")
_percent("Aesthetic score", "LAION aesthetic predictor on frames (VBench aesthetic_quality)")
_percent("BLEU-1", "unigram BLEU with brevity penalty", "BLUE_1", "BLEU1", "BLEU_1")
_percent("BLEU@4", "4-gram corpus BLEU", "BLEU-4", "BLEU4")
_percent(
    "CIDEr",
    "CIDEr-D consensus score x 100 (up to 1000; above 100 it is clamped like every score)",
    hi=1000.0,
)
_percent("CLAP", "CLAP audio-text embedding cosine similarity")
_percent("CLIP img score", "CLIP image-image embedding cosine similarity (CLIP-I)")
_percent("CLIP score", "CLIP image-text similarity (CLIPScore)", "CLIPScore")
_percent("CLIP-Style", "CLIP similarity between stylized frames and the style reference")
_percent("CodeBLEU", "BLEU, weighted n-gram, AST and data-flow match, equally weighted")
_percent("DICE", "Dice coefficient 2|A∩B|/(|A|+|B|)", "Dice")
_percent(
    "DINO+ViCLIP+Optical flow+Motion Smooth",
    "VBench-I2V composite: subject and overall consistency, dynamics, smoothness",
)
_percent("DINOScore", "DINO feature consistency across frames (VBench subject_consistency)")
_percent("E-Acc", "evaluator accuracy on generated music (externally supplied)")
_percent("EM@1", "exact match of the top-1 answer")
_percent("F1", "F1 (token-set F1 for QA, entity or class F1 elsewhere)", "F1 Score", "F-score")
_percent("Fram-Acc", "share of frames whose CLIP similarity favours the target prompt")
_percent("GPT-Score", "LLM-judged answer quality")
_percent("Instance mIoU", "per-shape mean part IoU, averaged over shapes")
_percent("L1 distance", "VBench temporal flickering score: (255 - mean |frame diff|)/255")
_percent("Macro-Acc", "mean per-class accuracy")
_percent("Micro-F1", "micro-averaged F1 over label sets")
_percent("MUSIQ", "MUSIQ no-reference image quality", "MUSIQ score")
_percent("Multi-Object Successful Rate", "share of videos where every prompted object is detected")
_percent("Optical Flow Score", "VBench dynamic degree")
_percent("PCC", "Pearson correlation coefficient", lo=-100.0)
_percent("PQ", "panoptic quality SQ x RQ")
_percent("R@50", "recall at 50")
_percent("ROUGE-1", "unigram-overlap F-measure", "Rouge-1", "ROUGE1")
_percent("ROUGE-L", "longest-common-subsequence F-measure", "Rouge-L f", "ROUGE_L", "RougeL")
_percent("Single-Object Successful Rate", "share of videos where the prompted class is detected")
_percent("Structure measure", "S-measure (Fan et al. 2017)", "S-measure")
_percent("Style-CLAP", "CLAP similarity between the generated music and the target style")
_percent("Successful rate", "VBench detection or classification success rate")
_percent("User preference rates", "share of human pairwise preferences")
_percent("mAP", "mean average precision")
_percent("mAP@50", "mean average precision at IoU 0.50")
_percent("mIoU", "mean over classes of IoU from a dataset-level confusion matrix")
_percent("m_vIoU", "mean over videos of spatio-temporal IoU")

# --- lower-is-better errors and distances: 2*sigmoid(T/x) - 1 ---------------------------------
_lower_better("MAE", 50, "count", "mean absolute error")
_lower_better("RMS", 50, "raw", "root mean squared depth error")
_lower_better("MSE", 5, "raw", "mean squared error")
_lower_better("RMSE", 5, "raw", "root mean squared error")
_lower_better("absRel", 0.1, "fraction", "mean absolute relative depth error")
_lower_better("EPE", 1, "px", "end-point error of flow vectors")
_lower_better("FID", 25, "raw", "Fréchet inception distance")
_lower_better("FVD", 100, "raw", "Fréchet video distance")
_lower_better("FAD", 10, "raw", "Fréchet audio distance")
_lower_better("SAD", 10, "raw", "sum of absolute alpha-matte differences")
_lower_better(
    "RTE",
    0.5,
    "raw",
    "relative translation error",
    "RTE ( Relative Translation Error)",
    "RTE (Relative Translation Error)",
    "Relative Translation Error",
)
_lower_better("CD", 1, "raw", "Chamfer distance", "CD (Chamfer Distance)", "Chamfer Distance")
_lower_better("MCD", 5, "dB", "mel-cepstral distortion")

# --- mapped higher-is-better and linear metrics ----------------------------------------------
register_metric(
    Metric("PSNR", True, "dB", (0.0, math.inf), Tanh(20.0), (), "peak signal-to-noise ratio")
)
register_metric(
    Metric(
        "WER",
        False,
        "%",
        (0.0, math.inf),
        Linear(-0.01, 1.0, "1 - x/100"),
        (),
        "word error rate, in percent",
    )
)
register_metric(
    Metric(
        "MS-SSIM",
        True,
        "fraction",
        (-1.0, 1.0),
        Linear(0.5, 0.5, "(x + 1)/2"),
        ("MSSSIM",),
        "multi-scale SSIM",
    )
)
register_metric(
    Metric(
        "MOS", True, "1-5", (1.0, 5.0), Linear(0.25, -0.25, "(x - 1)/4"), (), "mean opinion score"
    )
)
