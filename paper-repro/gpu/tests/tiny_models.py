"""Tiny, randomly initialised models in the real architectures the paper used, saved like hub checkpoints, so
every script runs end to end on a CPU in seconds (no hub access needed):

    llama/        LlamaForCausalLM, 2 layers (the finetuned base model and the PPL model)
    reward/       GPT-NeoX reward model in OpenAssistant's layout (model_type gpt_neox_reward_model,
                  weights gpt_neox.* + out_proj.*), like oasst-rm-2.1-pythia-1.4b-epoch-2.5
    unieval/      T5ForConditionalGeneration (UniEval-dialog is a T5)

The tokenizers are byte-level BPE trained here on a few sentences. Usage: python tiny_models.py DIR
"""
import json
import os
import sys

import torch

TEXT = [
    "Below is an instruction that describes a task. Write a response that appropriately completes the request.",
    "### Instruction: ### Input: ### Response: Yes No question: Is this a natural response in the dialogue?",
    "Is this a coherent response given the dialogue history? Is this an understandable response in the dialogue?",
    "response: dialogue history: The quick brown fox jumps over the lazy dog. Name three colours: red, green, blue.",
    "<|prompter|> <|assistant|> Write a haiku about autumn leaves falling slowly onto a quiet river at dusk.",
]


def tokenizer(specials, bos=None, eos=None, unk=None, pad=None, vocab=400, texts=None):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    core = Tokenizer(models.BPE(unk_token=unk))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    core.train_from_iterator(texts if texts is not None else TEXT * 4, trainers.BpeTrainer(vocab_size=vocab, special_tokens=specials,
                                                          initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=core, bos_token=bos, eos_token=eos, unk_token=unk, pad_token=pad)


def build(root):
    from transformers import GPTNeoXConfig, GPTNeoXModel, LlamaConfig, LlamaForCausalLM, T5Config, T5ForConditionalGeneration
    from safetensors.torch import save_file
    torch.manual_seed(0)
    paths = {}

    tok = tokenizer(["<unk>", "<s>", "</s>"], bos="<s>", eos="</s>", unk="<unk>")
    llama = LlamaForCausalLM(LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=512,
                                         bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id))
    paths["llama"] = os.path.join(root, "llama")
    llama.save_pretrained(paths["llama"])
    tok.save_pretrained(paths["llama"])

    tok = tokenizer(["<|endoftext|>", "<|padding|>", "<|prompter|>", "<|assistant|>"], eos="<|endoftext|>", pad="<|padding|>")
    config = GPTNeoXConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                           num_attention_heads=4, max_position_embeddings=512, eos_token_id=tok.eos_token_id,
                           pad_token_id=tok.pad_token_id)
    backbone = GPTNeoXModel(config)
    head = torch.nn.Linear(32, 1)
    paths["reward"] = os.path.join(root, "reward")
    os.makedirs(paths["reward"], exist_ok=True)
    weights = {f"gpt_neox.{k}": v.contiguous() for k, v in backbone.state_dict().items()}
    weights.update({"out_proj.weight": head.weight.detach().clone(), "out_proj.bias": head.bias.detach().clone()})
    save_file(weights, os.path.join(paths["reward"], "model.safetensors"))
    saved = config.to_dict()
    saved.update({"model_type": "gpt_neox_reward_model", "architectures": ["GPTNeoXRewardModel"], "pooling": "last"})
    with open(os.path.join(paths["reward"], "config.json"), "w") as f:
        json.dump(saved, f)
    tok.save_pretrained(paths["reward"])

    tok = tokenizer(["<pad>", "</s>", "<unk>"], eos="</s>", unk="<unk>", pad="<pad>")
    t5 = T5ForConditionalGeneration(T5Config(vocab_size=len(tok), d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
                                             pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                                             decoder_start_token_id=tok.pad_token_id))
    paths["unieval"] = os.path.join(root, "unieval")
    t5.save_pretrained(paths["unieval"])
    tok.save_pretrained(paths["unieval"])
    return paths


if __name__ == "__main__":
    print(json.dumps(build(sys.argv[1])))
