from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional

from ._models import CloudNexusObject, wrap


class PageIterator:
    """A cursor-paginated list. Iterating it walks every item of every page (``starting_after`` = the last id);
    ``.data`` / ``.has_more`` are the first page's; ``.pages()`` yields each page."""

    def __init__(self, fetch: Callable[[Dict[str, Any]], Any], params: Optional[Dict[str, Any]] = None) -> None:
        self._fetch = fetch
        self._params = {k: v for k, v in (params or {}).items() if v is not None}
        self._first: Optional[CloudNexusObject] = None

    def _page(self, starting_after: Optional[str]) -> CloudNexusObject:
        query = dict(self._params)
        if starting_after:
            query["starting_after"] = starting_after
        raw = self._fetch(query)
        if isinstance(raw, list):
            raw = {"data": raw, "has_more": False}
        page = wrap(raw or {"data": [], "has_more": False})
        page.setdefault("data", [])
        page["has_more"] = bool(page.get("has_more"))
        return page

    def first_page(self) -> CloudNexusObject:
        if self._first is None:
            self._first = self._page(self._params.get("starting_after"))
        return self._first

    @property
    def data(self) -> List[CloudNexusObject]:
        return self.first_page()["data"]

    @property
    def has_more(self) -> bool:
        return bool(self.first_page()["has_more"])

    def pages(self) -> Iterator[CloudNexusObject]:
        page = self.first_page()
        while True:
            yield page
            data = page["data"]
            last = data[-1] if data else None
            if not page["has_more"] or not isinstance(last, dict) or not last.get("id"):
                return
            page = self._page(last["id"])

    def __iter__(self) -> Iterator[CloudNexusObject]:
        for page in self.pages():
            for item in page["data"]:
                yield item

    auto_paging_iter = __iter__

    def to_list(self, limit: Optional[int] = None) -> List[CloudNexusObject]:
        out: List[CloudNexusObject] = []
        for item in self:
            if limit is not None and len(out) >= limit:
                break
            out.append(item)
        return out
