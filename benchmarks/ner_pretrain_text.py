"""Write the materials text of the public corpora (SOFC-Exp full texts, synthesis-procedure
paragraphs, NERRE abstracts), read in place, one sentence per line: the text that
`mattermine nlp pretrain` adapted the offline MiniLM base on (docs/ner/). MatScholar sentences are
passed to pretrain separately (--conll train.txt) and its dev set excluded (--exclude dev.txt).

    python benchmarks/ner_pretrain_text.py --out materials.txt
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedding_corpus import nerre_documents, sofc_documents, synthesis_documents  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    counts = {}
    with args.out.open("w", encoding="utf-8") as fh:
        for name, docs in (("sofc-exp", sofc_documents), ("synthesis-procedures", synthesis_documents),
                           ("nerre", nerre_documents)):
            n = 0
            for doc in docs():
                for sentence in doc.sentences:
                    fh.write(" ".join(sentence.split()) + "\n")
                    n += 1
            counts[name] = n
    print(json.dumps({"out": str(args.out), "sentences": counts}))


if __name__ == "__main__":
    main()
