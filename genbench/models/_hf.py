"""``hf:<model id or folder>``: a Hugging Face transformers model, loaded from disk or the
local cache.

The model class follows the checkpoint's configuration: image-text-to-text models
(LLaVA, Qwen2.5-VL ...) with their processor take images and videos; multimodal language
models with an audio encoder (Qwen2-Audio) take audio; everything else loads as a causal
language model with its tokenizer. Prompts go through the chat template when there is
one. Requests are sorted by prompt length and generated in batches with left padding,
greedily, so a batch wastes little padding and the output does not depend on the batch.
Text-to-speech and text-to-audio checkpoints (VITS/MMS, SpeechT5, MusicGen ...) load as
audio generators instead (``_speech.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from genbench.models._media import read_wav, sample_frames
from genbench.models._protocol import Model, ModelError, Request
from genbench.models._runtime import (
    checkpoint_name,
    hub_options,
    not_on_disk,
    resolve_device,
    resolve_dtype,
)


class HFModelError(ModelError, ValueError):
    """A Hugging Face model that cannot be loaded or run; the message says what to do."""


def _kind(config: Any) -> str:
    """What the checkpoint does, from its model type: answers about images or audio, text
    alone, or speech and audio from text (those that also answer in text stay answerers).
    """
    from transformers.models.auto import modeling_auto

    model_type = getattr(config, "model_type", "")
    if model_type in modeling_auto.MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES:
        return "image-text"
    if model_type in modeling_auto.MODEL_FOR_MULTIMODAL_LM_MAPPING_NAMES:
        return "audio-text"
    if (
        model_type in modeling_auto.MODEL_FOR_TEXT_TO_WAVEFORM_MAPPING_NAMES
        or model_type in modeling_auto.MODEL_FOR_TEXT_TO_SPECTROGRAM_MAPPING_NAMES
    ):
        return "text-to-audio"
    return "text"


class HFModel:
    """A transformers model behind the genbench protocol (see the module docstring).

    Args:
        source: a hub id (found in the local cache) or a local folder.
        dtype: ``auto`` (bfloat16 on a GPU that supports it, else float32), or a torch
            dtype name (``float16``, ``bfloat16``, ``float32``).
        device: ``auto`` (the visible GPU, several GPUs sharded with ``device_map="auto"``,
            else CPU), or a device string.
        max_new_tokens: generation length limit.
        trust_remote_code: run the checkpoint's own code (off unless asked for).
        batch_size: requests per ``generate`` call.
        max_frames: video frames sent to a model that takes frames as images.
        config: the checkpoint's configuration, when the caller has read it already.
    """

    outputs = frozenset({"text"})

    def __init__(
        self,
        source: str,
        dtype: str = "auto",
        device: str = "auto",
        max_new_tokens: int = 64,
        trust_remote_code: bool = False,
        batch_size: int = 8,
        max_frames: int = 8,
        config: Any = None,
    ) -> None:
        """Load the model and its tokenizer or processor (see the class docstring)."""
        import torch
        import transformers

        self._torch = torch
        self.name = checkpoint_name(source)
        if config is None:
            config = load_config(source, trust_remote_code)
        options = {"trust_remote_code": trust_remote_code, **hub_options(source)}
        self.kind = _kind(config)
        self.device = resolve_device(torch, device)
        torch_dtype = resolve_dtype(torch, dtype, self.device)
        auto = {
            "text": transformers.AutoModelForCausalLM,
            "image-text": transformers.AutoModelForImageTextToText,
            "audio-text": transformers.AutoModelForMultimodalLM,
        }[self.kind]
        placement: dict[str, Any] = {"device_map": "auto"} if self.device == "sharded" else {}
        try:
            if self.kind == "text":
                self.processor: Any = None
                self.tokenizer: Any = transformers.AutoTokenizer.from_pretrained(source, **options)
            else:
                self.processor = transformers.AutoProcessor.from_pretrained(  # type: ignore[no-untyped-call]
                    source, **options
                )
                self.tokenizer = self.processor.tokenizer
            self.model: Any = auto.from_pretrained(
                source, dtype=torch_dtype, **options, **placement
            )
        except (OSError, ValueError) as error:
            raise HFModelError(f"hf:{source}: cannot load: {error}") from None
        if self.device != "sharded":
            self.model.to(self.device)
        self.model.eval()
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.inputs = {
            "text": frozenset(),
            "image-text": frozenset({"image", "video"}),
            "audio-text": frozenset({"audio"}),
        }[self.kind]
        self.batch_size, self.max_new_tokens, self.max_frames = (
            batch_size,
            max_new_tokens,
            max_frames,
        )
        self.settings: Mapping[str, object] = {
            "model": f"hf:{source}",
            "kind": self.kind,
            "dtype": str(torch_dtype).removeprefix("torch."),
            "device": self.device,
            "max_new_tokens": max_new_tokens,
            "do_sample": False,
            "batch_size": batch_size,
            "max_frames": max_frames,
            "trust_remote_code": trust_remote_code,
            "transformers": transformers.__version__,
        }

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """Greedy answers, in the order of ``requests``; batches of similar prompt length."""
        order = sorted(range(len(requests)), key=lambda i: len(requests[i].prompt))
        answers: list[str] = [""] * len(requests)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            for index, answer in zip(
                chunk, self._generate([requests[i] for i in chunk]), strict=True
            ):
                answers[index] = answer
        return answers

    def _generate(self, batch: Sequence[Request]) -> list[str]:
        torch = self._torch
        inputs = self._inputs(batch)
        with torch.no_grad():
            output = self.model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id,
            )
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        return [
            text.strip()
            for text in self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        ]

    def _chat(self, template_owner: Any, content: Any) -> str:
        messages = [{"role": "user", "content": content}]
        if getattr(template_owner, "chat_template", None):
            text: str = template_owner.apply_chat_template(
                messages, add_generation_prompt=True, tokenize=False
            )
            return text
        if isinstance(content, str):
            return content
        raise HFModelError(f"model {self.name!r} has no chat template to place its media tokens")

    def _inputs(self, batch: Sequence[Request]) -> Any:
        if self.kind == "text":
            texts = [self._chat(self.tokenizer, r.prompt) for r in batch]
            encoded = self.tokenizer(texts, return_tensors="pt", padding=True)
            return encoded.to(self._target())
        if self.kind == "image-text":
            return self._image_inputs(batch)
        return self._audio_inputs(batch)

    def _target(self) -> Any:
        return self.model.device if self.device == "sharded" else self.device

    def _image_inputs(self, batch: Sequence[Request]) -> Any:
        from PIL import Image

        takes_video = getattr(self.processor, "video_processor", None) is not None
        texts, images, videos = [], [], []
        for request in batch:
            content: list[dict[str, Any]] = []
            frames = sample_frames(request.video_frames, self.max_frames)
            pictures = list(request.images) + ([] if takes_video else frames)
            for path in pictures:
                content.append({"type": "image"})
                with Image.open(path) as image:
                    images.append(image.convert("RGB"))
            if takes_video and frames:
                import numpy as np

                content.append({"type": "video"})
                videos.append(np.stack([np.asarray(Image.open(f).convert("RGB")) for f in frames]))
            content.append({"type": "text", "text": request.prompt})
            texts.append(self._chat(self.processor, content))
        kwargs: dict[str, Any] = {"text": texts, "padding": True, "return_tensors": "pt"}
        if images:
            kwargs["images"] = images
        if videos:
            kwargs["videos"] = videos
        return self.processor(**kwargs).to(self._target())

    def _audio_inputs(self, batch: Sequence[Request]) -> Any:
        rate = int(self.processor.feature_extractor.sampling_rate)
        texts, clips = [], []
        for request in batch:
            content: list[dict[str, Any]] = []
            if request.audio is not None:
                content.append({"type": "audio", "audio_url": str(request.audio)})
                clips.append(read_wav(request.audio, rate))
            content.append({"type": "text", "text": request.prompt})
            texts.append(self._chat(self.processor, content))
        kwargs: dict[str, Any] = {"text": texts, "padding": True, "return_tensors": "pt"}
        if clips:
            kwargs.update(audio=clips, sampling_rate=rate)
        return self.processor(**kwargs).to(self._target())


def load_config(source: str, trust_remote_code: bool = False) -> Any:
    """The checkpoint's transformers configuration, read from disk or the local cache.

    Raises:
        HFModelError: the checkpoint is not here (the message says how to get it).
    """
    import transformers

    options = {"trust_remote_code": trust_remote_code, **hub_options(source)}
    try:
        return transformers.AutoConfig.from_pretrained(source, **options)
    except (OSError, ValueError) as error:
        raise HFModelError(not_on_disk("hf", source, error)) from None


def load_hf(source: str, settings: Mapping[str, Any]) -> Model:
    """The ``hf:`` scheme's loader: a text-answering :class:`HFModel`, or a speech or audio
    generator (:class:`genbench.models._speech.SpeechModel`) for a text-to-speech or
    text-to-audio checkpoint; each takes its settings from the run's options.
    """
    given = {k: v for k, v in settings.items() if v is not None}
    config = load_config(source, bool(given.get("trust_remote_code", False)))
    if _kind(config) == "text-to-audio":
        from genbench.models._speech import SpeechModel

        keys: tuple[str, ...] = ("dtype", "device", "max_new_tokens", "trust_remote_code", "seed")
        return SpeechModel(source, config, **{k: given[k] for k in keys if k in given})
    keys = ("dtype", "device", "max_new_tokens", "trust_remote_code", "batch_size", "max_frames")
    return HFModel(source, config=config, **{k: given[k] for k in keys if k in given})
