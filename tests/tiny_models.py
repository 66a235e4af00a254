"""Tiny transformers models with random weights, built offline for the adapter tests and
the batching benchmark (docs/TESTING.md of the project's brief has the recipes)."""

from __future__ import annotations

from pathlib import Path

CHAT_TEMPLATE = (
    "{% for message in messages %}<s>{{ message['role'] }}: "
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<image>{% elif part['type'] == 'text' %}{{ part['text'] }}"
    "{% endif %}{% endfor %}{% endif %}</s>{% endfor %}"
    "{% if add_generation_prompt %}<s>assistant: {% endif %}"
)
CORPUS = [
    "What is the capital of France? Paris is the capital.",
    "Answer with the option's letter only. A B C D",
    "Summarize the text above. The cat sat on the mat.",
    "Time series: 1, 2, 3. Predict the next value(s). 4",
    "Translate the following text from English to French.",
    "Describe the image. A red square on a grey background.",
] * 20


def tokenizer(extra_special: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """A byte-level BPE tokenizer trained on a few sentences, with a chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<unk>", "<s>", "</s>", "<pad>", *extra_special]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(
        CORPUS,
        trainers.BpeTrainer(
            vocab_size=300,
            special_tokens=specials,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        ),
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        extra_special_tokens={"image_token": "<image>"} if "<image>" in extra_special else {},
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def _llama_config(vocab_size: int):  # type: ignore[no-untyped-def]
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=3,
    )


def causal_lm(folder: Path, seed: int = 0) -> Path:
    """A tiny Llama causal LM and its tokenizer, saved in ``folder``."""
    import torch
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    tok = tokenizer()
    LlamaForCausalLM(_llama_config(len(tok))).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def llava(folder: Path, seed: int = 0) -> Path:
    """A tiny LLaVA image-text-to-text model and its processor, saved in ``folder``."""
    import torch
    from transformers import (
        CLIPImageProcessor,
        CLIPVisionConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    torch.manual_seed(seed)
    tok = tokenizer(("<image>",))
    config = LlavaConfig(
        vision_config=CLIPVisionConfig(
            image_size=32,
            patch_size=16,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
        ),
        text_config=_llama_config(len(tok)),
        image_token_index=tok.convert_tokens_to_ids("<image>"),
        vision_feature_layer=-1,
    )
    LlavaForConditionalGeneration(config).save_pretrained(folder)
    processor = LlavaProcessor(
        image_processor=CLIPImageProcessor(
            size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
        ),
        tokenizer=tok,
        patch_size=16,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
        chat_template=CHAT_TEMPLATE,
    )
    processor.save_pretrained(folder)
    return folder


AUDIO_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] }}: "
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'audio' %}<|audio_bos|><|AUDIO|><|audio_eos|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}\n"
    "{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}"
)


def qwen2_audio(folder: Path, seed: int = 0) -> Path:
    """A tiny Qwen2-Audio audio-language model and its processor, saved in ``folder``."""
    import torch
    from transformers import (
        Qwen2AudioConfig,
        Qwen2AudioForConditionalGeneration,
        Qwen2AudioProcessor,
        Qwen2Config,
        WhisperFeatureExtractor,
    )

    torch.manual_seed(seed)
    tok = tokenizer(("<|AUDIO|>", "<|audio_bos|>", "<|audio_eos|>"))
    text = Qwen2Config(
        vocab_size=len(tok),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
    )
    config = Qwen2AudioConfig(
        audio_config={
            "d_model": 32,
            "encoder_layers": 1,
            "encoder_attention_heads": 2,
            "encoder_ffn_dim": 64,
            "num_mel_bins": 128,
            "max_source_positions": 1500,
        },
        text_config=text.to_dict(),
        audio_token_index=tok.convert_tokens_to_ids("<|AUDIO|>"),
    )
    Qwen2AudioForConditionalGeneration(config).save_pretrained(folder)
    processor = Qwen2AudioProcessor(
        feature_extractor=WhisperFeatureExtractor(feature_size=128),
        tokenizer=tok,
        chat_template=AUDIO_TEMPLATE,
    )
    processor.save_pretrained(folder)
    return folder


def whisper(folder: Path, seed: int = 0) -> Path:
    """A tiny Whisper speech recognizer, its feature extractor and tokenizer, in ``folder``."""
    import torch
    from transformers import (
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperTokenizerFast,
    )

    torch.manual_seed(seed)
    base = tokenizer(("<|endoftext|>", "<|startoftranscript|>", "<|notimestamps|>"))
    tok = WhisperTokenizerFast(
        tokenizer_object=base.backend_tokenizer,
        unk_token="<unk>",
        bos_token="<|startoftranscript|>",
        eos_token="<|endoftext|>",
        pad_token="<pad>",
    )
    config = WhisperConfig(
        vocab_size=len(tok),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        num_mel_bins=80,
        max_source_positions=1500,
        max_target_positions=64,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.bos_token_id,
    )
    model = WhisperForConditionalGeneration(config)
    model.generation_config.forced_decoder_ids = None
    model.generation_config.max_length = 8
    model.save_pretrained(folder)
    WhisperFeatureExtractor(feature_size=80).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder
