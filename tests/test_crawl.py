from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"a", "link"} and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag in {"img", "script"} and attributes.get("src"):
            self.links.append(attributes["src"])


@pytest.mark.parametrize(
    "who", ["", "participant@example.org", "facilitator@example.org"]
)
def test_every_internal_link_from_home_answers_without_server_error(
    client, demo_site, who
):
    """Anonymous visitors and the demo's participant and facilitator (whose
    pages include every enabled plugin's tabs and panels) meet no 500."""
    if who:
        client.force_login(get_user_model().objects.get(email=who))
    seen: dict[str, int] = {}
    queue = ["/", "/es/", "/dashboard/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = LinkParser()
        parser.feed(response.content.decode())
        for link in parser.links:
            absolute = urldefrag(urljoin("http://testserver" + url, link))[0]
            parsed = urlparse(absolute)
            if parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path not in seen:
                queue.append(path)
    server_errors = {url: code for url, code in seen.items() if code >= 500}
    assert server_errors == {}
    assert len(seen) > 30  # the crawl really went through the demo site
    assert any(url.startswith("/documents/") for url in seen)
