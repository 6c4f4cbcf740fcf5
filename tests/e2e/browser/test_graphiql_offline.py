"""GraphiQL renders its editor in headless Chromium with the network cut: every asset comes from the app."""

from tests.e2e.browser.conftest import run_chromium

# Every host name but the server's own fails to resolve: no CDN, no internet.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
RENDER = "--virtual-time-budget=20000"


async def test_graphiql_renders_its_editor_with_the_network_cut(server, chromium, tmp_path) -> None:
    url = f"{server}/graphql"
    dom = await run_chromium(chromium, tmp_path / "profile", OFFLINE, RENDER, "--dump-dom", url)

    assert 'class="graphiql-container"' in dom
    assert "graphiql-editor" in dom  # the query editor
    assert "CodeMirror" in dom  # its code editor, built by GraphiQL's script
    assert "batches(first: 5)" in dom  # our example query, typed into it
    assert "加载中 Loading" not in dom


async def test_the_network_is_really_cut_for_the_browser(server, chromium, tmp_path) -> None:
    # The control: the CDN strawberry's stock page would use is unreachable under the same flags.
    dom = await run_chromium(
        chromium,
        tmp_path / "profile",
        OFFLINE,
        "--dump-dom",
        "https://unpkg.com/react@18.2.0/umd/react.production.min.js",
    )

    assert "React" not in dom
