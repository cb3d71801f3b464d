/// The GGUF v3 file format (llama.cpp's model files): header, metadata, tensor table, and dequantisation of every
/// tensor type the workbench's real models use to Float32.
///
/// This module knows bytes and numbers only; what a tensor means (an attention projection, a norm) is
/// `PretrainedLM`'s business.
public enum GGUF {}
