"""`python -m bot`: the same as `qabot bot`, with the same flags."""

from __future__ import annotations

import logging
import os
import sys

from .app import build_parser, run_from_args


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("sentence_transformers", "bm25s", "filelock", "transformers", "faiss.loader"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return run_from_args(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
