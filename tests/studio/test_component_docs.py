"""docs/components.md says what the code does: its schema is the file's, its example passes, its server works."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from apps.studio.components import SCHEMA_PATH, ComponentError, component_scene_validate

DOC = Path(__file__).resolve().parents[2] / "docs" / "components.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), re.S)


def test_the_documented_schema_is_the_one_in_use():
    documented = [json.loads(b) for b in blocks("json") if '"$schema"' in b]
    assert documented == [json.loads(SCHEMA_PATH.read_text())]


def test_the_documented_scene_is_valid():
    (scene,) = [json.loads(b) for b in blocks("json") if '"layout"' in b and '"$schema"' not in b]
    assert component_scene_validate(scene) == scene


@pytest.mark.parametrize("change, problem", [
    ({"layout": "bars"}, "bars"),
    ({"metrics": []}, "metrics"),
    ({"title": "x" * 121}, "title"),
    ({"extra": 1}, "Additional properties"),
    ({"v": 2}, "v"),
    ({"duration_s": 1}, "duration_s"),
    ({"metrics": [{"label": "a", "value": True}]}, "metrics/0/value"),
])
def test_what_the_schema_refuses(change, problem):
    (scene,) = [json.loads(b) for b in blocks("json") if '"layout"' in b and '"$schema"' not in b]
    with pytest.raises(ComponentError) as refused:
        component_scene_validate({**scene, **change})
    assert problem in str(refused.value)


def test_the_example_server_answers_a_valid_scene(private_allowed):
    import threading
    from http.server import ThreadingHTTPServer

    from apps.studio.components import components_resolve
    from apps.studio.storyboard import Scene, Storyboard

    (source,) = blocks("python")
    namespace: dict = {}
    exec(source.replace('ThreadingHTTPServer(("0.0.0.0", 8099), Scene).serve_forever()', ""), namespace)
    server = ThreadingHTTPServer(("127.0.0.1", 0), namespace["Scene"])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/scene"
        board = Storyboard(request="r", summary="s", scenes=(
            Scene(kind="component", title="t", narration="n", duration_s=4.0, data={"component_url": url, "slug": "queue"}),))
        resolved = components_resolve(storyboard=board, size=(1920, 1080), timeout=2)
    finally:
        server.shutdown()
        server.server_close()
    assert resolved.notes == []
    assert resolved.storyboard.scenes[0].data["title"] == "queue: queue"
