"""A small Telegram Bot API server for tests, on 127.0.0.1 only.

It speaks enough of the Bot API for python-telegram-bot to run a real `Application` against it
(getMe, getUpdates with offset/limit/long-poll timeout, sendMessage, editMessageText, ...),
records every call, lets a test inject updates, and checks messages the way Telegram does:
HTML parse mode (allowed tags, balance, escaping), 4096-character limit, 64-byte callback data.
Faults can be injected: every Nth sendMessage fails with 502 (before anything is stored, like a
proxy failing in front of Telegram) or 429 with retry_after; every Nth call of chosen methods fails
with 500 or hangs (then 504, nothing stored); or a seeded random share of calls fails.

Runs its own event loop in a background thread, so synchronous tests can drive it.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span", "tg-emoji"}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MAX_TEXT = 4096
_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+)"
_START_TAG = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*" + _VALUE + r")*)\s*")
_ATTR = re.compile(r"([a-zA-Z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")


class HTMLError(ValueError):
    """Why Telegram would refuse the text, worded like Telegram's own description."""


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The text a user would see, or HTMLError as Telegram's HTML parser would raise it."""
    out: list[str] = []
    stack: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        offset = len(text[:i].encode())
        if c == "<":
            j = text.find(">", i)
            if j < 0:
                raise HTMLError(f"Unclosed start tag at byte offset {offset}")
            inner = text[i + 1:j]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise HTMLError(f'Unexpected end tag at byte offset {offset}')
                if stack[-1] != name:
                    raise HTMLError(f'Unmatched end tag at byte offset {offset}, expected "</{stack[-1]}>", '
                                    f'found "</{name}>"')
                stack.pop()
            else:
                m = _START_TAG.fullmatch(inner)
                if not m:
                    raise HTMLError(f"Unsupported start tag at byte offset {offset}")
                name = m.group(1).lower()
                if name not in ALLOWED_TAGS:
                    raise HTMLError(f'Unsupported start tag "{name}" at byte offset {offset}')
                attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None)
                         for a in _ATTR.finditer(m.group(2))}
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise HTMLError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
                if stack and stack[-1] in ("code", "pre") and not (stack[-1] == "pre" and name == "code"):
                    raise HTMLError(f"Entities can't be nested in {stack[-1]} at byte offset {offset}")
                for value in attrs.values():
                    if "<" in value:
                        raise HTMLError(f"Unsupported attribute value at byte offset {offset}")
                stack.append(name)
            i = j + 1
        elif c == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise HTMLError(f"Character '&' is reserved and must be escaped at byte offset {offset}")
            ref = m.group(1)
            if ref.startswith("#"):
                code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise HTMLError(f"Invalid character reference at byte offset {offset}")
                out.append(chr(code))
            elif ref.lower() in NAMED_ENTITIES:
                out.append(NAMED_ENTITIES[ref.lower()])
            else:
                raise HTMLError(f'Unsupported HTML entity "&{ref};" at byte offset {offset}')
            i = m.end()
        elif c == ">":
            raise HTMLError(f"Character '>' is reserved and must be escaped at byte offset {offset}")
        else:
            out.append(c)
            i += 1
    if stack:
        raise HTMLError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def visible_text(text: str, parse_mode: str | None) -> str:
    """What Telegram would store for this text and parse mode (raises HTMLError, ValueError)."""
    if parse_mode and parse_mode.upper() == "HTML":
        plain = parse_html(text)
    elif parse_mode:
        raise ValueError(f"unsupported parse_mode {parse_mode!r} in this fake server")
    else:
        plain = text
    return plain.strip()


class APIError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Call:
    """One request the bot made: method, decoded parameters, HTTP status and when."""

    method: str
    params: dict[str, Any]
    status: int
    t: float
    result: Any = None
    error: str | None = None

    @property
    def chat_id(self) -> int | None:
        v = self.params.get("chat_id")
        try:
            return int(v) if v is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def reply_to(self) -> int | None:
        rp = self.params.get("reply_parameters")
        if isinstance(rp, dict) and rp.get("message_id") is not None:
            return int(rp["message_id"])
        v = self.params.get("reply_to_message_id")
        return int(v) if v is not None else None

    @property
    def ok(self) -> bool:
        return self.status == 200


def _decode(value: Any) -> Any:
    """Form fields arrive as strings; nested objects (reply_markup, results...) as JSON."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


@dataclass
class Faults:
    """Every Nth sendMessage fails (0: never); a 502 wins when both apply.

    The extra faults apply to the methods in `methods` (counted per method): every Nth call gets a
    500 (`server_error_every`) or hangs `hang_seconds` and then gets a 504 without being carried out
    (`hang_every`, a proxy timing out: the client has given up by then). `random_rate` fails that
    share of calls at random (seeded by `random_seed`): 502, 500 or, for one in `random_429_in`,
    a 429 with retry_after.
    """

    bad_gateway_every: int = 0
    too_many_every: int = 0
    retry_after: int = 1
    reject_html_marker: str = ""  # HTML messages containing it get "can't parse entities"
    server_error_every: int = 0
    hang_every: int = 0
    hang_seconds: float = 0.0
    methods: tuple[str, ...] = ("sendMessage",)
    random_rate: float = 0.0
    random_429_in: int = 0
    random_seed: int = 0


@dataclass
class FakeBotAPI:
    token: str
    username: str = "qabot_test_bot"
    bot_id: int = field(default=0)
    host: str = "127.0.0.1"
    port: int = 0
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        self.bot_id = self.bot_id or int(self.token.split(":", 1)[0])
        self.calls: list[Call] = []
        self.updates: list[dict] = []  # pending, in update_id order
        self.fetched_at: dict[int, float] = {}  # update_id -> first delivery to the bot
        self.messages: dict[tuple[int, int], dict] = {}
        self.chats: dict[int, dict] = {}
        self.commands: dict[str, list] = {}
        self.webhook: dict[str, Any] = {}
        self._next_update = itertools.count(1)
        self._next_mid: dict[int, itertools.count] = {}
        self._send_count = 0
        self._method_counts: dict[str, int] = {}
        self._rng = random.Random(0)
        self._cv = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Condition | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    def start(self) -> FakeBotAPI:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Bot API server did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)

        async def boot() -> None:
            self._new_update = asyncio.Condition()
            await self._runner.setup()
            site = web.TCPSite(self._runner, self.host, self.port)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]

        loop.run_until_complete(boot())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(self._runner.cleanup())
        loop.close()

    def stop(self) -> None:
        if self._loop and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def _run(self, coro) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    # --- injecting updates (from the test thread) -------------------------------------------

    def chat(self, chat_id: int, chat_type: str | None = None, title: str | None = None) -> dict:
        if chat_id not in self.chats:
            kind = chat_type or ("private" if chat_id > 0 else "group")
            c = {"id": chat_id, "type": kind}
            if kind == "private":
                c["first_name"] = f"User{chat_id}"
            else:
                c["title"] = title or f"Group {chat_id}"
            self.chats[chat_id] = c
        return self.chats[chat_id]

    def _mid(self, chat_id: int) -> int:
        return next(self._next_mid.setdefault(chat_id, itertools.count(1)))

    @staticmethod
    def user(user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}

    def bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": "QA Bot", "username": self.username}

    def entities_for(self, text: str) -> list[dict]:
        """bot_command and mention entities, as Telegram computes them (UTF-16 offsets)."""
        ents = []
        pattern = r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?|(?<![\w@])@[A-Za-z0-9_]{5,32}"
        for m in re.finditer(pattern, text):
            kind = "bot_command" if m.group().startswith("/") else "mention"
            ents.append({"type": kind, "offset": u16(text[:m.start()]), "length": u16(m.group())})
        return ents

    def build_message(self, chat_id: int, text: str, *, user_id: int | None = None,
                      chat_type: str | None = None, reply_to: int | None = None,
                      entities: list[dict] | None = None) -> dict:
        """A user's text message (not yet delivered); its message_id is what the bot replies to."""
        def make() -> dict:
            chat = self.chat(chat_id, chat_type)
            uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 1000)
            msg = {"message_id": self._mid(chat_id), "date": int(time.time()), "chat": chat,
                   "from": self.user(uid), "text": text}
            ents = self.entities_for(text) if entities is None else entities
            if ents:
                msg["entities"] = ents
            if reply_to is not None:
                msg["reply_to_message"] = self.messages[(chat_id, reply_to)]
            self.messages[(chat_id, msg["message_id"])] = msg
            return msg

        return self._run(self._sync(make))

    def message(self, chat_id: int, text: str, **kw: Any) -> dict:
        """Inject a text message now (see build_message for the arguments)."""
        msg = self.build_message(chat_id, text, **kw)
        return {**msg, "update_id": self.inject({"message": msg})}

    def callback(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None) -> str:
        """Inject a button press on a message the bot sent; returns the callback query id."""
        qid = f"cq{next(self._next_update)}"
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 1000)
        msg = self.messages[(chat_id, message_id)]
        self.inject({"callback_query": {"id": qid, "from": self.user(uid), "message": msg,
                                        "chat_instance": str(chat_id), "data": data}})
        return qid

    def inline(self, query: str, *, user_id: int = 4242, offset: str = "") -> str:
        qid = f"iq{next(self._next_update)}"
        self.inject({"inline_query": {"id": qid, "from": self.user(user_id), "query": query,
                                      "offset": offset, "chat_type": "sender"}})
        return qid

    def inject(self, payload: dict) -> int:
        return self._run(self._inject(payload))

    def inject_many(self, payloads: list[dict]) -> list[int]:
        async def many() -> list[int]:
            return [await self._inject(p) for p in payloads]
        return self._run(many())

    async def _sync(self, fn: Callable[[], Any]) -> Any:
        return fn()

    async def _inject(self, payload: dict) -> int:
        uid = next(self._next_update)
        self.updates.append({"update_id": uid, **payload})
        async with self._new_update:
            self._new_update.notify_all()
        return uid

    # --- looking at what the bot did (from the test thread) ---------------------------------

    def sent(self, method: str = "sendMessage", *, chat_id: int | None = None, ok: bool = True) -> list[Call]:
        with self._cv:
            return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)
                    and (not ok or c.ok)]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Block until predicate() is truthy (checked after every call the bot makes)."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the bot did not do what the test waited for")
                self._cv.wait(min(left, 0.5))

    def replies_to(self, chat_id: int, message_id: int) -> list[Call]:
        return [c for c in self.sent("sendMessage", chat_id=chat_id) if c.reply_to == message_id]

    def wait_reply(self, msg: dict, timeout: float = 15.0) -> Call:
        chat_id = msg["chat"]["id"]
        return self.wait_for(lambda: (self.replies_to(chat_id, msg["message_id"]) or [None])[0], timeout)

    def set_faults(self, bad_gateway_every: int = 0, too_many_every: int = 0, retry_after: int = 1,
                   reject_html_marker: str = "", **extra: Any) -> None:
        """Replace the faults (no argument: none); `extra` are the other `Faults` fields."""
        with self._cv:
            self.faults = Faults(bad_gateway_every, too_many_every, retry_after, reject_html_marker, **extra)
            self._send_count = 0
            self._method_counts = {}
            self._rng = random.Random(self.faults.random_seed)

    def statuses(self, method: str | None = None, since: int = 0) -> dict[int, int]:
        """How many calls (of one method) got each HTTP status, from call number `since` on."""
        with self._cv:
            out: dict[int, int] = {}
            for c in self.calls[since:]:
                if method is None or c.method == method:
                    out[c.status] = out.get(c.status, 0) + 1
            return out

    # --- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        try:
            if request.method == "POST" and request.content_type == "application/json":
                params.update(await request.json())
            elif request.method == "POST":
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        except ConnectionResetError:  # the client gave up mid-request (a cancelled task): nothing to do
            return web.Response(status=499)
        params = {k: _decode(v) for k, v in params.items()}
        if request.match_info["token"] != self.token:
            return self._reply(method, params, 401, {"ok": False, "error_code": 401,
                                                     "description": "Unauthorized"})
        fault = self._fault(method)
        if fault is not None:
            status, body, delay = fault
            if delay:
                await asyncio.sleep(delay)
            try:
                return self._reply(method, params, status, body)
            except ConnectionResetError:  # the client gave up long ago: that is the point of a hang
                return web.Response(status=499)
        fn = getattr(self, f"api_{method.lower()}", None)
        if fn is None:
            return self._reply(method, params, 404, {"ok": False, "error_code": 404,
                                                     "description": "Not Found: method not found"})
        try:
            result = await fn(params)
        except APIError as exc:
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return self._reply(method, params, exc.code, body)
        return self._reply(method, params, 200, {"ok": True, "result": result})

    def _fault(self, method: str) -> tuple[int, Any, float] | None:
        with self._cv:
            f = self.faults
            if method == "sendMessage":
                self._send_count += 1
            n = self._send_count
            m = 0
            roll = 1.0
            if method in f.methods:
                m = self._method_counts[method] = self._method_counts.get(method, 0) + 1
                roll = self._rng.random() if f.random_rate else 1.0
                kind = self._rng.randrange(max(1, f.random_429_in)) if f.random_rate else 1
        bad_gateway = (502, "<html><head><title>502 Bad Gateway</title></head></html>", 0.0)
        too_many = (429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after "
                          f"{f.retry_after}", "parameters": {"retry_after": f.retry_after}}, 0.0)
        server_error = (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}, 0.0)
        if method == "sendMessage":
            if f.bad_gateway_every and n % f.bad_gateway_every == 0:
                return bad_gateway
            if f.too_many_every and n % f.too_many_every == 0:
                return too_many
        if not m:
            return None
        if f.server_error_every and m % f.server_error_every == 0:
            return server_error
        if f.hang_every and m % f.hang_every == 0:
            return 504, "<html><head><title>504 Gateway Time-out</title></head></html>", f.hang_seconds
        if roll < f.random_rate:
            if f.random_429_in and kind == 0:
                return too_many
            return bad_gateway if roll < f.random_rate / 2 else server_error
        return None

    def _reply(self, method: str, params: dict, status: int, body: Any) -> web.Response:
        call = Call(method, params, status, time.time(),
                    result=body.get("result") if isinstance(body, dict) else None,
                    error=body.get("description") if isinstance(body, dict) else str(body))
        with self._cv:
            self.calls.append(call)
            self._cv.notify_all()
        if isinstance(body, str):
            return web.Response(status=status, text=body, content_type="text/html")
        return web.json_response(body, status=status)

    # --- methods -----------------------------------------------------------------------------

    async def api_getme(self, p: dict) -> dict:
        return {**self.bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": True, "can_connect_to_business": False, "has_main_web_app": False}

    async def api_logout(self, p: dict) -> bool:
        return True

    async def api_close(self, p: dict) -> bool:
        return True

    async def api_deletewebhook(self, p: dict) -> bool:
        self.webhook = {}
        return True

    async def api_setwebhook(self, p: dict) -> bool:
        self.webhook = dict(p)
        return True

    async def api_getwebhookinfo(self, p: dict) -> dict:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": 0}

    async def api_setmycommands(self, p: dict) -> bool:
        cmds = p.get("commands") or []
        for c in cmds:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", "")) or not 1 <= len(c.get("description",
                                                                                                "")) <= 256:
                raise APIError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = p.get("scope") or {"type": "default"}
        self.commands[scope.get("type", "default")] = cmds
        return True

    async def api_getmycommands(self, p: dict) -> list:
        scope = p.get("scope") or {"type": "default"}
        return self.commands.get(scope.get("type", "default"), [])

    async def api_deletemycommands(self, p: dict) -> bool:
        scope = p.get("scope") or {"type": "default"}
        self.commands.pop(scope.get("type", "default"), None)
        return True

    async def api_getupdates(self, p: dict) -> list:
        offset = int(p.get("offset") or 0)
        limit = max(1, min(100, int(p.get("limit") or 100)))
        timeout = float(p.get("timeout") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._new_update:
            while not self.updates and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
        batch = self.updates[:limit]
        now = time.time()
        for u in batch:
            self.fetched_at.setdefault(u["update_id"], now)
        return batch

    def _check_markup(self, markup: Any) -> None:
        if not markup:
            return
        if not isinstance(markup, dict):
            raise APIError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise APIError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise APIError(400, "Bad Request: text buttons are unallowed in the inline keyboard")

    def _check_text(self, text: Any, parse_mode: str | None) -> str:
        if not isinstance(text, str):
            raise APIError(400, "Bad Request: message text is empty")
        marker = self.faults.reject_html_marker
        try:
            if marker and parse_mode and marker in text:
                raise HTMLError(f"Unsupported start tag \"{marker}\" at byte offset 0")
            plain = visible_text(text, parse_mode)
        except HTMLError as exc:
            raise APIError(400, f"Bad Request: can't parse entities: {exc}") from None
        if not plain:
            raise APIError(400, "Bad Request: message text is empty")
        if u16(plain) > MAX_TEXT:
            raise APIError(400, "Bad Request: message is too long")
        return plain

    def _chat_of(self, p: dict) -> dict:
        try:
            chat_id = int(p.get("chat_id"))
        except (TypeError, ValueError):
            raise APIError(400, "Bad Request: chat not found") from None
        if chat_id not in self.chats:
            raise APIError(400, "Bad Request: chat not found")
        return self.chats[chat_id]

    async def api_sendmessage(self, p: dict) -> dict:
        chat = self._chat_of(p)
        plain = self._check_text(p.get("text"), p.get("parse_mode"))
        self._check_markup(p.get("reply_markup"))
        rp = p.get("reply_parameters") if isinstance(p.get("reply_parameters"), dict) else None
        reply_id = (rp or {}).get("message_id") or p.get("reply_to_message_id")
        msg = {"message_id": self._mid(chat["id"]), "date": int(time.time()), "chat": chat,
               "from": self.bot_user(), "text": plain}
        if reply_id is not None:
            target = self.messages.get((chat["id"], int(reply_id)))
            if target is not None:
                msg["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
            elif not (rp or {}).get("allow_sending_without_reply"):
                raise APIError(400, "Bad Request: message to be replied not found")
        if p.get("reply_markup"):
            msg["reply_markup"] = p["reply_markup"]
        msg["_html"] = p.get("text")
        self.messages[(chat["id"], msg["message_id"])] = msg
        return {k: v for k, v in msg.items() if not k.startswith("_")}

    async def api_editmessagetext(self, p: dict) -> Any:
        plain = self._check_text(p.get("text"), p.get("parse_mode"))
        self._check_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        chat = self._chat_of(p)
        key = (chat["id"], int(p.get("message_id") or 0))
        msg = self.messages.get(key)
        if msg is None:
            raise APIError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.bot_id:
            raise APIError(400, "Bad Request: message can't be edited")
        if msg.get("_html") == p.get("text") and msg.get("reply_markup") == p.get("reply_markup"):
            raise APIError(400, "Bad Request: message is not modified: specified new message content "
                           "and reply markup are exactly the same as a current content and reply markup "
                           "of the message")
        msg.update(text=plain, _html=p.get("text"), edit_date=int(time.time()))
        if p.get("reply_markup"):
            msg["reply_markup"] = p["reply_markup"]
        else:
            msg.pop("reply_markup", None)
        return {k: v for k, v in msg.items() if not k.startswith("_")}

    async def api_sendchataction(self, p: dict) -> bool:
        self._chat_of(p)
        if p.get("action") not in {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                                   "upload_voice", "upload_document", "choose_sticker", "find_location",
                                   "record_video_note", "upload_video_note"}:
            raise APIError(400, "Bad Request: wrong parameter action in request")
        return True

    async def api_answercallbackquery(self, p: dict) -> bool:
        text = p.get("text") or ""
        if len(text) > 200:
            raise APIError(400, "Bad Request: MESSAGE_TOO_LONG")
        if not p.get("callback_query_id"):
            raise APIError(400, "Bad Request: query is too old and response timeout expired or query ID is "
                           "invalid")
        return True

    async def api_answerinlinequery(self, p: dict) -> bool:
        results = p.get("results")
        if not isinstance(results, list):
            raise APIError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise APIError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = set()
        for r in results:
            rid = str(r.get("id", ""))
            if not 1 <= len(rid.encode()) <= 64 or rid in ids:
                raise APIError(400, "Bad Request: RESULT_ID_INVALID")
            ids.add(rid)
            content = r.get("input_message_content") or {}
            if r.get("type") == "article":
                if not r.get("title"):
                    raise APIError(400, "Bad Request: RESULT_TITLE_EMPTY")
                self._check_text(content.get("message_text"), content.get("parse_mode"))
            self._check_markup(r.get("reply_markup"))
        if len(str(p.get("next_offset") or "").encode()) > 64:
            raise APIError(400, "Bad Request: NEXT_OFFSET_INVALID")
        return True


def html_of(call: Call) -> str:
    """The text the bot sent in a call (sendMessage/editMessageText)."""
    return str(call.params.get("text") or "")


def plain_of(call: Call) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", html_of(call)))
