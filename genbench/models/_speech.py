"""Speech and audio from text through ``hf:``: text-to-speech and text-to-audio
checkpoints (VITS/MMS, SpeechT5 with its HiFi-GAN vocoder, MusicGen, Bark ...), run by
transformers' text-to-audio pipeline, written as WAV files.

The prompt is what the model speaks or plays. Each file is written at the task's sample
rate (``Request.extra["sample_rate"]``, the reference's rate) when the task gives one,
resampled with scipy's polyphase filter, else at the model's own rate. Requests are
generated one at a time, each after seeding torch with the run's seed, the task and the
instance id: VITS and sampling decoders draw noise from torch's global generator, so
this is what makes an instance's audio the same whatever the batch or the order of tasks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from genbench.models._media import resample, write_wav
from genbench.models._protocol import ModelError, ModelSpecError, Request
from genbench.models._runtime import (
    checkpoint_name,
    first_line,
    hub_options,
    instance_seed,
    not_on_disk,
    resolve_device,
    resolve_dtype,
)

#: The vocoder transformers pairs with spectrogram models (SpeechT5) that have none.
DEFAULT_VOCODER = "microsoft/speecht5_hifigan"


class SpeechModel:
    """A text-to-speech or text-to-audio checkpoint behind the genbench protocol.

    Args:
        source: a hub id (found in the local cache) or a local folder.
        config: the checkpoint's transformers configuration.
        dtype: ``auto`` (bfloat16 on a GPU that supports it, else float32) or a dtype name.
        device: ``auto`` (a visible GPU, else CPU) or a device string.
        max_new_tokens: length limit of models that generate tokens (MusicGen, Bark);
            None keeps the checkpoint's own.
        trust_remote_code: run the checkpoint's own code (off unless asked for).
        seed: seeds each instance's noise (with the task and the instance id).
    """

    inputs: frozenset[str] = frozenset()
    outputs = frozenset({"audio"})

    def __init__(
        self,
        source: str,
        config: Any,
        dtype: str = "auto",
        device: str = "auto",
        max_new_tokens: int | None = None,
        trust_remote_code: bool = False,
        seed: int = 0,
    ) -> None:
        """Load the checkpoint (and a spectrogram model's vocoder) into a pipeline."""
        import torch
        import transformers

        self._torch = torch
        self.name = checkpoint_name(source)
        self.seed = seed
        placed = resolve_device(torch, device)
        self.device = "cuda" if placed == "sharded" else placed
        torch_dtype = resolve_dtype(torch, dtype, self.device)
        vocoder = _vocoder(config, torch_dtype)
        if vocoder is not None:
            vocoder.to(self.device)
        try:
            self.pipeline: Any = transformers.pipeline(
                "text-to-audio",
                model=source,
                vocoder=vocoder,
                device=self.device,
                dtype=torch_dtype,
                trust_remote_code=trust_remote_code,
            )
        except (OSError, ValueError) as error:
            raise ModelSpecError(f"hf:{source}: cannot load: {first_line(error)}") from None
        self.call_options: dict[str, Any] = {}
        if max_new_tokens is not None and self.pipeline.model.can_generate():
            self.call_options["generate_kwargs"] = {"max_new_tokens": max_new_tokens}
        # SpeechT5 speaks in the voice of an x-vector it must be given; without a speaker
        # to imitate, the neutral one (all zeros)
        voice = getattr(config, "speaker_embedding_dim", None)
        if voice:
            neutral = torch.zeros(1, int(voice), dtype=torch_dtype, device=self.device)
            self.call_options["forward_params"] = {"speaker_embeddings": neutral}
        self.settings: Mapping[str, object] = {
            "model": f"hf:{source}",
            "kind": "text-to-audio",
            "dtype": str(torch_dtype).removeprefix("torch."),
            "device": self.device,
            "seed": seed,
            "max_new_tokens": max_new_tokens,
            "vocoder": DEFAULT_VOCODER if vocoder is not None else None,
            "speaker_embeddings": "zeros" if voice else None,
            "sampling_rate": self.pipeline.sampling_rate,
            "trust_remote_code": trust_remote_code,
            "transformers": transformers.__version__,
        }

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """Write each request's audio to its ``output_path``; return the paths."""
        return [self._one(request) for request in requests]

    def _one(self, request: Request) -> str:
        if request.output_path is None:
            raise ModelError(f"instance {request.id!r}: an audio request carries no output path")
        self._torch.manual_seed(instance_seed(self.seed, request))
        try:
            output = self.pipeline(request.prompt, **self.call_options)
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"instance {request.id!r}: {first_line(error)}") from None
        audio = np.asarray(output["audio"], dtype=np.float32)
        rate = int(output["sampling_rate"])
        target = request.extra.get("sample_rate")
        if isinstance(target, int) and target != rate:
            audio, rate = resample(audio, rate, target), target
        return write_wav(request.output_path, audio, rate)


def _vocoder(config: Any, dtype: Any) -> Any:
    """The HiFi-GAN vocoder a spectrogram model needs (None for waveform models), found
    under the same offline rule as the model.
    """
    from transformers.models.auto import modeling_auto

    if config.model_type not in modeling_auto.MODEL_FOR_TEXT_TO_SPECTROGRAM_MAPPING_NAMES:
        return None
    from transformers import SpeechT5HifiGan

    try:
        return SpeechT5HifiGan.from_pretrained(
            DEFAULT_VOCODER, dtype=dtype, **hub_options(DEFAULT_VOCODER)
        )
    except (OSError, ValueError) as error:
        raise ModelSpecError(
            f"{not_on_disk('hf', DEFAULT_VOCODER, error)} (the vocoder of {config.model_type})"
        ) from None
