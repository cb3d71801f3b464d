"""Loads all-MiniLM-L6-v2 from the local folder as sentence-transformers would, fully offline.

The wheel's copy lacks the 1_Pooling/2_Normalize folders, so the three modules of the published model
(BERT → mean pooling → L2 normalisation, max_seq_length 256) are assembled explicitly.
"""
import os
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MODEL_DIR = ROOT / "models" / "all-minilm-l6-v2"
DATA = Path(os.environ.get("IMINE_DATA", ROOT / "data"))


def load_model(device="cpu"):
    from sentence_transformers import SentenceTransformer, models
    transformer = models.Transformer(str(MODEL_DIR), max_seq_length=256)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    return SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device=device)


def instruction_text(record):
    """instruction + input + response, joined by newlines, empty parts skipped (the workbench's KNN text)."""
    parts = [record.get("instruction", ""), record.get("input", ""), record.get("output", "")]
    return "\n".join(p for p in parts if p)
