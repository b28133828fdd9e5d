"""Issue 11 #11: the `make dev` UI refuses foreign Host headers and cross-site requests.

The real dagster-webserver app (an empty workspace on a throw-away instance) behind
`LocalOnly`, served by uvicorn on a free port of 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from urllib.parse import quote

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    import uvicorn
    from dagster import instance_for_test
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import EmptyWorkspaceTarget

    from dagster_project.webserver import create_app

    port = free_port()
    home = str(tmp_path_factory.mktemp("dagster_home"))
    with instance_for_test(temp_dir=home) as instance, WorkspaceProcessContext(
            instance, EmptyWorkspaceTarget()) as context:
        server = uvicorn.Server(uvicorn.Config(create_app(context, port), host="127.0.0.1",
                                               port=port, log_level="error"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the UI did not start"
            time.sleep(0.05)
        yield port
        server.should_exit = True
        thread.join(timeout=10)


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        con.request(method, path, body=body, headers=headers)
        response = con.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        con.close()


VERSION = quote("{ version }")
MUTATION = quote('mutation { terminateRun(runId: "x") { __typename } }')


def test_the_ui_answers_itself(ui):
    host = {"Host": f"127.0.0.1:{ui}"}
    status, body = request(ui, "GET", f"/graphql?query={VERSION}", host)
    assert status == 200 and "version" in json.loads(body)["data"]
    status, _ = request(ui, "POST", "/graphql",
                        {**host, "Origin": f"http://localhost:{ui}", "Host": f"localhost:{ui}",
                         "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"},
                        json.dumps({"query": "{ version }"}))
    assert status == 200


@pytest.mark.parametrize(("method", "path", "headers", "reason"), [
    ("GET", f"/graphql?query={VERSION}", {"Host": "evil.example:{port}"}, "foreign Host"),
    ("GET", "/", {"Host": "attacker.test"}, "foreign Host"),
    ("POST", "/graphql", {"Origin": "http://evil.example", "Content-Type": "application/json"},
     "cross-site request from"),
    ("POST", "/graphql", {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
     "cross-site request"),
    ("GET", f"/graphql?query={MUTATION}", {}, "mutation sent as GET"),
    ("GET", f"/graphql?query={MUTATION}", {"Sec-Fetch-Site": "cross-site",
                                           "Sec-Fetch-Mode": "navigate"}, "mutation sent as GET"),
])
def test_foreign_and_cross_site_requests_are_refused(ui, method, path, headers, reason):
    headers = {"Host": f"127.0.0.1:{ui}", **{k: v.format(port=ui) for k, v in headers.items()}}
    body = json.dumps({"query": 'mutation { terminateRun(runId: "x") { __typename } }'}) \
        if method == "POST" else None
    status, text = request(ui, method, path, headers, body)
    assert status == 403 and reason in text
