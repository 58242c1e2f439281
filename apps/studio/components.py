"""The component_url protocol: a catalogued service answers a POST with a scene as JSON.

At job time every ``component`` scene the planner placed (``data`` has ``component_url``
and ``slug``) is fetched, all of them in parallel, within one deadline
(``STUDIO_COMPONENT_TIMEOUT_SECONDS``). An answer that is late, too large, not JSON or
not valid against ``component_scene.schema.json`` drops that scene and says why in a
note; nothing a component does can fail the job. Protocol: docs/components.md.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from apps.core.netguard import ForbiddenDestination, check_url

from .storyboard import Scene, Storyboard

SCHEMA_PATH = Path(__file__).parent / "component_scene.schema.json"
PROTOCOL_VERSION = 1
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = "VisionSpace-studio/1"


class ComponentError(Exception):
    """Why a component's scene was skipped, in words for the people watching."""


@dataclass(frozen=True)
class Resolved:
    storyboard: Storyboard
    notes: list[str]


@lru_cache(maxsize=1)
def scene_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def component_scene_validate(answer: object) -> dict:
    """The answer as a scene, or ComponentError with the first problem found."""
    if not isinstance(answer, dict):
        raise ComponentError("the answer is not a JSON object")
    errors = sorted(scene_validator().iter_errors(answer), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "the scene"
        raise ComponentError(f"invalid scene ({where}: {errors[0].message[:120]})")
    return answer


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class _Call:
    """One POST; ``abort`` closes its socket from another thread when the deadline passes."""

    def __init__(self, url: str, body: bytes, deadline: float):
        self.url, self.body, self.deadline = url, body, deadline
        self.sock: socket.socket | None = None
        self.aborted = False
        self._lock = threading.Lock()

    def abort(self) -> None:
        with self._lock:
            self.aborted = True
            if self.sock is not None:
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.aborted:
            raise TimeoutError
        return left

    def run(self) -> dict:
        parts = urlsplit(self.url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise ComponentError("its component_url is not a valid URL") from None
        try:
            check_url(self.url)
            addresses = _addresses(parts.hostname, port)
        except ForbiddenDestination as exc:
            raise ComponentError(f"forbidden destination ({exc})") from None
        try:
            return self._post(parts, port, addresses)
        except TimeoutError:
            raise ComponentError("timed out") from None
        except (http.client.HTTPException, OSError) as exc:
            if self.aborted:
                raise ComponentError("timed out") from None
            raise ComponentError(f"connection failed ({type(exc).__name__}: {str(exc)[:100]})") from None

    def _post(self, parts, port: int, addresses: list[str]) -> dict:
        host = parts.hostname
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(host, port, timeout=self._left())
        # Dial an address that passed the guard, speaking to it as the URL's host (no DNS rebinding).
        conn._create_connection = lambda _hostport, t, source: socket.create_connection((addresses[0], port), t, source)
        try:
            conn.connect()
            with self._lock:
                self.sock = conn.sock
                if self.aborted:
                    raise TimeoutError
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            self.sock.settimeout(self._left())
            conn.request("POST", path, body=self.body, headers={
                "Content-Type": "application/json", "Accept": "application/json",
                "User-Agent": USER_AGENT, "Connection": "close",
            })
            response = conn.getresponse()
            if response.status != 200:
                raise ComponentError(f"it answered HTTP {response.status}")
            chunks, size = [], 0
            while size <= MAX_ANSWER_BYTES:
                self.sock.settimeout(self._left())
                chunk = response.read1(16 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if self.aborted:
                raise TimeoutError
            if size > MAX_ANSWER_BYTES:
                raise ComponentError(f"its answer is larger than {MAX_ANSWER_BYTES // 1024} KB")
        finally:
            conn.close()
        try:
            answer = json.loads(b"".join(chunks), parse_constant=_reject_constant)
        except ValueError:
            raise ComponentError("its answer is not JSON") from None
        return component_scene_validate(answer)


def _addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ForbiddenDestination(f"{host} does not resolve: {exc.strerror}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        check_url(f"http://{'[' + address + ']' if ':' in address else address}:{port}/")
    return addresses


def component_request_body(*, request: str, service: str, size: tuple[int, int]) -> bytes:
    return json.dumps({"v": PROTOCOL_VERSION, "request": request, "service": service, "size": list(size)}).encode()


def _scene_from(answer: dict) -> Scene:
    return Scene(kind="component", title=answer["title"], narration=answer["narration"],
                 duration_s=float(answer["duration_s"]), data=answer)


def components_resolve(*, storyboard: Storyboard, size: tuple[int, int], timeout: float) -> Resolved:
    """Fetch every component scene at once; keep the valid answers in place, drop the rest with a note."""
    wanted = [(i, s) for i, s in enumerate(storyboard.scenes) if s.kind == "component" and "component_url" in s.data]
    if not wanted:
        return Resolved(storyboard=storyboard, notes=[])
    deadline = time.monotonic() + timeout
    calls = {
        i: _Call(s.data["component_url"], component_request_body(request=storyboard.request, service=s.data.get("slug", ""),
                                                                 size=size), deadline)
        for i, s in wanted
    }
    pool = ThreadPoolExecutor(max_workers=min(8, len(calls)), thread_name_prefix="component")
    futures = {i: pool.submit(call.run) for i, call in calls.items()}
    wait(futures.values(), timeout=timeout)
    # Decided here, once: a call aborted at the deadline may still end on its own afterwards
    # (its socket closed under a read looks like the end of a short answer).
    late = {i for i, future in futures.items() if not future.done()}
    for i in late:
        calls[i].abort()
    # A call stuck where no socket can be closed (a slow DNS answer) is left to finish on its own.
    pool.shutdown(wait=False)
    scenes, notes = list(storyboard.scenes), []
    for i, scene in wanted:
        name = scene.data.get("slug") or urlsplit(scene.data["component_url"]).hostname
        try:
            if i in late:
                raise ComponentError("timed out")
            scenes[i] = _scene_from(futures[i].result())
            continue
        except ComponentError as exc:
            reason = f"timed out after {timeout:g} s" if str(exc) == "timed out" else str(exc)
        except Exception as exc:  # a component must never fail the job, whatever it sends
            reason = f"it could not be read ({type(exc).__name__})"
        notes.append(f"Component from {name} skipped: {reason}.")
        scenes[i] = None
    kept = tuple(s for s in scenes if s is not None)
    return Resolved(storyboard=replace(storyboard, scenes=kept), notes=notes)
