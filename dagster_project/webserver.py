"""The Dagster UI of `make dev`, on 127.0.0.1 only and behind a local-only check.

dagster-webserver accepts any Host header and GraphQL mutations in a GET URL, so any web page
the operator visits could launch or stop runs (a cross-site request, or DNS rebinding to
127.0.0.1). `LocalOnly` wraps its ASGI app and refuses, with 403:

- a Host header other than 127.0.0.1 / localhost on the served port (DNS rebinding);
- a request (or websocket) whose Origin is not the UI's own, or that the browser marks as
  cross-site (`Sec-Fetch-Site`);
- a GraphQL mutation sent as GET (a link or an <img> can send a GET; mutations are POSTed by
  the UI, with their Origin).

Run: `python -m dagster_project.webserver [--port 3000] [--read-only]` (the Makefile's `dev`).
"""

from __future__ import annotations

import argparse
import re
from urllib.parse import parse_qs

LOCAL_HOSTS = ("127.0.0.1", "localhost")
_MUTATION = re.compile(r"^\s*mutation\b", re.IGNORECASE | re.MULTILINE)


class LocalOnly:
    """ASGI middleware: only requests made by the UI itself, on this machine, get through."""

    def __init__(self, app, port: int):
        self.app = app
        self.port = port
        self.hosts = {f"{h}:{port}" for h in LOCAL_HOSTS}
        if port == 80:
            self.hosts |= set(LOCAL_HOSTS)
        self.origins = {f"http://{h}" for h in self.hosts}

    def refusal(self, scope) -> str | None:
        """Why the request is refused, or None."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return f"foreign Host header {host!r}"
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return f"cross-site request from {origin!r}"
        navigation = scope.get("method") == "GET" and headers.get("sec-fetch-mode") == "navigate"
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none") and \
                not navigation:  # a link to the UI from elsewhere may open it, nothing more
            return "cross-site request"
        if scope["type"] == "http" and scope.get("method") == "GET":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if any(_MUTATION.search(q) for q in query.get("query", [])):
                return "a GraphQL mutation sent as GET"
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        reason = self.refusal(scope)
        if reason is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return None
        body = f"refused: {reason} (this UI answers only itself, on this machine)\n".encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return None


def create_app(workspace_process_context, port: int):
    """dagster-webserver's app for a workspace, wrapped in `LocalOnly`."""
    from dagster_webserver.app import create_app_from_workspace_process_context

    return LocalOnly(create_app_from_workspace_process_context(workspace_process_context), port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.webserver",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--read-only", action="store_true",
                        help="no launching, stopping or wiping from the UI")
    args = parser.parse_args(argv)

    import uvicorn
    from dagster import DagsterInstance
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import ModuleTarget
    from dagster_webserver.version import __version__

    target = ModuleTarget("dagster_project.definitions", None, None, None)
    with DagsterInstance.get() as instance, WorkspaceProcessContext(
            instance, target, version=__version__, read_only=args.read_only) as context:
        # 127.0.0.1, never 0.0.0.0: the UI launches runs and is not for the network.
        uvicorn.run(create_app(context, args.port), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
