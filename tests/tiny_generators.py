"""Tiny generators with random weights, built offline for the generation adapter tests and
the diffusers batching benchmark: a Stable Diffusion pipeline (UNet, VAE, CLIP text
encoder, a tokenizer trained on the fly), a text-to-video pipeline on the same parts, and
a VITS text-to-speech model with a character vocabulary, and a SpeechT5 with its vocoder."""

from __future__ import annotations

import functools
import json
import string
from pathlib import Path

import pytest

from tests.tiny_models import tokenizer

_BLOCKS = (8, 16)


def _text_parts():  # type: ignore[no-untyped-def]
    from transformers import CLIPTextConfig, CLIPTextModel

    tok = tokenizer()
    tok.model_max_length = 16
    encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tok),
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            max_position_embeddings=16,
            bos_token_id=tok.bos_token_id,
            eos_token_id=tok.eos_token_id,
            pad_token_id=tok.pad_token_id,
        )
    )
    return tok, encoder


def _vae_and_scheduler():  # type: ignore[no-untyped-def]
    from diffusers import AutoencoderKL, DDIMScheduler

    vae = AutoencoderKL(
        block_out_channels=_BLOCKS,
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2,
        latent_channels=4,
        norm_num_groups=4,
        sample_size=32,
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    return vae, scheduler


def _unet_options(dims: str, sample_size: int) -> dict:  # type: ignore[type-arg]
    """A two-level UNet conditioned on the text encoder: ``2D`` for images, ``3D`` for video."""
    return {
        "block_out_channels": _BLOCKS,
        "layers_per_block": 1,
        "sample_size": sample_size,
        "in_channels": 4,
        "out_channels": 4,
        "down_block_types": (f"DownBlock{dims}", f"CrossAttnDownBlock{dims}"),
        "up_block_types": (f"CrossAttnUpBlock{dims}", f"UpBlock{dims}"),
        "cross_attention_dim": 16,
        "norm_num_groups": 4,
        "attention_head_dim": 2,
    }


def _parts(dims: str, sample_size: int, seed: int) -> dict:  # type: ignore[type-arg]
    """A pipeline's modules: text encoder and tokenizer, VAE, scheduler and a UNet."""
    # pytester's in-process runs forget the modules first imported inside them. The
    # diffusers adapter imports diffusers' AutoPipelines, which import transformers' CLAP
    # classes: imported first inside a run, they would come back as second copies later
    # (and CLAP would reject its own config). Import them here, outside any run.
    import diffusers.pipelines.auto_pipeline  # noqa: F401
    import torch
    from diffusers import UNet2DConditionModel, UNet3DConditionModel

    torch.manual_seed(seed)
    tok, encoder = _text_parts()
    vae, scheduler = _vae_and_scheduler()
    unet_class = UNet3DConditionModel if dims == "3D" else UNet2DConditionModel
    unet = unet_class(**_unet_options(dims, sample_size))
    parts = {"vae": vae, "text_encoder": encoder, "tokenizer": tok, "scheduler": scheduler}
    return {**parts, "unet": unet}


def stable_diffusion(folder: Path, seed: int = 0) -> Path:
    """A tiny Stable Diffusion text-to-image pipeline (draws 32 x 32), saved in ``folder``."""
    from diffusers import StableDiffusionPipeline

    StableDiffusionPipeline(
        **_parts("2D", sample_size=16, seed=seed),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    ).save_pretrained(folder)
    return folder


def text_to_video(folder: Path, seed: int = 0) -> Path:
    """A tiny text-to-video pipeline (a 3D UNet on the same VAE and text encoder)."""
    from diffusers import TextToVideoSDPipeline

    TextToVideoSDPipeline(**_parts("3D", sample_size=8, seed=seed)).save_pretrained(folder)
    return folder


def vits(folder: Path, seed: int = 0) -> Path:
    """A tiny VITS text-to-speech model (16 kHz) with a character tokenizer, in ``folder``."""
    import torch
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    characters = ["<pad>", "<unk>", *(" " + string.ascii_lowercase + string.digits + ".,:;?!'-")]
    vocab = folder / "vocab.json"
    vocab.write_text(json.dumps({c: i for i, c in enumerate(characters)}))
    config = VitsConfig(
        vocab_size=len(characters),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        ffn_dim=16,
        flow_size=16,
        spectrogram_bins=9,
        upsample_initial_channel=16,
        upsample_rates=(4, 4),
        upsample_kernel_sizes=(8, 8),
        resblock_kernel_sizes=(3,),
        resblock_dilation_sizes=((1,),),
        duration_predictor_filter_channels=16,
        duration_predictor_num_flows=1,
        prior_encoder_num_flows=1,
        prior_encoder_num_wavenet_layers=1,
        posterior_encoder_num_wavenet_layers=1,
        depth_separable_num_layers=1,
        sampling_rate=16000,
        pad_token_id=0,
    )
    VitsModel(config).save_pretrained(folder)
    VitsTokenizer(str(vocab), phonemize=False, add_blank=True).save_pretrained(folder)
    return folder


def speecht5(folder: Path, seed: int = 0) -> Path:
    """A tiny SpeechT5 text-to-spectrogram model (8 mel bins, 8-dim speaker x-vectors) with
    the trained BPE tokenizer in ``folder``, and a tiny HiFi-GAN vocoder for it in
    ``folder/vocoder``."""
    import torch
    from transformers import (
        SpeechT5Config,
        SpeechT5ForTextToSpeech,
        SpeechT5HifiGan,
        SpeechT5HifiGanConfig,
    )

    torch.manual_seed(seed)
    tok = tokenizer()
    config = SpeechT5Config(
        vocab_size=len(tok),
        hidden_size=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=16,
        decoder_ffn_dim=16,
        speech_decoder_prenet_units=16,
        speech_decoder_prenet_layers=1,
        speech_decoder_postnet_units=16,
        speech_decoder_postnet_layers=1,
        num_mel_bins=8,
        speaker_embedding_dim=8,
        max_text_positions=64,
        max_speech_positions=128,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.bos_token_id,
        conv_dim=(8,),
        conv_stride=(5,),
        conv_kernel=(10,),
        num_conv_pos_embeddings=8,
        num_conv_pos_embedding_groups=2,
    )
    SpeechT5ForTextToSpeech(config).save_pretrained(folder)
    tok.save_pretrained(folder)
    vocoder = SpeechT5HifiGanConfig(
        model_in_dim=8,
        upsample_initial_channel=16,
        upsample_rates=(4, 4),
        upsample_kernel_sizes=(8, 8),
        resblock_kernel_sizes=(3,),
        resblock_dilation_sizes=((1,),),
        sampling_rate=16000,
    )
    SpeechT5HifiGan(vocoder).save_pretrained(folder / "vocoder")
    return folder


_BUILDERS = {"sd": stable_diffusion, "t2v": text_to_video, "vits": vits}


@functools.cache
def built(name: str, root: Path) -> Path:
    """A tiny generator (``sd``, ``t2v``, ``vits``) built once per process under ``root``,
    so the test modules that use it share one copy."""
    return _BUILDERS[name](root / name)


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Run a module's tiny models on one thread: they gain nothing from more, and on a
    shared machine a second thread only waits for a core (several times slower)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
