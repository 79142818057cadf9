"""A small browser over real HTTP for tests against running servers: cookies, CSRF, redirects, htmx."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

QUIZ_URL = re.compile(r"/quiz/(\d+)/")


@dataclass
class Page:
    status: int
    url: str
    text: str
    headers: dict


class WebClient:
    """One learner's browser. `base` can be changed between requests to alternate between servers."""

    def __init__(self, base: str, *, cookies: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def tab(self, base: str | None = None) -> "WebClient":
        """A second tab: the same cookies (session, CSRF), possibly on another server."""
        return WebClient(base or self.base, cookies=self.cookies)

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def request(self, method: str, path: str, data: dict | None = None, *, htmx=False, timeout=15.0) -> Page:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        headers = {"X-CSRFToken": self.cookie("csrftoken")} if method == "POST" else {}
        if htmx:
            headers["HX-Request"] = "true"
        req = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return Page(response.status, response.url, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Page(error.code, error.url, error.read().decode(), dict(error.headers))

    def get(self, path: str, **kwargs) -> Page:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Page:
        if not self.cookie("csrftoken"):
            self.get("/accounts/login/")
        return self.request("POST", path, data, **kwargs)

    def sign_up(self, username: str, password: str = "Correct-Horse-Battery-42") -> Page:
        self.get("/accounts/signup/")
        data = {"username": username, "email": f"{username}@example.com", "password1": password, "password2": password}
        return self.post("/accounts/signup/", data)

    def new_quiz(self, **fields) -> tuple[int, Page]:
        page = self.post("/quiz/new/", {"mode": "practice", "size": 5, **fields})
        match = QUIZ_URL.search(page.url)
        assert page.status == 200 and match, (page.status, page.url)
        return int(match.group(1)), page


def card_question(html: str) -> tuple[int, list[int]]:
    """The question id on a quiz page and its choice ids, in the order shown."""
    question = int(re.search(r'name="question" value="(\d+)"', html).group(1))
    return question, [int(c) for c in re.findall(r'name="choice" value="(\d+)"', html)]
