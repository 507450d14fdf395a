"""`qabot`: index the corpus, ask questions, chat, evaluate, look up who said what, run the bot.

Subcommands import their heavy dependencies lazily, so `qabot --help` is instant.
Exit codes: 0 answered or abstained, 2 bad usage, 3 index missing, damaged or mismatched.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable

log = logging.getLogger("qabot")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", metavar="DIR", help="documents folder (default $QABOT_SEEDS or ./seeds)")
    p.add_argument("--vectors", metavar="DIR", help="index folder (default $QABOT_VECTORS or ./vectors)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qabot",
        description="Ask questions of a news corpus; answers are cited passages.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("index", help="build or update the index from the seeds folder")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch (repairs a damaged index)")

    p = sub.add_parser("ask", help="answer a question ('-' reads one question per line from stdin)")
    _common(p)
    p.add_argument("question", help="the question, or - for questions on stdin")
    p.add_argument("--k", type=int, default=3, help="passages per answer (default 3)")
    p.add_argument("--json", action="store_true", help="JSON output (JSONL with -)")

    p = sub.add_parser("chat", help="interactive console chat (also reads questions piped on stdin)")
    _common(p)
    p.add_argument("--k", type=int, default=3)

    p = sub.add_parser("info", help="what is indexed")
    _common(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", help="measure retrieval (and quote) quality on gold sets")
    _common(p)
    p.add_argument("--gold", metavar="FILE",
                   help="questions with evidence (default tests/data/gold_qa.jsonl)")
    p.add_argument("--offtopic", metavar="FILE",
                   help="unanswerable questions (default tests/data/offtopic.jsonl)")
    p.add_argument("--quotes-gold", metavar="FILE", help="gold quotes (default tests/data/gold_quotes.jsonl)")
    p.add_argument("--mode", choices=["dense", "bm25", "hybrid", "all"], default="hybrid")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", metavar="FILE.png", help="draw Recall@k per mode")
    p.add_argument("--failures", metavar="FILE", help="where to write failed questions "
                   "(default .eval/failures.jsonl)")

    p = sub.add_parser("who", help="who said what: speakers, a speaker's quotes, or who said a phrase")
    _common(p)
    p.add_argument("name", nargs="?", help="speaker (surname, full name or alias)")
    p.add_argument("--said", metavar="PHRASE", help="find who said this phrase")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("bot", help="run the Telegram bot (token from $TELEGRAM_BOT_TOKEN)")
    _common(p)
    p.add_argument("--webhook-url", help="public HTTPS URL for webhook mode (default: polling)")
    p.add_argument("--listen", default="0.0.0.0", help="webhook listen address")
    p.add_argument("--port", type=int, default=8443, help="webhook port")
    p.add_argument("--secret-token", help="webhook secret (default $TELEGRAM_WEBHOOK_SECRET or random)")
    return parser


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "sentence_transformers", "bm25s", "filelock", "transformers",
                  "faiss.loader"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _engine(args):
    from .config import Settings
    from .engine import Engine

    return Engine(Settings.from_env(args.seeds, args.vectors))


def cmd_index(args) -> int:
    engine = _engine(args)
    report = engine.index(rebuild=args.rebuild)
    log.info("index %s: %s", engine.settings.vectors, report.summary())
    return 0


def _questions_from_stdin() -> Iterable[str]:
    for line in sys.stdin:
        yield line.rstrip("\n")


def cmd_ask(args) -> int:
    from .answer import render_text

    if args.k < 1:
        print("qabot ask: --k must be at least 1", file=sys.stderr)
        return 2
    engine = _engine(args)
    engine.batch = args.question == "-"  # a stream of questions
    engine.load()
    if args.question == "-":
        batch: list[str] = []

        def flush() -> None:
            for ans in engine.batch_ask(batch, args.k):
                emit(ans)
            sys.stdout.flush()
            batch.clear()

        def emit(ans) -> None:
            if args.json:
                sys.stdout.write(json.dumps(ans.to_json(), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(f"Q: {ans.question}\n{render_text(ans)}\n\n")

        for q in _questions_from_stdin():
            batch.append(q)
            if len(batch) >= 64:
                flush()
        if batch:
            flush()
        return 0
    ans = engine.ask(args.question, args.k)
    if args.json:
        print(json.dumps(ans.to_json(), ensure_ascii=False, indent=1))
    else:
        print(render_text(ans))
    return 0


def cmd_chat(args) -> int:
    from .answer import render_text

    engine = _engine(args)
    engine.load()
    interactive = sys.stdin.isatty()
    if interactive:
        n = len(engine.load().data.manifest["documents"])
        print(f"Ask a question about the {n} indexed document(s). Empty line or Ctrl-D to quit.")
    while True:
        if interactive:
            try:
                q = input("> ")
            except (EOFError, KeyboardInterrupt):
                print()
                break
            if not q.strip() or q.strip().lower() in {"quit", "exit", "/quit"}:
                break
        else:
            line = sys.stdin.readline()
            if not line:
                break
            q = line.strip()
            if not q:
                continue
            print(f"> {q}")
        print(render_text(engine.ask(q, args.k)))
        print()
        sys.stdout.flush()
    return 0


def cmd_info(args) -> int:
    info = _engine(args).info()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    print(f"index:     {info['vectors']} ({info['index_bytes'] / 1e6:.1f} MB, built {info['built_at']})")
    print(f"model:     {info['model']['name']} ({info['model']['dim']} dims, {info['faiss_index']['type']}"
          + (f" nprobe={fi['nprobe']}" if (fi := info['faiss_index']).get("nprobe") else "") + ")")
    print(f"documents: {info['document_count']}   passages: {info['passage_count']}   "
          f"sentences: {info['sentence_count']}   quotes: {info['quote_count']}")
    if info["quotes_pending"]:
        print(f"quotes pending for {len(info['quotes_pending'])} documents (a build stopped while extracting "
              "them; the next `qabot index` finishes them)")
    for d in info["documents"]:
        print(f"  {d['doc_id']}: {d['title']} ({d['passages']} passages)")
    if info["skipped"]:
        print("skipped:   " + ", ".join(info["skipped"]))
    return 0


def cmd_eval(args) -> int:
    from .evaluate import run_cli

    engine = _engine(args)
    engine.batch = True  # batches of questions, timed as `ask -` runs them
    return run_cli(engine, args)


QUOTE_KEYS = ("speaker", "speaker_as_written", "quote", "kind", "doc_id", "paragraph", "citation",
              "confidence")


def cmd_who(args) -> int:
    engine = _engine(args)
    index = engine.quotes
    if index is None:
        print("qabot who: this index has no quotes; run: qabot index --rebuild", file=sys.stderr)
        return 3
    if args.name and args.said:
        print("qabot who: give a NAME or --said PHRASE, not both", file=sys.stderr)
        return 2
    if not args.name and not args.said:
        speakers = index.speakers()
        if args.json:
            print(json.dumps({"speakers": [{"speaker": s, "quotes": n} for s, n in speakers]},
                             ensure_ascii=False, indent=1))
        else:
            for s, n in speakers:
                print(f"{n:4d}  {s}")
        return 0
    found = index.by_speaker(args.name) if args.name else index.who_said(args.said)
    rows = [{**{k: q.get(k) for k in QUOTE_KEYS}, **{k: v for k, v in q.items() if k in ("aliases", "score")}}
            for q in found]
    if args.json:
        print(json.dumps({"quotes": rows}, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        what = f"quotes by {args.name!r}" if args.name else f"anyone saying {args.said!r}"
        print(f"No {what} in the corpus. `qabot who` lists the speakers.")
        return 0
    for q in rows:
        mark = "“{}”".format(q["quote"]) if q["kind"] != "indirect" else q["quote"]
        print(f"{q['speaker']} ({q['kind']}): {mark}\n    {q['citation']}")
    return 0


def cmd_bot(args) -> int:
    from bot.app import run_from_args

    return run_from_args(args)


COMMANDS: dict[str, Callable] = {
    "index": cmd_index, "ask": cmd_ask, "chat": cmd_chat, "info": cmd_info,
    "eval": cmd_eval, "who": cmd_who, "bot": cmd_bot,
}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    _setup_logging(args.verbose)
    from .index import IndexError_

    try:
        return COMMANDS[args.command](args)
    except IndexError_ as exc:
        print(f"qabot: {exc}", file=sys.stderr)
        return exc.exit_code
    except FileNotFoundError as exc:
        print(f"qabot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
