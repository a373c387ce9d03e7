"""What runs inside a worker: the model it loads once, and the calls stages send it.

A call names its embedder by an :data:`EmbedderSpec`: a thread count means "this
worker's own MiniLM session with that many onnxruntime threads" (built on the first
call, kept for every later one); an :class:`Embedder` object is used as it is (a test
stand-in, which must then pickle). MiniLM gives the same vectors whatever its thread
count, so where a story is analysed never changes its report.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence

from copydesk.analyze import analyze_story
from copydesk.embed import Embedder, Matrix, MiniLMEmbedder, default_embedder
from copydesk.engine.executor import Executor
from copydesk.models import Article, Story, StoryAnalysis

EmbedderSpec = int | Embedder

_MODELS: dict[int, MiniLMEmbedder] = {}
_LOCK = threading.Lock()


def spec_for(executor: Executor, embedder: Embedder | None) -> EmbedderSpec:
    """What calls of ``executor`` embed with: here, ``embedder`` (or the shared model);
    in another process the default model is the worker's own, any other embedder is
    sent as it is."""
    if not executor.remote:
        return embedder or default_embedder()
    if embedder is None or (type(embedder) is MiniLMEmbedder and embedder.model is None):
        return executor.embed_threads
    return embedder  # another model file travels as its settings and loads there


def worker_embedder(spec: EmbedderSpec) -> Embedder:
    """The embedder a spec names; a worker's MiniLM session is loaded once per process."""
    if not isinstance(spec, int):
        return spec
    with _LOCK:  # Dask may run two calls of one process in threads at once
        if spec not in _MODELS:
            _MODELS[spec] = MiniLMEmbedder(threads=spec).load()
        return _MODELS[spec]


def without_raw(article: Article) -> Article:
    """The article as a worker needs it: no stage after cleaning reads the raw input,
    often the larger half (a whole HTML page)."""
    return dataclasses.replace(article, raw="")


def analyze_one(
    item: tuple[Story, Sequence[Article]], spec: EmbedderSpec, brief_words: int
) -> StoryAnalysis:
    """One story's analysis from its own articles (nothing else of the pile is needed)."""
    story, members = item
    return analyze_story(story, members, embedder=worker_embedder(spec), brief_words=brief_words)


def encode_slice(texts: list[str], spec: EmbedderSpec) -> Matrix:
    """Vectors of one slice of texts: one ``encode`` call, as in one process, because
    ``encode`` forms its length-sorted batches (and int8 scales) within a call."""
    return worker_embedder(spec).encode(texts)
