"""A linear-chain CRF over word-level emissions (the logits at each word's first sub-word), with
IOB2 structure built in: I-X may only follow B-X or I-X. Trained jointly with the encoder
(negative log-likelihood); decoded with Viterbi. Kept beside the weights as crf.safetensors so the
encoder stays a plain token-classification checkpoint that any Hugging Face tool can load."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

CRF_FILE = "crf.safetensors"
_FORBIDDEN = -1e4  # added to a transition IOB2 does not allow; large but finite so gradients stay finite


def iob2_mask(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(transition penalty [from, to], start penalty [to]): 0 where IOB2 allows it, -1e4 elsewhere."""
    n = len(labels)
    trans = np.zeros((n, n), dtype=np.float32)
    start = np.zeros(n, dtype=np.float32)
    for j, to in enumerate(labels):
        prefix, _, etype = to.partition("-")
        if prefix != "I":
            continue
        start[j] = _FORBIDDEN
        for i, frm in enumerate(labels):
            if frm.partition("-")[2] != etype:
                trans[i, j] = _FORBIDDEN
    return trans, start


def make_crf(labels: Sequence[str]) -> Any:
    """The torch module, built lazily so importing this file needs no torch."""
    import torch

    class CRF(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            n = len(labels)
            self.transitions = torch.nn.Parameter(torch.zeros(n, n))
            self.start = torch.nn.Parameter(torch.zeros(n))
            self.end = torch.nn.Parameter(torch.zeros(n))
            trans, start = iob2_mask(labels)
            self.trans_mask: torch.Tensor
            self.start_mask: torch.Tensor
            self.register_buffer("trans_mask", torch.from_numpy(trans), persistent=False)
            self.register_buffer("start_mask", torch.from_numpy(start), persistent=False)

        def nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            """Summed negative log-likelihood of `tags` [B, W] given emissions [B, W, T]; mask [B, W]
            is true on real words, which come first in each row."""
            trans = self.transitions + self.trans_mask
            start = self.start + self.start_mask
            mask = mask.bool()
            batch = torch.arange(emissions.shape[0], device=emissions.device)
            # score of the gold path
            score = start[tags[:, 0]] + emissions[batch, 0, tags[:, 0]]
            for w in range(1, emissions.shape[1]):
                step = trans[tags[:, w - 1], tags[:, w]] + emissions[batch, w, tags[:, w]]
                score = score + step * mask[:, w]
            last = tags[batch, mask.sum(1) - 1]
            score = score + self.end[last]
            # log partition by the forward algorithm
            alpha = start + emissions[:, 0]
            for w in range(1, emissions.shape[1]):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans + emissions[:, w].unsqueeze(1), dim=1)
                alpha = torch.where(mask[:, w : w + 1], nxt, alpha)
            log_z = torch.logsumexp(alpha + self.end, dim=1)
            return (log_z - score).sum()

    return CRF()


class Decoder:
    """Viterbi over numpy emissions with the saved transition scores and the IOB2 constraints."""

    def __init__(self, labels: Sequence[str], transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
        trans_mask, start_mask = iob2_mask(labels)
        self.trans = transitions.astype(np.float32) + trans_mask
        self.start = start.astype(np.float32) + start_mask
        self.end = end.astype(np.float32)

    @classmethod
    def constrained(cls, labels: Sequence[str]) -> Decoder:
        """No learned transitions: the best IOB2-valid path under the emissions alone."""
        n = len(labels)
        return cls(labels, np.zeros((n, n)), np.zeros(n), np.zeros(n))

    @classmethod
    def from_module(cls, crf: Any, labels: Sequence[str]) -> Decoder:
        """The decoder of a CRF being trained (scores copied now)."""
        return cls(labels, *_scores(crf))

    @classmethod
    def load(cls, folder: Path, labels: Sequence[str], head: str | None = None) -> Decoder | None:
        """The CRF saved in `folder`, or None when there is none; `head` names one head's CRF
        of a multi-head model (its scores are stored under "<head>/...")."""
        path = folder / CRF_FILE
        if not path.is_file():
            return None
        from safetensors.numpy import load_file

        t = load_file(str(path))
        prefix = f"{head}/" if head else ""
        if prefix + "transitions" not in t:
            return None
        return cls(labels, t[prefix + "transitions"], t[prefix + "start"], t[prefix + "end"])

    def decode(self, emissions: np.ndarray) -> list[int]:
        """Best label index per word for emissions [words, labels]."""
        return self.decode_many([emissions])[0]

    def decode_many(self, emissions: Sequence[np.ndarray], group: int = 256) -> list[list[int]]:
        """decode() for many sentences at once: sentences of similar length are stacked and stepped
        through together, so numpy works on [sentences, labels, labels] arrays instead of Python
        looping over every word of every sentence."""
        out: list[list[int]] = [[] for _ in emissions]
        order = sorted((i for i, e in enumerate(emissions) if len(e)), key=lambda i: len(emissions[i]))
        for g in range(0, len(order), group):
            rows = order[g:g + group]
            lens = np.array([len(emissions[i]) for i in rows])
            width = int(lens.max())
            em = np.zeros((len(rows), width, len(self.start)), dtype=np.float32)
            for r, i in enumerate(rows):
                em[r, : lens[r]] = emissions[i]
            score = self.start + em[:, 0]
            back = np.zeros((len(rows), width, len(self.start)), dtype=np.int64)
            for w in range(1, width):
                total = score[:, :, None] + self.trans  # [rows, from, to]
                best = total.argmax(1)
                back[:, w] = best
                # the maximum read at the argmax: one pass over [rows, from, to] instead of two
                top = np.take_along_axis(total, best[:, None, :], 1)[:, 0]
                score = np.where((w < lens)[:, None], top + em[:, w], score)
            cur = (score + self.end).argmax(1)
            paths = np.zeros((len(rows), width), dtype=np.int64)
            every = np.arange(len(rows))
            for w in range(width - 1, -1, -1):
                if w + 1 < width:  # step back where the sentence goes on past w; keep the end label elsewhere
                    cur = np.where(w + 1 < lens, back[every, w + 1, cur], cur)
                paths[:, w] = cur
            for r, i in enumerate(rows):
                out[i] = paths[r, : lens[r]].tolist()
        return out


_SCORES = ("transitions", "start", "end")


def _scores(crf: Any) -> list[np.ndarray]:
    return [getattr(crf, name).detach().cpu().numpy().astype(np.float32) for name in _SCORES]


def save_crf(crf: Any, folder: Path) -> None:
    from safetensors.numpy import save_file

    save_file(dict(zip(_SCORES, _scores(crf))), str(folder / CRF_FILE))


def save_crfs(crfs: dict[str, Any], folder: Path) -> None:
    """The CRFs of a multi-head model in one file, each head's scores under "<head>/"."""
    from safetensors.numpy import save_file

    save_file({f"{head}/{name}": s for head, crf in crfs.items() for name, s in zip(_SCORES, _scores(crf))},
              str(folder / CRF_FILE))
