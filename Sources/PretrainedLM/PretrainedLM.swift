/// Real pretrained causal language models read from GGUF files: their tokenizers, their architectures (`llama`,
/// `gemma3`) forward and backward in Float32 over BLAS, and finetuning in three modes (full, LoRA, last-N-blocks).
public enum PretrainedLM {}
