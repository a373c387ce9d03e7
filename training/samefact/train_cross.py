"""Fine-tune all-MiniLM-L6-v2 as a same-fact *cross-encoder* and export it as int8 ONNX.

Training only (torch, ``training/README.md``). A bi-encoder scores a pair by the cosine
of two vectors made apart, so it cannot see which words of one sentence answer which of
the other; fine-tuned that way (``train.py``) it reached MRPC F1 0.845 against the 0.86
target. A cross-encoder reads the two sentences together ("[CLS] a [SEP] b [SEP]") and
gives one logit: too slow to score every pair of a story, it is for the question asked
one pair at a time (``copydesk.similarity``) and for checking the few pairs that decide
a join.

Data and folds as ``train.py``: MRPC train, grouped 5-fold (pairs sharing a sentence are
one group), a calibration fifth of each training part never trained on (the threshold
is chosen there), the fold's test part scored at the end. Each pair is trained in a
random order each epoch (the judgement is symmetric; it is scored in both orders and
averaged).

    .venv-train/bin/python training/samefact/train_cross.py --fold 0 --out /tmp/cross/fold0
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import BertModel

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parents[1] / "benchmarks"))

from train import MRPC, base_model_dir, export_int8, train_epochs  # noqa: E402

from _mrpc import load_grouped, training_split  # noqa: E402

MAX_TOKENS = 160


class CrossEncoder(torch.nn.Module):
    """BERT over the pair, a masked mean of its last layer, one linear logit."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.bert = bert
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(bert.config.hidden_size, 1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return self.head(self.dropout(pooled)).squeeze(-1)


def pair_tensors(
    tokenizer: Tokenizer, pairs: list[tuple[str, str]]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    encodings = tokenizer.encode_batch(pairs)
    width = max(len(e.ids) for e in encodings)
    ids = torch.zeros((len(pairs), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    for row, e in enumerate(encodings):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
        types[row, : len(e.ids)] = torch.tensor(e.type_ids)
    return ids, mask, types


@torch.no_grad()
def score(
    model: CrossEncoder, tokenizer: Tokenizer, a: list[str], b: list[str], rows: np.ndarray
) -> np.ndarray:
    """Probability of the same fact, averaged over the two orders of each pair."""
    model.eval()
    out = []
    for begin in range(0, len(rows), 64):
        chunk = rows[begin : begin + 64]
        forward = model(*pair_tensors(tokenizer, [(a[i], b[i]) for i in chunk]))
        backward = model(*pair_tensors(tokenizer, [(b[i], a[i]) for i in chunk]))
        out.append(((torch.sigmoid(forward) + torch.sigmoid(backward)) / 2).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def f1_at(p: np.ndarray, y: np.ndarray, cut: float) -> float:
    guess = p >= cut
    tp = float((guess & (y == 1)).sum())
    return 2 * tp / (guess.sum() + (y == 1).sum()) if tp else 0.0


def best_cut(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The best F1 over cuts at each score, and that cut."""
    return max(((f1_at(p, y, float(c)), float(c)) for c in np.unique(p)), default=(0.0, 0.5))


def train(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    a, b, y, groups = load_grouped(MRPC)
    train_rows, calibrate_rows, test_rows = training_split(groups, args.fold)
    print(
        f"fold {args.fold}: train {len(train_rows)}, calibrate {len(calibrate_rows)}, "
        f"test {len(test_rows)} MRPC pairs",
        flush=True,
    )
    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    model = CrossEncoder(BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False))
    loss_of = torch.nn.BCEWithLogitsLoss()

    def batch_loss(rows: list[int]) -> torch.Tensor:
        pairs = [(b[i], a[i]) if random.random() < 0.5 else (a[i], b[i]) for i in rows]
        logits = model(*pair_tensors(tokenizer, pairs))
        return loss_of(logits, torch.tensor([float(y[i]) for i in rows]))

    started = train_epochs(model, [int(i) for i in train_rows], batch_loss, args)
    figures: dict[str, float] = {"seconds": round(time.perf_counter() - started)}
    if len(test_rows):
        p_cal = score(model, tokenizer, a, b, calibrate_rows)
        f1_cal, cut = best_cut(p_cal, y[calibrate_rows])
        p_test = score(model, tokenizer, a, b, test_rows)
        figures |= {
            "calibrate_f1": round(f1_cal, 4),
            "cut": round(cut, 4),
            "test_f1": round(f1_at(p_test, y[test_rows], cut), 4),
            "test_best_f1": round(best_cut(p_test, y[test_rows])[0], 4),
        }
        np.save(args.out / "test_scores.npy", p_test)
        np.save(args.out / "calibrate_scores.npy", p_cal)
    print(json.dumps(figures), flush=True)
    (args.out / "figures.json").write_text(json.dumps(figures, indent=1) + "\n")
    export(model, args.out)
    np.save(args.out / "calibrate_rows.npy", calibrate_rows)
    np.save(args.out / "test_rows.npy", test_rows)
    print(f"done in {time.perf_counter() - started:.0f} s; model in {args.out}", flush=True)


def export(model: CrossEncoder, out: Path) -> None:
    """fp32 ONNX (input ids, mask, token types -> one logit a pair), weights as int8."""
    model.eval()
    export_int8(model, out, "logit", {0: "batch"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", default="all", help="0..4, or all (the model to ship)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    train(args)


if __name__ == "__main__":
    main()
